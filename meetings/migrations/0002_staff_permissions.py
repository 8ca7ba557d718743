"""The development department runs the network meetings."""

from django.db import migrations

from allas.staff import grant_staff_permissions

PERMISSIONS = [
    f"{verb}_{model}"
    for model in ("networkmeeting", "agendaitem", "networkrole", "groupreport")
    for verb in ("view", "add", "change", "delete")
] + ["view_invitation", "view_remindersent"]


def grant_staff(apps, schema_editor):
    grant_staff_permissions(apps, "meetings", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial"), ("allas", "0003_staff_group")]

    operations = [migrations.RunPython(grant_staff, migrations.RunPython.noop)]
