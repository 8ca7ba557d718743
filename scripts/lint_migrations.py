"""The portal's migrations not yet deployed, linted for a rolling deploy.

In a rolling deploy one web server still runs the old code against the database while
another migrates it and starts on the new code. A migration is safe for that only if the
old code keeps working on the migrated schema and the migration does not stop the running
server's writes. django-migration-linter reads the SQL each migration would run on
PostgreSQL (`manage.py sqlmigrate`) and refuses, among others:

- a NOT NULL column without a database default (`db_default`): the old code inserts rows
  without it, and PostgreSQL refuses them;
- an index built inside the migration's transaction (CREATE INDEX without CONCURRENTLY):
  the table takes no writes until it is built. Use allas.migration_operations
  .AddIndexConcurrently in a migration with `atomic = False`;
- dropping or renaming a table or column, changing a column's type, adding a unique
  constraint to an existing table: the old code still uses what was there;
- a data migration (RunPython) without a reverse (the portal's say
  `migrations.RunPython.noop`), so that a release can always be migrated back, or one that
  imports a model instead of taking it from `apps.get_model`.

Only migrations after DEPLOYED are linted: the ones before it were written before the rule
and are already in every database. A migration of a new app is linted from its first.
Migrations are never edited once they land, so a migration that passed passes again;
moving DEPLOYED forward after a release only shortens the run.

A migration that the linter refuses but that is safe after all (a column dropped in a
release after the one that stopped using it) goes into REVIEWED with the reason.

The SQL must be PostgreSQL's, which production runs: the linter asks the database named by
DATABASE_URL for it (sqlmigrate reads, writes nothing). SQLite's SQL says nothing about
production (it rebuilds a table for many changes, and has no concurrent index), so with
no PostgreSQL configured the lint is skipped with a message saying so, and fails instead
when REQUIRE_SERVICES=1 (CI). The linter is not in INSTALLED_APPS: it is a development
tool, absent in production, and its API needs no app.

Run it with `python scripts/lint_migrations.py` (`make lint` does).
"""

import logging
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The latest migration of each app in every deployed database.
DEPLOYED = {
    "allas": "0012_verbs_from_the_apps_words",
    "notifications": "0003_kinds_from_the_apps_words",
    "groups": "0008_dialogue_staff_permissions",
    "proposals": "0011_proposal_raised_at",
    "meetings": "0006_signup_staff_permissions",
}

# (app, migration): why it is safe though the linter refuses it.
REVIEWED: dict[tuple[str, str], str] = {}

# Warnings that fail the lint like errors: each one makes a rolling deploy unsafe (a table
# locked against writes while an index is built or dropped) or a release impossible to
# migrate back (RunPython without a reverse).
WARNINGS_AS_ERRORS = [
    "CREATE_INDEX",
    "CREATE_INDEX_EXCLUSIVE",
    "DROP_INDEX",
    "REINDEX",
    "RUNPYTHON_REVERSIBLE",
]


def _required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "").lower() in ("1", "true", "yes")


def portal_apps() -> list[str]:
    """The labels of the portal's own apps: those whose code is in this repository."""
    from django.apps import apps

    labels = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(ROOT) and "site-packages" not in path.parts:
            labels.append(config.label)
    return labels


def new_migrations(loader, deployed=None) -> list:
    """The portal's migrations on disk that no deployed database has yet, in app and name
    order (the linter's)."""
    deployed = DEPLOYED if deployed is None else deployed
    applied = set()
    for app, name in deployed.items():
        if (app, name) not in loader.graph.nodes:
            raise SystemExit(f"DEPLOYED names {app}.{name}, which is not a migration.")
        applied.update(loader.graph.forwards_plan((app, name)))
    portal = set(portal_apps())
    return sorted(
        (
            migration
            for key, migration in loader.disk_migrations.items()
            if key[0] in portal and key not in applied
        ),
        key=lambda migration: (migration.app_label, migration.name),
    )


_CREATE_TABLE = re.compile(r'CREATE TABLE ("[^"]+")')
_ALTER_TABLE = re.compile(r'ALTER TABLE ("[^"]+") (.*)')


def adds_not_null_without_default(sql_statements: list[str], **kwargs) -> bool:
    """Whether the migration makes a column of an existing table NOT NULL without a
    database default, so that the old code's inserts fail: a column added NOT NULL with
    no DEFAULT, or with one only while it is added (Django's Python `default` is dropped
    again: DROP DEFAULT), or a column altered to SET NOT NULL.

    The linter's own check asks whether any statement of the migration says NOT NULL and
    any other has a DEFAULT: one column with `db_default` lets another without it through,
    and a new table's NOT NULL foreign key is refused. This one reads each statement on
    its own, and leaves alone the tables the migration creates."""
    created = {m.group(1) for sql in sql_statements if (m := _CREATE_TABLE.match(sql))}
    for sql in sql_statements:
        match = _ALTER_TABLE.match(sql)
        if not match or match.group(1) in created:
            continue
        # Up to the first ";": what follows is SET CONSTRAINTS for a foreign key.
        for action in re.split(r", (?=ADD |ALTER |DROP )", match.group(2).split(";")[0]):
            adds_not_null = action.startswith("ADD COLUMN") and re.search(
                r"(?<!IS )NOT NULL", action
            )
            if adds_not_null and not re.search(r"DEFAULT (?!NULL)", action):
                return True
            if action.startswith("ALTER COLUMN") and re.search(
                r"SET NOT NULL|DROP DEFAULT", action
            ):
                return True
    return False


def make_linter():
    from django_migration_linter import MigrationLinter
    from django_migration_linter.sql_analyser.base import Check, CheckMode, CheckType
    from django_migration_linter.sql_analyser.postgresql import PostgresqlAnalyser

    class RollingDeployAnalyser(PostgresqlAnalyser):
        migration_checks = [
            *PostgresqlAnalyser.migration_checks,
            Check(
                code="NOT_NULL",
                fn=adds_not_null_without_default,
                message="NOT NULL column without a database default (db_default)",
                mode=CheckMode.TRANSACTION,
                type=CheckType.ERROR,
            ),
        ]

    # No cache (no path given): every run reads the migrations as they are.
    linter = MigrationLinter(warnings_as_errors_tests=WARNINGS_AS_ERRORS)
    linter.sql_analyser_class = RollingDeployAnalyser
    return linter


def lint(deployed=None, reviewed=None) -> bool:
    """Lints the new migrations, printing each result; True when none is refused."""
    reviewed = REVIEWED if reviewed is None else reviewed
    linter = make_linter()
    migrations = new_migrations(linter.migration_loader, deployed)
    for migration in migrations:
        why = reviewed.get((migration.app_label, migration.name))
        if why:
            print(f"({migration.app_label}, {migration.name})... IGNORE (reviewed: {why})")
            continue
        linter.lint_migration(migration)
    print(f"{len(migrations)} migration(s) after the deployed ones.")
    linter.print_summary()
    return not linter.has_errors


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allas.settings")
    import django
    from django.conf import settings
    from django.db import OperationalError, connection

    django.setup()
    # Its "Calling sqlmigrate ..." lines say nothing the results do not.
    logging.getLogger("django_migration_linter").setLevel(logging.WARNING)
    if connection.vendor != "postgresql":
        message = (
            "Migrations not linted: the linter reads the SQL that PostgreSQL would run, and "
            "DATABASE_URL names no PostgreSQL. Lint with one, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make lint (CI does)."
        )
        print(message, file=sys.stderr)
        return 1 if _required() else 0
    try:
        connection.ensure_connection()
    except OperationalError as error:
        db = settings.DATABASES["default"]
        print(
            f"Migrations not linted: PostgreSQL at {db.get('HOST')}:{db.get('PORT')} "
            f"does not answer ({error}).",
            file=sys.stderr,
        )
        return 1
    return 0 if lint() else 1


if __name__ == "__main__":
    sys.exit(main())
