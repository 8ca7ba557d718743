"""A GIN index on the stored search text, and the text of existing proposals.
PostgreSQL only: SQLite has no tsvector and searches the text itself."""

from django.contrib.postgres.search import SearchVector
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS proposals_proposal_search_gin "
        "ON proposals_proposal USING gin (search_vector)"
    )
    Proposal = apps.get_model("proposals", "Proposal")
    Proposal.objects.update(
        search_vector=SearchVector("title", weight="A", config="swedish")
        + SearchVector("body", weight="B", config="swedish")
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS proposals_proposal_search_gin")


class Migration(migrations.Migration):
    dependencies = [("proposals", "0005_search_vector")]

    operations = [migrations.RunPython(forwards, backwards)]
