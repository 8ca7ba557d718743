"""The development department reads the whole dialogue in the admin."""

from django.db import migrations

from allas.staff import grant_staff_permissions

PERMISSIONS = [
    f"view_{model}"
    for model in ("proposal", "statuschange", "support", "comment", "report", "moderationdecision")
]


def grant_staff(apps, schema_editor):
    grant_staff_permissions(apps, "proposals", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial"), ("allas", "0003_staff_group")]

    operations = [migrations.RunPython(grant_staff, migrations.RunPython.noop)]
