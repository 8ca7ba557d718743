"""Two of the groups' dialogue meetings for `make run`: a coming village meeting in
Pelarne that is nearly full, and a workshop held in Storebro three weeks ago with its
minutes (the demo proposals tie one proposal to it). Made through the services, as a
coordinator would; run again, it changes nothing."""

import datetime

from django.utils import timezone

from allas.demo_days import workday_before, workday_in
from allas.management.commands.load_demo import demo_account
from allas.models import SlusGoal
from groups.models import DevelopmentGroup, DialogueMeeting, Membership

from ..models import SignUp
from . import lifecycle

NEARLY_FULL = 30
SIGNED_UP = 28


def _coordinator(group):
    membership = (
        Membership.objects.coordinators().filter(group=group).select_related("user").first()
    )
    return membership.user if membership else None


def _signed_up(meeting, prefix, name, count) -> None:
    """Demo residents with a seat, written directly: the demo sends no one e-mail."""
    people = [
        demo_account(f"{prefix}{n}@allas.example", f"{name} {n}")[0] for n in range(1, count + 1)
    ]
    SignUp.objects.bulk_create(
        SignUp(
            meeting=meeting,
            user=person,
            name=person.display_name,
            email=person.email,
            status=SignUp.Status.SIGNED_UP,
            confirmed_at=timezone.now(),
        )
        for person in people
    )


def _at(days: int, hour: int, minute=0):
    """On a working day, as the groups' meetings are (allas.demo_days)."""
    return workday_in(days, hour, minute)


def load() -> int:
    """Returns how many meetings were made now."""
    made = 0
    pelarne = DevelopmentGroup.objects.select_related("locality").get(locality__slug="pelarne")
    if not DialogueMeeting.objects.filter(group=pelarne).exists():
        _coming(pelarne)
        made += 1
    storebro = DevelopmentGroup.objects.select_related("locality").get(locality__slug="storebro")
    if not DialogueMeeting.objects.filter(group=storebro).exists():
        _held(storebro)
        made += 1
    return made


def _coming(group):
    by = _coordinator(group)
    start = _at(9, 18, 30)
    meeting = lifecycle.dialogue_create(
        group=group,
        fields={
            "title": "Bygdemöte om vägen och bussen",
            "kind": DialogueMeeting.Kind.BYGDEMOTE,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2),
            "venue": "Pelarne bygdegård",
            "address": "Pelarne 1, 598 93 Vimmerby",
            "description": (
                "Hur tar vi oss till jobb, skola och affär? Vi samlar allas erfarenheter "
                "av vägen och bussen och bestämmer vad gruppen tar vidare till kommunen. "
                "Kaffe och smörgås finns."
            ),
            "capacity": NEARLY_FULL,
            "signup_deadline": workday_before(start, 1),
            "asks_food": True,
            "asks_access": True,
        },
        goals=SlusGoal.objects.filter(slug__in=["kontakt", "motas"]),
        by=by,
    )
    lifecycle.dialogue_publish(meeting=meeting, by=by)
    _signed_up(meeting, "pelarnebo", "Pelarnebo", SIGNED_UP)


def _held(group):
    by = _coordinator(group)
    start = _at(-21, 18)
    meeting = lifecycle.dialogue_create(
        group=group,
        fields={
            "title": "Workshop: planen för Storebro 2027",
            "kind": DialogueMeeting.Kind.WORKSHOP,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=2, minutes=30),
            "venue": "Storebro skola, matsalen",
            "address": "Skolvägen 2, Storebro",
            "description": "Vi går igenom utvecklingsplanen tillsammans och prioriterar.",
        },
        goals=SlusGoal.objects.filter(slug="trivas"),
        by=by,
    )
    # Made as it was before the meeting: published, then held.
    DialogueMeeting.objects.filter(pk=meeting.pk).update(
        status=DialogueMeeting.Status.PUBLISHED, published_at=workday_before(start, 14)
    )
    _signed_up(meeting, "storebrobo", "Storebrobo", 6)
    lifecycle.dialogue_mark_held(meeting=meeting, attendance=17, by=by)
    lifecycle.dialogue_minutes_publish(
        meeting=meeting,
        minutes=(
            "17 personer kom. Vi gick igenom planens åtgärder och röstade med prickar.\n\n"
            "Högst prioritet: belysning längs cykelvägen till skolan, som också finns "
            "som förslag på portalen. Gruppen lyfter den till kommunen.\n\n"
            "Nästa möte: i mars."
        ),
        by=by,
    )
