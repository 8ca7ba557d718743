"""Signing up for a group's dialogue meeting, and everything after: a signed-in resident
signs up in one step; a visitor gives a name and an address and confirms by a link in an
e-mail (nothing is reserved until then, and the link works CONFIRM_HOURS). When the
meeting is full the person goes on the waiting list; a cancellation (the personal link, a
calendar's DECLINED or the coordinator) moves the first in line up at once. Seats are
counted under the meeting's row lock, so two people never both get the last one."""

import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.page_cache import renews_public_content
from groups.models import DialogueMeeting

from ..models import SELECTOR_LENGTH, SignUp, new_token
from ..services.emails import meeting_emails_queue
from ..words import AuditVerb as Verb
from .common import MeetingError, lock_dialogue, record

Status = SignUp.Status
Source = SignUp.Source

# A visitor's confirmation link works this long.
CONFIRM_HOURS = 24
# The personal link stops working this long after the meeting ended.
LINK_DAYS_AFTER_MEETING = 30
NEED_MAX = 500


def free_seats(meeting: DialogueMeeting) -> int | None:
    """Seats left, or None when there is room for everyone. Ask it under the row lock."""
    if meeting.capacity is None:
        return None
    return max(meeting.capacity - meeting.signups.seated().count(), 0)


def waiting_place(signup: SignUp) -> int:
    """The person's place on the waiting list, 1 for the first in line."""
    return (
        SignUp.objects.filter(meeting_id=signup.meeting_id)
        .waiting()
        .filter(queued_at__lt=signup.queued_at)
        .count()
        + SignUp.objects.filter(
            meeting_id=signup.meeting_id,
            status=Status.WAITING,
            queued_at=signup.queued_at,
            pk__lt=signup.pk,
        ).count()
        + 1
    )


def _needs(meeting, food: str, access: str) -> tuple[str, str]:
    food = (food or "").strip()[:NEED_MAX] if meeting.asks_food else ""
    access = (access or "").strip()[:NEED_MAX] if meeting.asks_access else ""
    return food, access


def _refuse_unless_open(meeting: DialogueMeeting) -> None:
    if meeting.status == DialogueMeeting.Status.CANCELLED:
        raise MeetingError(_("The meeting is cancelled."))
    if not meeting.takes_signups():
        raise MeetingError(_("Sign-up for this meeting has closed."))


def _already(existing: SignUp) -> str:
    if existing.status == Status.WAITING:
        return _("This address is already on the waiting list for the meeting.")
    if existing.status == Status.UNCONFIRMED:
        return _(
            "We have already sent a link to confirm the sign-up to this address. "
            "Look in your inbox, and in the spam folder."
        )
    return _("This address is already signed up for the meeting.")


def confirm_link_expired(signup: SignUp, now=None) -> bool:
    """A visitor's link to confirm works CONFIRM_HOURS from the sign-up."""
    return (now or timezone.now()) > signup.created_at + timedelta(hours=CONFIRM_HOURS)


def _take_seat_or_wait(meeting: DialogueMeeting, signup: SignUp) -> None:
    """Under the meeting's lock: a seat if one is free, else the end of the waiting list,
    and the e-mail that says which."""
    now = timezone.now()
    seats = free_seats(meeting)
    signup.confirmed_at = signup.confirmed_at or now
    signup.version += 1
    if seats is None or seats > 0:
        signup.status, signup.queued_at = Status.SIGNED_UP, None
        signup.save()
        _email(meeting, signup, "confirmation", ics=True)
    else:
        signup.status, signup.queued_at = Status.WAITING, now
        signup.save()
        _email(meeting, signup, "waiting", place=waiting_place(signup))


def _email(meeting, signup, template, *, ics=False, cancelled=False, **extra) -> None:
    meeting_emails_queue(
        meeting=meeting,
        invitations=[signup],
        template=template,
        key=lambda s: f"{template}:{s.pk}:{s.version}",
        ics=ics,
        cancelled=cancelled,
        **extra,
    )


@transaction.atomic
@renews_public_content
def signup_create(
    *,
    meeting: DialogueMeeting,
    user=None,
    name: str = "",
    email: str = "",
    food_needs: str = "",
    access_needs: str = "",
    language: str = "",
) -> SignUp:
    """Signs a person up. With an account, at once; without, a link to confirm is sent and
    nothing is reserved until it is used. A second sign-up for the same address changes
    nothing and says why."""
    meeting = lock_dialogue(meeting)
    _refuse_unless_open(meeting)
    if user is not None:
        name, email = user.display_name, user.email
    name, email = (name or "").strip(), (email or "").strip().lower()
    if not name:
        raise MeetingError(_("Write your name."))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise MeetingError(_("Write an e-mail address, for example namn@exempel.se.")) from exc
    food, access = _needs(meeting, food_needs, access_needs)
    signup = SignUp.objects.filter(meeting=meeting, email=email).first()
    if signup is not None:
        unconfirmed = signup.status == Status.UNCONFIRMED
        retry = signup.status == Status.CANCELLED or (
            unconfirmed and (user is not None or confirm_link_expired(signup))
        )
        if not retry:
            raise MeetingError(_already(signup))
        # A new start: a new token, so an old link no longer opens it.
        signup.token, signup.created_at = new_token(), timezone.now()
        signup.cancelled_at = signup.confirmed_at = None
    else:
        signup = SignUp(meeting=meeting, email=email)
    signup.user = user if user is not None else signup.user
    signup.name, signup.food_needs, signup.access_needs = name, food, access
    signup.language = (user.language if user is not None else language) or settings.LANGUAGE_CODE
    signup.changed_by = Source.WEB
    if user is not None:
        _take_seat_or_wait(meeting, signup)
        return signup
    signup.status, signup.queued_at = Status.UNCONFIRMED, None
    signup.version += 1
    signup.save()
    _email(meeting, signup, "verify", hours=CONFIRM_HOURS)
    return signup


@transaction.atomic
@renews_public_content
def signup_confirm(*, signup: SignUp) -> SignUp:
    """The visitor's link was used: a seat or a place in line now, if still open."""
    meeting = lock_dialogue(signup.meeting)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.status != Status.UNCONFIRMED:
        return signup
    if confirm_link_expired(signup):
        raise MeetingError(
            _("The link to confirm is more than %(hours)d hours old. Sign up again.")
            % {"hours": CONFIRM_HOURS}
        )
    _refuse_unless_open(meeting)
    _take_seat_or_wait(meeting, signup)
    return signup


@transaction.atomic
def signup_change_needs(*, signup: SignUp, food_needs: str, access_needs: str) -> SignUp:
    signup = SignUp.objects.select_for_update().select_related("meeting").get(pk=signup.pk)
    if not signup.is_active or signup.meeting.has_started():
        raise MeetingError(_("The sign-up can no longer be changed."))
    signup.food_needs, signup.access_needs = _needs(signup.meeting, food_needs, access_needs)
    signup.save(update_fields=["food_needs", "access_needs"])
    return signup


@transaction.atomic
@renews_public_content
def signup_cancel(*, signup: SignUp, source: str = Source.WEB, by=None) -> SignUp:
    """Cancels the sign-up or the place in line; a freed seat goes to the first in line at
    once. `by` is the coordinator who cancelled it for the person."""
    meeting = lock_dialogue(signup.meeting)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if not signup.is_active:
        if signup.status == Status.UNCONFIRMED:
            raise MeetingError(_("The sign-up was never confirmed, so there is nothing to cancel."))
        return signup
    if meeting.has_started():
        raise MeetingError(_("The meeting has started: the sign-up can no longer be cancelled."))
    had_seat = signup.status == Status.SIGNED_UP
    signup.status, signup.queued_at, signup.cancelled_at = Status.CANCELLED, None, timezone.now()
    signup.food_needs = signup.access_needs = ""
    signup.changed_by = source
    signup.version += 1
    signup.save()
    _email(meeting, signup, "cancelled_signup", ics=had_seat, cancelled=had_seat)
    if by is not None:
        record(by, Verb.DIALOGUE_SIGNUP_CANCELLED, meeting, meeting, name=signup.name)
    if had_seat:
        move_up(meeting)
    return signup


def move_up(meeting: DialogueMeeting) -> int:
    """Gives free seats to those first in line, each told at once with the calendar file.
    Call it under the meeting's lock. Returns how many moved up."""
    seats = free_seats(meeting)
    if seats == 0:
        return 0
    waiting = meeting.signups.waiting().order_by("queued_at", "id").select_related("user")
    moved = list(waiting if seats is None else waiting[:seats])
    for signup in moved:
        signup.status, signup.queued_at = Status.SIGNED_UP, None
        signup.version += 1
        signup.save(update_fields=["status", "queued_at", "version"])
        _email(meeting, signup, "moved_up", ics=True)
    return len(moved)


def signup_by_token(token: str) -> SignUp | None:
    """The sign-up a personal link belongs to, found by the selector and compared in
    constant time. A link to a draft, or of a meeting that ended long ago, works no
    more."""
    if len(token) != SELECTOR_LENGTH + 32:
        return None
    signup = (
        SignUp.objects.select_related("meeting__group__locality", "user")
        .filter(token__startswith=token[:SELECTOR_LENGTH])
        .first()
    )
    if signup is None or not hmac.compare_digest(signup.token, token):
        return None
    meeting = signup.meeting
    if not meeting.is_public:
        return None
    if meeting.ends_at < timezone.now() - timedelta(days=LINK_DAYS_AFTER_MEETING):
        return None
    return signup


def calendar_answer(*, signup: SignUp, partstat: str) -> bool:
    """A calendar program's REPLY: DECLINED cancels as the personal link does; ACCEPTED
    and TENTATIVE change nothing (the person is signed up or in line already). Returns
    whether anything changed."""
    if partstat != "DECLINED" or not signup.is_active:
        return False
    signup_cancel(signup=signup, source=Source.CALENDAR)
    return True
