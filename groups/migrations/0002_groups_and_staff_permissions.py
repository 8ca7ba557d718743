"""One local development group per ort, and the development department's rights over
groups and memberships."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "view_developmentgroup",
    "change_developmentgroup",
    "view_membership",
    "add_membership",
    "change_membership",
    "view_membershipevent",
]


def create_groups(apps, schema_editor):
    Locality = apps.get_model("allas", "Locality")
    DevelopmentGroup = apps.get_model("groups", "DevelopmentGroup")
    for locality in Locality.objects.all():
        DevelopmentGroup.objects.get_or_create(
            locality=locality, defaults={"name": f"Utvecklingsgruppen i {locality.name}"}
        )


def grant_staff(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="Utvecklingsavdelningen")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="groups", codename__in=PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("allas", "0003_staff_group"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(grant_staff, migrations.RunPython.noop),
    ]
