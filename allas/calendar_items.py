"""What every meeting of the portal is in a calendar, whoever holds it (the network
meeting, a group's dialogue meeting): its name with the date, its UID, whether the
public sees it and whether it has begun; and the personal UID of each person's copy,
which carries a key derived from their secret token, so that a calendar reply naming it
can only come from the person's own invitation (the meeting's UID is guessable; this one
is not). meetings.inbound reads them back."""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

DOMAIN = "allas-vimmerby"


def meeting_uid(prefix: str, meeting_id: int) -> str:
    return f"{prefix}-{meeting_id}@{DOMAIN}"


def personal_uid(prefix: str, meeting_id: int, row_id: int, token: str) -> str:
    key = hashlib.sha256(f"calendar:{token}".encode()).hexdigest()[:24]
    return f"{prefix}-{meeting_id}-{row_id}-{key}@{DOMAIN}"


class MeetingStatus(models.TextChoices):
    """Where every meeting is on its way: the same four steps for every kind."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class CalendarItem:
    """Mixed into a meeting model with title, starts_at and a status of MeetingStatus;
    UID_PREFIX names its kind in every calendar UID."""

    UID_PREFIX = ""
    Status = MeetingStatus
    # What the public sees: everything but a draft.
    PUBLIC = (MeetingStatus.PUBLISHED, MeetingStatus.CANCELLED, MeetingStatus.HELD)

    @property
    def dated_title(self) -> str:
        """ "Bygdemöte om skolan (15 december 2026)": the meeting's name wherever it is
        listed, its date in words as running text says it, in the reader's language."""
        return f"{self.title} ({date_format(timezone.localtime(self.starts_at), 'j F Y')})"

    @property
    def uid(self) -> str:
        """Stable calendar UID, the same in every .ics about this meeting."""
        return meeting_uid(self.UID_PREFIX, self.pk)

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at
