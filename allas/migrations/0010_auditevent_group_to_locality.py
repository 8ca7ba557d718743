# Rows are copied in a migration of their own, both ways: PostgreSQL does not alter a
# table whose rows the same transaction has updated.

from django.db import migrations


def _copy_link(apps, *, known: str, wanted: str, through: str):
    """Gives each entry with a `known` link the `wanted` one it leads to (`through`)."""
    AuditEvent = apps.get_model("allas", "AuditEvent")
    pairs = (
        AuditEvent.objects.filter(**{f"{through}__isnull": False})
        .order_by()
        .values_list(f"{known}_id", through)
        .distinct()
    )
    for known_id, wanted_id in list(pairs):
        AuditEvent.objects.filter(**{f"{known}_id": known_id}).update(**{f"{wanted}_id": wanted_id})


def group_to_locality(apps, schema_editor):
    """Each entry about a group now names the group's ort (one group per ort). Through
    the entry's own link, so this migration names no model of the groups app."""
    _copy_link(apps, known="group", wanted="locality", through="group__locality_id")


def locality_to_group(apps, schema_editor):
    _copy_link(apps, known="locality", wanted="group", through="locality__group__id")


class Migration(migrations.Migration):

    dependencies = [
        ('allas', '0009_auditevent_locality'),
    ]

    operations = [
        migrations.RunPython(group_to_locality, locality_to_group),
    ]
