"""The development department's permission group. Staff accounts are made members of it;
each app's migrations add what the department may do with that app's data."""

from django.db import migrations

from allas.staff import grant_staff_permissions

PERMISSIONS = [
    "view_locality",
    "change_locality",
    "view_slusgoal",
    "change_slusgoal",
    "view_user",
    "change_user",
    "view_outboundemail",
    "view_accessibilityfeedback",
    "change_accessibilityfeedback",
]


def create_staff_group(apps, schema_editor):
    grant_staff_permissions(apps, "allas", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("allas", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_staff_group, migrations.RunPython.noop)]
