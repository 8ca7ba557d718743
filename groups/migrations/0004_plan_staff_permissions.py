"""The development department may read and correct every group's plans."""

from django.db import migrations

from allas.staff import grant_staff_permissions

PERMISSIONS = [
    f"{verb}_{model}"
    for model in ("plan", "action", "actionnote")
    for verb in ("view", "change", "add", "delete")
]


def grant_staff(apps, schema_editor):
    grant_staff_permissions(apps, "groups", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("groups", "0003_plans")]

    operations = [migrations.RunPython(grant_staff, migrations.RunPython.noop)]
