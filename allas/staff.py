"""The development department's permission group, used by the apps' data migrations."""

from django.contrib.auth.management import create_permissions

STAFF_GROUP = "Utvecklingsavdelningen"


def grant_staff_permissions(apps, app_label: str, codenames) -> None:
    """Gives the staff group these permissions of one app, inside a data migration.
    Django makes permissions after all migrations have run, so they are made here first."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
