"""Which of the groups' dialogue meetings a form offers as the one where a proposal was
raised. The rule itself (the proposal's ort, a published or held meeting) is the
service's (services.raised_at); this is only what the lists show, each read in one query."""

from datetime import timedelta
from functools import cached_property

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from groups.models import DialogueMeeting

from .services.raised_at import RAISABLE

# The author names a meeting that was held lately or is just coming: a proposal brought
# up at a meeting is usually written down within weeks, and sometimes before it.
PAST_DAYS = 60
DAYS_AHEAD = 14


class MeetingField(forms.ModelChoiceField):
    """A meeting, or none. Any meeting is taken here, so that an outdated or forged choice
    reaches the service's check and gets its clear message; the choices offered are set by
    the form, from an OfferedMeetings."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=DialogueMeeting.objects.select_related("group"),
            required=False,
            error_messages={"invalid_choice": _("Choose one of the meetings in the list.")},
            **kwargs,
        )


def meeting_label(meeting: DialogueMeeting) -> str:
    label = f"{meeting.title}, {date_format(timezone.localtime(meeting.starts_at), 'j F Y')}"
    if meeting.status not in RAISABLE:
        label += f" ({meeting.get_status_display()})"
    return label


class OfferedMeetings:
    """The meetings a form lists, read once, when the form is first shown."""

    past_days = PAST_DAYS
    days_ahead = DAYS_AHEAD

    def __init__(self, queryset, *, since, until, by_ort: bool):
        self.queryset = queryset
        self.since, self.until = since, until
        self.by_ort = by_ort

    @cached_property
    def meetings(self) -> list[DialogueMeeting]:
        return list(self.queryset)

    def choices(self):
        """For the field's choices (called when it is rendered): no meeting first, then the
        meetings, the most recent first, under the name of their ort where there are many."""
        choices = [("", _("No meeting"))]
        if not self.by_ort:
            return [*choices, *((m.pk, meeting_label(m)) for m in self.meetings)]
        orter = {}
        for meeting in self.meetings:
            name = meeting.group.locality.name
            orter.setdefault(name, []).append((meeting.pk, meeting_label(meeting)))
        return [*choices, *sorted(orter.items())]

    def in_window(self, meeting: DialogueMeeting) -> bool:
        return self.since <= meeting.starts_at <= self.until


def _raisable():
    return DialogueMeeting.objects.filter(status__in=RAISABLE).order_by("-starts_at", "-id")


def offered_to_author(now=None) -> OfferedMeetings:
    """Every ort's published or held meetings that started in the last PAST_DAYS or start
    in the coming DAYS_AHEAD: the author chooses the ort in the same form."""
    now = now or timezone.now()
    since, until = now - timedelta(days=PAST_DAYS), now + timedelta(days=DAYS_AHEAD)
    meetings = _raisable().filter(starts_at__gte=since, starts_at__lte=until)
    return OfferedMeetings(
        meetings.select_related("group__locality"), since=since, until=until, by_ort=True
    )


def offered_to_coordinators(proposal, now=None) -> OfferedMeetings:
    """The ort's published or held meetings from PAST_DAYS before the proposal was made up
    to DAYS_AHEAD from now (a proposal can be brought up at any later meeting), and the
    meeting already set, whatever has become of it since, so the form shows it as chosen."""
    now = now or timezone.now()
    since, until = proposal.created_at - timedelta(days=PAST_DAYS), now + timedelta(days=DAYS_AHEAD)
    window = Q(status__in=RAISABLE, starts_at__gte=since, starts_at__lte=until)
    meetings = DialogueMeeting.objects.filter(
        Q(group__locality_id=proposal.locality_id) & (window | Q(pk=proposal.raised_at_id))
    ).order_by("-starts_at", "-id")
    return OfferedMeetings(meetings, since=since, until=until, by_ort=False)
