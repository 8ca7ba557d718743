# Rows are copied in a migration of their own, both ways: PostgreSQL does not alter a
# table whose rows the same transaction has updated.

from django.db import migrations


def group_to_locality(apps, schema_editor):
    """Each entry about a group now names the group's ort (one group per ort). Through
    the entry's own link, so this migration names no model of the groups app."""
    AuditEvent = apps.get_model("allas", "AuditEvent")
    pairs = (
        AuditEvent.objects.filter(group__isnull=False)
        .order_by()
        .values_list("group_id", "group__locality_id")
        .distinct()
    )
    for group_id, locality_id in list(pairs):
        AuditEvent.objects.filter(group_id=group_id).update(locality_id=locality_id)


def locality_to_group(apps, schema_editor):
    AuditEvent = apps.get_model("allas", "AuditEvent")
    pairs = (
        AuditEvent.objects.filter(locality__group__isnull=False)
        .order_by()
        .values_list("locality_id", "locality__group__id")
        .distinct()
    )
    for locality_id, group_id in list(pairs):
        AuditEvent.objects.filter(locality_id=locality_id).update(group_id=group_id)


class Migration(migrations.Migration):

    dependencies = [
        ('allas', '0009_auditevent_locality'),
    ]

    operations = [
        migrations.RunPython(group_to_locality, locality_to_group),
    ]
