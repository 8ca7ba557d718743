"""The development department follows every group's dialogue meetings up in the admin."""

from django.db import migrations

from allas.staff import grant_staff_permissions


def grant_staff(apps, schema_editor):
    grant_staff_permissions(apps, "groups", ["view_dialoguemeeting", "change_dialoguemeeting"])


class Migration(migrations.Migration):
    dependencies = [("groups", "0007_dialoguemeeting"), ("allas", "0003_staff_group")]

    operations = [migrations.RunPython(grant_staff, migrations.RunPython.noop)]
