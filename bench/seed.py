"""Seeds a benchmark database fast: proposals over the ten orter with varied Swedish text
(so that searches match some, many or none), each with 5 comments, supports and a
history; a published plan and four coming dialogue meetings per ort. Run through
`manage.py shell` by bench/proposals.py."""

import datetime
import random

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone

from allas.models import Locality, SlusGoal, User
from groups.models import Action, DevelopmentGroup, DialogueMeeting, Plan
from proposals.models import Proposal

SUBJECTS = [
    "belysning längs cykelvägen",
    "en ny lekplats",
    "fler bänkar vid busshållplatsen",
    "laddstolpar för elbilar",
    "bättre snöröjning",
    "en brygga vid badplatsen",
    "en återvinningsstation",
    "en hundrastgård",
    "fiberutbyggnad på landsbygden",
    "nytt konstgräs på fotbollsplanen",
    "längre öppettider på biblioteket",
    "en gång- och cykelväg till skolan",
    "farthinder på bygatan",
    "en boulebana",
    "blommor på torget",
    "en skatepark",
    "bättre busstider",
    "ett utegym",
    "en grillplats",
    "en pumptrack",
    "säkrare skolvägar",
    "en mötesplats för unga",
    "en ny parkering",
]
PLACES = [
    "vid skolan",
    "i centrum",
    "vid kyrkan",
    "mot idrottsplatsen",
    "vid sjön",
    "i parken",
    "vid affären",
    "längs ån",
    "vid förskolan",
    "på bygatan",
]
SENTENCES = [
    "Det är mörkt på kvällarna och barnen cyklar hem från träningen.",
    "Många äldre vill kunna vila på vägen till affären.",
    "Föreningarna kan hjälpa till med arbetet om kommunen står för materialet.",
    "Sommartid kommer många besökare och då behövs det mer plats.",
    "Vi har pratat med grannarna och de flesta håller med.",
    "Det skulle göra orten mer attraktiv för barnfamiljer.",
    "Trafiken har ökat sedan den nya vägen byggdes.",
    "Ungdomarna saknar en plats att träffas på efter skolan.",
    "På vintern plogas trottoarerna för sent.",
    "Se kartan på kommunens webbplats för förslaget.",
]
STATUSES = ["submitted"] * 6 + ["under_review"] * 2 + ["accepted", "declined", "done"]


def seed(proposals: int, comments_each: int = 5, supports_each: int = 3) -> None:
    seed_proposals(proposals, comments_each, supports_each)
    seed_meetings()


@transaction.atomic
def seed_meetings(per_ort: int = 4) -> None:
    """Published dialogue meetings in the weeks ahead in every ort, for the meeting pages."""
    if DialogueMeeting.objects.exists():
        return
    now = timezone.now()
    meetings = []
    for n, group in enumerate(DevelopmentGroup.objects.select_related("locality").order_by("id")):
        for k in range(per_ort):
            starts = timezone.localtime(now + datetime.timedelta(days=7 * (k + 1) + n))
            starts = starts.replace(hour=18, minute=30, second=0, microsecond=0)
            meetings.append(
                DialogueMeeting(
                    group=group,
                    title=f"Bygdemöte {k + 1} i {group.locality.name}",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    venue="Bygdegården",
                    address=f"Storgatan 1, {group.locality.name}",
                    description="Vi pratar om vad som behövs i orten.",
                    capacity=40,
                    status=DialogueMeeting.Status.PUBLISHED,
                    published_at=now,
                )
            )
    DialogueMeeting.objects.bulk_create(meetings)


@transaction.atomic
def seed_proposals(proposals: int, comments_each: int, supports_each: int) -> None:
    rng = random.Random(2026)
    if Proposal.objects.count() >= proposals:
        return
    people = [User(email=f"bench{n}@example.se", display_name=f"Invånare {n}") for n in range(50)]
    User.objects.bulk_create(people, ignore_conflicts=True)
    people = list(User.objects.filter(email__startswith="bench").order_by("id"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people],
        ignore_conflicts=True,
    )
    localities = list(Locality.objects.order_by("id"))
    goals = list(SlusGoal.objects.order_by("id"))
    batch = []
    for i in range(proposals):
        subject = rng.choice(SUBJECTS)
        batch.append(
            Proposal(
                author=people[i % len(people)],
                locality=localities[i % len(localities)],
                title=f"{subject.capitalize()} {rng.choice(PLACES)}"[:150],
                body="\n".join(rng.sample(SENTENCES, 3)),
                status=rng.choice(STATUSES),
                support_count=supports_each,
                comment_count=comments_each,
            )
        )
    Proposal.objects.bulk_create(batch, batch_size=5000)
    # Everything else in set-based SQL: seconds, not minutes, at 50,000 proposals.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE proposals_proposal SET created_at = now() - (id || ' minutes')::interval, "
            "changed_at = now() - (id || ' minutes')::interval"
        )
        cursor.execute(
            "INSERT INTO proposals_proposal_goals (proposal_id, slusgoal_id) "
            "SELECT p.id, g.id FROM proposals_proposal p JOIN allas_slusgoal g "
            "ON g.id IN (%s, %s) AND (p.id %% 3 = 0 OR g.id = %s) ON CONFLICT DO NOTHING",
            [goals[0].pk, goals[4].pk, goals[4].pk],
        )
        cursor.execute(
            "INSERT INTO proposals_statuschange (proposal_id, status, answer, answered_by_id, "
            "answered_as, created_at) SELECT id, 'submitted', '', author_id, 'author', "
            "created_at FROM proposals_proposal"
        )
        cursor.execute(
            "INSERT INTO proposals_support (proposal_id, user_id, created_at) "
            "SELECT p.id, u.id, p.created_at FROM proposals_proposal p "
            "JOIN LATERAL (SELECT id FROM allas_user WHERE email LIKE 'bench%%' "
            "ORDER BY (id * 7 + p.id) %% 50 LIMIT %s) u ON true",
            [supports_each],
        )
        cursor.execute(
            "INSERT INTO proposals_comment (proposal_id, author_id, body, created_at, "
            "is_deleted, visibility) SELECT p.id, (SELECT min(id) FROM allas_user "
            "WHERE email LIKE 'bench%%') + (p.id + k) %% 50, 'Kommentar ' || k || ': bra idé!', "
            "p.created_at + (k || ' minutes')::interval, false, 'visible' "
            "FROM proposals_proposal p, generate_series(1, %s) k",
            [comments_each],
        )
    Proposal.objects.all().update_search_vectors()
    for n, group in enumerate(DevelopmentGroup.objects.select_related("locality")):
        plan, _ = Plan.objects.get_or_create(
            group=group, year=2026, defaults={"status": "published", "needs": "Orten behöver."}
        )
        for k in range(5):
            Action.objects.get_or_create(
                plan=plan,
                position=k,
                defaults={"title": f"Åtgärd {k} i {group.locality.name}", "progress": n * 5},
            )
