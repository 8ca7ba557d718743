"""The development department keeps the list of committees and offices and reads the
cases in the admin; the cases themselves change only through the staff pages' steps."""

from django.db import migrations

from allas.staff import grant_staff_permissions

PERMISSIONS = [
    "view_municipalcase",
    "view_casecorrection",
    "view_committee",
    "add_committee",
    "change_committee",
    "delete_committee",
]


def grant_staff(apps, schema_editor):
    grant_staff_permissions(apps, "proposals", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("proposals", "0012_municipal_cases")]

    operations = [migrations.RunPython(grant_staff, migrations.RunPython.noop)]
