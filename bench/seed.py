"""Seeds a benchmark database: proposals over the ten orter, each with supports,
comments and a history. Run through `manage.py shell` by bench/proposals.py."""

import random

from allauth.account.models import EmailAddress
from django.db import transaction

from allas.models import Locality, SlusGoal, User
from proposals.models import Comment, Proposal, StatusChange, Support

BODY = (
    "Det är mörkt längs cykelvägen mellan skolan och idrottsplatsen på kvällarna.\n"
    "Fler barn skulle cykla om det fanns belysning. Se https://vimmerby.se för kartan."
)


@transaction.atomic
def seed(proposals: int, comments_each: int, supports_each: int) -> None:
    random.seed(2026)
    if Proposal.objects.count() >= proposals:
        return
    people = [User(email=f"bench{n}@example.se", display_name=f"Invånare {n}") for n in range(50)]
    people = User.objects.bulk_create(people, ignore_conflicts=True)
    people = list(User.objects.filter(email__startswith="bench"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people],
        ignore_conflicts=True,
    )
    localities = list(Locality.objects.all())
    goals = list(SlusGoal.objects.all())
    created = Proposal.objects.bulk_create(
        Proposal(
            author=people[i % len(people)],
            locality=localities[i % len(localities)],
            title=f"Förslag {i}: belysning längs cykelvägen",
            body=BODY,
            support_count=supports_each,
            comment_count=comments_each,
        )
        for i in range(proposals)
    )
    Proposal.objects.filter(pk__in=[p.pk for p in created]).update_search_vectors()
    Proposal.goals.through.objects.bulk_create(
        Proposal.goals.through(proposal_id=p.pk, slusgoal_id=g.pk)
        for p in created
        for g in random.sample(goals, 2)
    )
    StatusChange.objects.bulk_create(
        StatusChange(proposal=p, status="submitted", answered_by=p.author, answered_as="author")
        for p in created
    )
    Support.objects.bulk_create(
        Support(proposal=p, user=u) for p in created for u in random.sample(people, supports_each)
    )
    Comment.objects.bulk_create(
        Comment(proposal=p, author=people[(i + k) % len(people)], body=f"Kommentar {k}: bra idé!")
        for i, p in enumerate(created)
        for k in range(comments_each)
    )
