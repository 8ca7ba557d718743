"""Swedish search at any size: the vocabulary (SearchWord) with a pg_trgm index on
PostgreSQL, an FTS5 table of stemmed text on SQLite, and one index per list sort and filter.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

FTS = "proposals_fts"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    Proposal = apps.get_model("proposals", "Proposal")
    if connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS proposals_searchword_trgm "
            "ON proposals_searchword USING gin (word gin_trgm_ops)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS proposal_list_answered ON proposals_proposal "
            "(visibility, answered_at DESC NULLS LAST, id DESC)"
        )
        schema_editor.execute(
            "INSERT INTO proposals_searchword (word) "
            "SELECT DISTINCT w FROM proposals_proposal, "
            "unnest(tsvector_to_array(search_vector)) AS w WHERE length(w) <= 60 "
            "ON CONFLICT DO NOTHING"
        )
    elif connection.vendor == "sqlite":
        from allas.search import stem, words

        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        SearchWord = apps.get_model("proposals", "SearchWord")
        vocabulary = set()
        with connection.cursor() as cursor:
            for pk, title, body in Proposal.objects.values_list("pk", "title", "body"):
                title_words = " ".join(stem(w) for w in words(title))
                body_words = " ".join(stem(w) for w in words(body))
                vocabulary.update(title_words.split(), body_words.split())
                cursor.execute(
                    f"INSERT INTO {FTS} (rowid, title, body) VALUES (%s, %s, %s)",
                    [pk, title_words, body_words],
                )
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in vocabulary if len(w) <= 60], ignore_conflicts=True
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS proposal_list_answered")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0006_search_index"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=60, unique=True)),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["visibility", "-support_count", "-created_at", "-id"],
                name="proposal_list_supported",
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["visibility", "-comment_count", "-created_at", "-id"],
                name="proposal_list_discussed",
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["locality", "visibility", "-created_at", "-id"], name="proposal_list_ort"
            ),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                fields=["status", "visibility", "-created_at", "-id"], name="proposal_list_status"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
