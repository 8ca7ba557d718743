"""The reads of the dialogue meetings' public pages: the lists of coming meetings (the
groups' and the network's, in one order), an ort's past meetings, a meeting's seats and
a person's own sign-up. Each costs a fixed number of queries, however many meetings or
sign-ups there are."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import CharField, Count, Q, Value
from django.utils import timezone

from allas.paging import CappedPage, capped_page, page_number
from groups.models import DialogueMeeting

from ..models import NetworkMeeting, SignUp
from . import signups
from .public_forms import NETWORK

Status = DialogueMeeting.Status
# A coming meeting is listed also when it is cancelled, so that whoever saw the poster
# learns it is off.
LISTED = (Status.PUBLISHED, Status.CANCELLED)
# The subscribable calendars keep the meetings of the last months too, so that a meeting
# does not vanish from a calendar the moment it ends.
FEED_PAST_DAYS = 92
FEED_MAX = 500


def _dialogue_rows(queryset):
    return (
        queryset.order_by()
        .annotate(source=Value("d", output_field=CharField()))
        .values_list("starts_at", "id", "source")
    )


def coming_page(number, *, per_page: int, max_pages: int, locality=None, kind="", now=None):
    """One page of the coming meetings, the groups' and (unless an ort or a kind of the
    groups' is asked for) the network's, in the order they start: three queries for the
    order and the count, then two to load the page's meetings and one for their seats."""
    now = now or timezone.now()
    parts = []
    if kind != NETWORK:
        dialogue = DialogueMeeting.objects.filter(status__in=LISTED, ends_at__gte=now)
        if locality is not None:
            dialogue = dialogue.filter(group__locality=locality)
        if kind:
            dialogue = dialogue.filter(kind=kind)
        parts.append(_dialogue_rows(dialogue))
    if locality is None and kind in ("", NETWORK):
        network = NetworkMeeting.objects.filter(status__in=LISTED, ends_at__gte=now)
        parts.append(
            network.order_by()
            .annotate(source=Value("n", output_field=CharField()))
            .values_list("starts_at", "id", "source")
        )
    if not parts:  # the network's meetings in one ort: there are none
        parts.append(_dialogue_rows(DialogueMeeting.objects.none()))
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    count = rows.count()
    page = CappedPage([], min(page_number(number), max_pages), per_page, count, more=False)
    page.number = min(page.number, page.num_pages)
    offset = (page.number - 1) * per_page
    keys = list(rows.order_by("starts_at", "source", "id")[offset : offset + per_page])
    page.capped = page.number == max_pages and count > max_pages * per_page
    page.object_list = _load(keys)
    return page


def _load(keys) -> list:
    dialogue_ids = [pk for _, pk, source in keys if source == "d"]
    network_ids = [pk for _, pk, source in keys if source == "n"]
    found = {}
    if dialogue_ids:
        meetings = list(
            DialogueMeeting.objects.filter(pk__in=dialogue_ids).select_related("group__locality")
        )
        with_seats(meetings)
        found.update({("d", m.pk): m for m in meetings})
    if network_ids:
        for meeting in NetworkMeeting.objects.filter(pk__in=network_ids):
            meeting.is_network = True
            found[("n", meeting.pk)] = meeting
    return [found[(source, pk)] for _, pk, source in keys if (source, pk) in found]


def with_seats(meetings) -> list:
    """Each meeting's `seats_left` (None: room for everyone): one query for all."""
    limited = [m.pk for m in meetings if m.capacity is not None]
    seated = {}
    if limited:
        seated = dict(
            SignUp.objects.filter(meeting_id__in=limited, status=SignUp.Status.SIGNED_UP)
            .values("meeting_id")
            .annotate(n=Count("id"))
            .values_list("meeting_id", "n")
        )
    for meeting in meetings:
        meeting.seats_left = (
            None
            if meeting.capacity is None
            else max(meeting.capacity - seated.get(meeting.pk, 0), 0)
        )
    return meetings


def past_page(locality, number, *, per_page: int, max_pages: int, now=None):
    meetings = (
        DialogueMeeting.objects.public()
        .past(now)
        .filter(group__locality=locality)
        .select_related("group__locality")
        .order_by("-starts_at", "-id")
    )
    page = capped_page(meetings, number, per_page=per_page, max_pages=max_pages)
    for meeting in page.object_list:
        meeting.seats_left = None  # past: no sign-up to offer
    return page


@dataclass
class Seats:
    seated: int
    waiting: int
    left: int | None  # None: room for everyone


def seats(meeting: DialogueMeeting) -> Seats:
    """Signed up and waiting, in one query; after the personal data was removed, the count
    that was kept."""
    counts = meeting.signups.aggregate(
        seated=Count("id", filter=Q(status=SignUp.Status.SIGNED_UP)),
        waiting=Count("id", filter=Q(status=SignUp.Status.WAITING)),
    )
    seated = counts["seated"]
    if meeting.personal_data_removed_at is not None and meeting.kept_signup_count is not None:
        seated = meeting.kept_signup_count
    left = None if meeting.capacity is None else max(meeting.capacity - seated, 0)
    return Seats(seated=seated, waiting=counts["waiting"], left=left)


def own_signup(user, meeting: DialogueMeeting) -> SignUp | None:
    """The signed-in resident's sign-up to the meeting: made with the account, or earlier
    with the same address by the link; with its place in line if waiting."""
    if not user.is_authenticated:
        return None
    signup = (
        SignUp.objects.filter(meeting=meeting)
        .filter(Q(user=user) | Q(email__iexact=user.email))
        .order_by("-created_at")
        .first()
    )
    if signup is not None:
        signup.meeting = meeting
        signup.place = (
            signups.waiting_place(signup) if signup.status == SignUp.Status.WAITING else None
        )
    return signup


def feed_meetings(*, locality=None, now=None) -> list:
    """The public meetings of a subscribable calendar: coming, and those of the last
    months; the network's with the municipality's calendar, not an ort's."""
    since = (now or timezone.now()) - timedelta(days=FEED_PAST_DAYS)
    dialogue = DialogueMeeting.objects.public().filter(ends_at__gte=since)
    if locality is not None:
        dialogue = dialogue.filter(group__locality=locality)
    meetings = list(dialogue.order_by("starts_at", "id")[:FEED_MAX])
    if locality is None:
        network = NetworkMeeting.objects.filter(
            status__in=NetworkMeeting.PUBLIC, ends_at__gte=since
        ).order_by("starts_at", "id")
        meetings += list(network[:FEED_MAX])
    return meetings
