"""The groups' dialogue meetings and their sign-ups, made directly in the database (no
e-mail, no audit entry), as the tests of every dialogue page need them.

`dialogue_meeting()` is a published meeting of Storebro's group two weeks ahead;
`signup(meeting)` a confirmed sign-up with a seat. Both take any model field to differ.
"""

import datetime

import factory
from django.utils import timezone

from groups.models import DevelopmentGroup, DialogueMeeting
from meetings.models import SignUp


def _start(days_ahead: int = 14) -> datetime.datetime:
    # A whole hour in the evening, Stockholm time, as a village meeting usually is.
    day = timezone.localtime() + datetime.timedelta(days=days_ahead)
    return day.replace(hour=18, minute=30, second=0, microsecond=0)


class DialogueMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueMeeting
        skip_postgeneration_save = True

    group = factory.LazyFunction(lambda: DevelopmentGroup.objects.get(locality__slug="storebro"))
    title = factory.Sequence(lambda n: f"Bygdemöte {n}")
    kind = DialogueMeeting.Kind.BYGDEMOTE
    starts_at = factory.LazyFunction(_start)
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=2))
    venue = "Bygdegården"
    address = "Storgatan 1, Storebro"
    description = "Vi pratar om vad som behövs i orten."
    status = DialogueMeeting.Status.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda m: timezone.now() if m.status != DialogueMeeting.Status.DRAFT else None
    )

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        if create and extracted:
            self.goals.set(extracted)


class SignUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignUp

    meeting = factory.SubFactory(DialogueMeetingFactory)
    name = factory.Sequence(lambda n: f"Deltagare {n}")
    email = factory.Sequence(lambda n: f"deltagare{n}@example.se")
    status = SignUp.Status.SIGNED_UP
    confirmed_at = factory.LazyAttribute(
        lambda s: None if s.status == SignUp.Status.UNCONFIRMED else timezone.now()
    )
    # The waiting list is ordered by when each joined it.
    queued_at = factory.LazyAttribute(
        lambda s: timezone.now() if s.status == SignUp.Status.WAITING else None
    )
    cancelled_at = factory.LazyAttribute(
        lambda s: timezone.now() if s.status == SignUp.Status.CANCELLED else None
    )


def dialogue_meeting(group=None, **fields) -> DialogueMeeting:
    """A published coming meeting (of Storebro's group unless `group` is given). Pass
    `status="draft"`, `starts_at=…` (ends_at follows, two hours later), `goals=[…]` or any
    other field to differ."""
    if group is not None:
        fields["group"] = group
    return DialogueMeetingFactory(**fields)


def signup(meeting, **fields) -> SignUp:
    """A confirmed sign-up with a seat at the meeting; `status="waiting"` puts it last in
    line, `user=…` ties it to an account (its name and address unless given)."""
    user = fields.get("user")
    if user is not None:
        fields.setdefault("name", user.display_name)
        fields.setdefault("email", user.email)
    return SignUpFactory(meeting=meeting, **fields)


def signup_rows(meeting, n: int, *, status=SignUp.Status.SIGNED_UP, start: int = 0):
    """`n` sign-ups in one query (bulk_create), for the tests of large meetings."""
    now, waiting = timezone.now(), status == SignUp.Status.WAITING
    rows = [
        SignUpFactory.build(
            meeting=meeting,
            name=f"Massdeltagare {i}",
            email=f"mass{i}@example.se",
            status=status,
            queued_at=(now + datetime.timedelta(seconds=i)) if waiting else None,
        )
        for i in range(start, start + n)
    ]
    return SignUp.objects.bulk_create(rows)
