"""The migration lint of `make lint` (scripts/lint_migrations.py): it passes the portal's
migrations written since the deployed ones, and refuses a new migration that would break
a server still running the old code during a rolling deploy.

A probe migration is written into a copy of the proposals app's migrations under the
test's temporary directory (MIGRATION_MODULES points the app there), never into the tree."""

import os
import shutil
import subprocess
import sys
import textwrap
import uuid

import pytest
from django.db.migrations.loader import MigrationLoader

from scripts import lint_migrations
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db

ROOT = lint_migrations.ROOT

HEADER = """\
from django.db import migrations, models

from allas.migration_operations import AddIndexConcurrently


def fill(apps, schema_editor):
    Proposal = apps.get_model("proposals", "Proposal")
    Proposal.objects.update(title="x")


class Migration(migrations.Migration):
"""

PROBES = {
    "not_null_without_db_default": """
    dependencies = [("proposals", "{leaf}")]
    operations = [
        migrations.AddField("proposal", "probe", models.IntegerField(default=0)),
    ]
""",
    # The linter's own check lets this through: another column has a default.
    "not_null_beside_one_with_db_default": """
    dependencies = [("proposals", "{leaf}")]
    operations = [
        migrations.AddField("proposal", "probe", models.IntegerField(default=0)),
        migrations.AddField("proposal", "kept", models.IntegerField(db_default=0, default=0)),
    ]
""",
    "index_in_the_transaction": """
    dependencies = [("proposals", "{leaf}")]
    operations = [
        migrations.AddIndex("proposal", models.Index(fields=["title"], name="probe_title")),
    ]
""",
    "data_migration_without_reverse": """
    dependencies = [("proposals", "{leaf}")]
    operations = [migrations.RunPython(fill)]
""",
    "dropped_column": """
    dependencies = [("proposals", "{leaf}")]
    operations = [migrations.RemoveField("proposal", "edited_at")]
""",
    "renamed_column": """
    dependencies = [("proposals", "{leaf}")]
    operations = [migrations.RenameField("proposal", "reminder_sent_at", "reminded_at")]
""",
    "changed_type": """
    dependencies = [("proposals", "{leaf}")]
    operations = [migrations.AlterField("proposal", "support_count", models.BigIntegerField())]
""",
    "safe": """
    atomic = False
    dependencies = [("proposals", "{leaf}")]
    operations = [
        migrations.AddField("proposal", "probe", models.IntegerField(db_default=0, default=0)),
        AddIndexConcurrently("proposal", models.Index(fields=["title"], name="probe_title")),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
""",
}


@pytest.fixture
def postgresql(settings):
    require_postgresql(settings)


@pytest.fixture
def probe(postgresql, settings, tmp_path, monkeypatch):
    """Writes a probe migration after the proposals app's latest; returns its name."""
    package = f"lint_probe_{uuid.uuid4().hex}"
    shutil.copytree(
        ROOT / "proposals" / "migrations",
        tmp_path / package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    (leaf,) = MigrationLoader(None).graph.leaf_nodes("proposals")

    def write(kind):
        name = "9999_probe"
        body = HEADER + textwrap.dedent(PROBES[kind]).replace("\n", "\n    ")
        (tmp_path / package / f"{name}.py").write_text(body.format(leaf=leaf[1]))
        settings.MIGRATION_MODULES = {"proposals": package}
        return name

    yield write
    for module in [m for m in sys.modules if m.split(".")[0] == package]:
        del sys.modules[module]


def test_the_portals_migrations_since_the_deployed_ones_pass(postgresql, capsys):
    assert lint_migrations.lint()
    output = capsys.readouterr().out
    for migration in (
        "(proposals, 0012_municipal_cases)... OK",
        "(proposals, 0013_municipal_staff_permissions)... OK",
        "(proposals, 0014_municipal_list_index)... OK",
    ):
        assert migration in output
    # The deployed ones are not linted again.
    assert "0011_proposal_raised_at" not in output
    assert "0012_verbs_from_the_apps_words" not in output


@pytest.mark.parametrize(
    ("kind", "refusal"),
    [
        ("not_null_without_db_default", "NOT NULL column without a database default"),
        ("not_null_beside_one_with_db_default", "NOT NULL column without a database default"),
        ("index_in_the_transaction", "CREATE INDEX locks table"),
        ("data_migration_without_reverse", "RunPython data migration is not reversible"),
        ("dropped_column", "DROPPING columns"),
        ("renamed_column", "RENAMING columns"),
        ("changed_type", "ALTERING columns"),
    ],
)
def test_a_migration_unsafe_for_a_rolling_deploy_is_refused(probe, capsys, kind, refusal):
    name = probe(kind)
    assert not lint_migrations.lint()
    output = capsys.readouterr().out
    assert f"(proposals, {name})... ERR" in output
    assert refusal in output
    assert "(proposals, 0014_municipal_list_index)... OK" in output


def test_a_column_with_db_default_and_a_concurrent_index_pass(probe, capsys):
    name = probe("safe")
    assert lint_migrations.lint(), capsys.readouterr().out
    assert f"(proposals, {name})... OK" in capsys.readouterr().out


def test_a_reviewed_migration_is_let_through_with_its_reason(probe, capsys):
    name = probe("not_null_without_db_default")
    reviewed = {("proposals", name): "the old code writes the column"}
    assert lint_migrations.lint(reviewed=reviewed)
    assert "IGNORE (reviewed: the old code writes the column)" in capsys.readouterr().out


def test_the_check_reads_each_statement_of_a_migration_on_its_own():
    check = lint_migrations.adds_not_null_without_default
    # A new table's NOT NULL foreign key, added after the table: nothing to break.
    assert not check(
        [
            'CREATE TABLE "t" ("id" bigint NOT NULL PRIMARY KEY);',
            'ALTER TABLE "t" ADD COLUMN "p_id" bigint NOT NULL CONSTRAINT "fk" REFERENCES "p" '
            '("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS "fk" IMMEDIATE;',
        ]
    )
    assert not check(['ALTER TABLE "p" ADD COLUMN "s" varchar(10) DEFAULT \'\' NOT NULL;'])
    assert not check(['ALTER TABLE "p" ADD COLUMN "n" integer NULL;'])
    assert not check(['ALTER TABLE "p" ADD CONSTRAINT "c" CHECK ("n" IS NOT NULL);'])
    assert check(['ALTER TABLE "p" ADD COLUMN "n" integer NOT NULL;'])
    assert check(['ALTER TABLE "p" ALTER COLUMN "n" SET NOT NULL;'])
    assert check(
        [
            'ALTER TABLE "p" ADD COLUMN "n" integer DEFAULT 0 NOT NULL;',
            'ALTER TABLE "p" ALTER COLUMN "n" DROP DEFAULT;',
        ]
    )


@pytest.mark.parametrize(("required", "exit_code"), [("", 0), ("1", 1)])
def test_without_postgresql_the_lint_says_it_did_not_run(required, exit_code, tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lint.sqlite3'}",
        "REQUIRE_SERVICES": required,
    }
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lint_migrations.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == exit_code, done.stderr
    assert "Migrations not linted" in done.stderr
    assert "names no PostgreSQL" in done.stderr
