"""Many proposals at once, for the tests that show a page costs the same at 100 and at
50,000: made by the database in a few statements (PostgreSQL), in batches elsewhere."""

import datetime

from django.db import connection
from django.utils import timezone

from allas.models import Locality
from proposals.models import MunicipalCase, Proposal, StatusChange


def many_proposals(n: int, *, year: int | None = None, answered_every=3, decided_every=10):
    """n proposals over the ten orter during `year` (this year by default): every
    `answered_every`th answered by its group after 0-39 days, every `decided_every`th lifted
    and decided 20 days after it came in."""
    year = year or timezone.localdate().year
    start = datetime.datetime(year, 1, 1, 12, tzinfo=timezone.get_default_timezone())
    localities = list(Locality.objects.order_by("pk").values_list("pk", flat=True))
    if connection.vendor != "postgresql":
        _in_batches(n, start, localities, answered_every, decided_every)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM proposals_proposal")
        (first,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO proposals_proposal (locality_id, title, body, status, visibility,"
            " support_count, comment_count, created_at, changed_at, municipal_stage)"
            " SELECT (%s::int[])[1 + i %% %s], 'Förslag ' || i, 'Text',"
            " CASE WHEN i %% %s = 0 THEN 'accepted' ELSE 'submitted' END, 'visible', 0, 0,"
            " %s + (i %% 8000) * interval '1 hour', now(),"
            " CASE WHEN i %% %s = 0 THEN 'decided' ELSE '' END"
            " FROM generate_series(1, %s) AS i",
            [localities, len(localities), answered_every, start, decided_every, n],
        )
        cursor.execute(
            "INSERT INTO proposals_statuschange (proposal_id, status, answer, answered_as,"
            " created_at)"
            " SELECT id, 'accepted', 'Tack', 'group', created_at + (id %% 40) * interval '1 day'"
            " FROM proposals_proposal WHERE id > %s AND status = 'accepted'",
            [first],
        )
        cursor.execute(
            "INSERT INTO proposals_municipalcase (proposal_id, stage, lifted_at, motivation,"
            " case_number, contact_role, registered_at, decided_on, outcome, summary,"
            " decision_url, changed_at)"
            " SELECT id, 'decided', created_at, 'Viktigt', 'KS ' || id, '', created_at,"
            " (created_at + interval '20 days')::date, 'granted', 'Bifall.', '', now()"
            " FROM proposals_proposal WHERE id > %s AND municipal_stage = 'decided'",
            [first],
        )


def _in_batches(n, start, localities, answered_every, decided_every):
    proposals = Proposal.objects.bulk_create(
        (
            Proposal(
                locality_id=localities[i % len(localities)],
                title=f"Förslag {i}",
                body="Text",
                status="accepted" if i % answered_every == 0 else "submitted",
                municipal_stage="decided" if i % decided_every == 0 else "",
                created_at=start + datetime.timedelta(hours=i % 8000),
            )
            for i in range(1, n + 1)
        ),
        batch_size=5000,
    )
    StatusChange.objects.bulk_create(
        (
            StatusChange(
                proposal=p,
                status="accepted",
                answer="Tack",
                answered_as="group",
                created_at=p.created_at + datetime.timedelta(days=p.pk % 40),
            )
            for p in proposals
            if p.status == "accepted"
        ),
        batch_size=5000,
    )
    MunicipalCase.objects.bulk_create(
        (
            MunicipalCase(
                proposal=p,
                stage="decided",
                lifted_at=p.created_at,
                motivation="Viktigt",
                case_number=f"KS {p.pk}",
                registered_at=p.created_at,
                decided_on=(p.created_at + datetime.timedelta(days=20)).date(),
                outcome="granted",
                summary="Bifall.",
            )
            for p in proposals
            if p.municipal_stage == "decided"
        ),
        batch_size=5000,
    )
