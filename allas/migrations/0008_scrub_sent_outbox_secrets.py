"""E-mails sent before the outbox dropped secrets once a row had gone out still hold
their reset links, confirmation keys and personal links: this drops them in the same way
(allas.redaction), so no row in the database shows more than staff may read."""

from django.db import migrations


def scrub_sent_rows(apps, schema_editor):
    from allas.redaction import scrubbed

    OutboundEmail = apps.get_model("allas", "OutboundEmail")
    done = OutboundEmail.objects.filter(status__in=["sent", "failed"])
    for row in done.iterator(chunk_size=500):
        changes = scrubbed(row)
        if changes:
            OutboundEmail.objects.filter(pk=row.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("allas", "0007_audit_admin_edits")]

    operations = [migrations.RunPython(scrub_sent_rows, migrations.RunPython.noop)]
