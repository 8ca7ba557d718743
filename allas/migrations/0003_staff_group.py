"""The development department's permission group. Staff accounts are made members of it;
each app's migrations add what the department may do with that app's data."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Utvecklingsavdelningen"

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
    # Permissions are normally made after all migrations; make them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="allas", codename__in=PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("allas", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_staff_group, migrations.RunPython.noop)]
