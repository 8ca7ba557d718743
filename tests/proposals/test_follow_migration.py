"""Upgrading a database whose follows of proposals were notifications' (by the proposal's
bare id): proposals 0010 copies them to ProposalFollow and drops the orphans, then
notifications 0002 leaves Follow to the orter."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from allas.models import Locality
from proposals.models import Proposal, ProposalFollow
from tests.factories import UserFactory

BEFORE = [
    ("notifications", "0001_follows_settings_notices"),
    ("proposals", "0009_report_and_decision_labels"),
]
AFTER = [("proposals", "0010_proposal_follows"), ("notifications", "0002_follow_ort_only")]
SINCE = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def migrate(targets):
    """Migrates the test database to the targets; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_follows_of_existing_proposals_move_and_the_orphans_go():
    reader, other, author = UserFactory(), UserFactory(), UserFactory()
    storebro = Locality.objects.get(slug="storebro")
    kept = Proposal.objects.create(author=author, locality=storebro, title="Finns kvar")
    deleted = Proposal.objects.create(author=author, locality=storebro, title="Borttaget")
    deleted_pk = deleted.pk
    deleted.delete()
    try:
        old = migrate(BEFORE)
        OldFollow = old.get_model("notifications", "Follow")
        OldFollow.objects.create(
            user_id=reader.pk, locality_id=storebro.pk, automatic=True, created_at=SINCE
        )
        OldFollow.objects.create(
            user_id=reader.pk,
            proposal_id=kept.pk,
            is_active=False,
            automatic=True,
            created_at=SINCE,
        )
        OldFollow.objects.create(user_id=other.pk, proposal_id=kept.pk, created_at=SINCE)
        OldFollow.objects.create(user_id=other.pk, proposal_id=deleted_pk, created_at=SINCE)

        new = migrate(AFTER)

        Follow = new.get_model("notifications", "Follow")
        assert list(
            Follow.objects.values_list(
                "user_id", "locality_id", "is_active", "automatic", "created_at"
            )
        ) == [(reader.pk, storebro.pk, True, True, SINCE)]
        moved = new.get_model("proposals", "ProposalFollow").objects.order_by("user_id")
        assert list(
            moved.values_list("user_id", "proposal_id", "is_active", "automatic", "created_at")
        ) == [
            (reader.pk, kept.pk, False, True, SINCE),
            (other.pk, kept.pk, True, False, SINCE),
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    # What moved belongs to its proposal now, and goes with it.
    Proposal.objects.filter(pk=kept.pk).delete()
    assert not ProposalFollow.objects.exists()
