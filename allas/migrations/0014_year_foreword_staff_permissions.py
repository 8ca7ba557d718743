"""The development department writes the foreword to each year's account in the admin."""

from django.db import migrations

from allas.staff import grant_staff_permissions

PERMISSIONS = ["view_yearforeword", "add_yearforeword", "change_yearforeword"]


def grant_staff(apps, schema_editor):
    grant_staff_permissions(apps, "allas", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("allas", "0013_year_foreword")]

    operations = [migrations.RunPython(grant_staff, migrations.RunPython.noop)]
