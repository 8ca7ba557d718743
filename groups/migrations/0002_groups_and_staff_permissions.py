"""One local development group per ort, and the development department's rights over
groups and memberships."""

from django.db import migrations

from allas.staff import grant_staff_permissions

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
    grant_staff_permissions(apps, "groups", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0001_initial"),
        ("allas", "0003_staff_group"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(grant_staff, migrations.RunPython.noop),
    ]
