import secrets

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas.calendar_items import CalendarItem, MeetingStatus, meeting_uid, personal_uid
from allas.models import SlusGoal, actor_field, owner_field
from groups.models import DevelopmentGroup

# Selector (looked up) + verifier (compared in constant time): 16 + 32 characters.
SELECTOR_LENGTH = 16


def new_token() -> str:
    return secrets.token_urlsafe(36)[: SELECTOR_LENGTH + 32]


class NetworkRole(models.Model):
    """Someone in the network besides the groups' coordinators and delegates."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality representative")
        ADVISORY_BOARD = "advisory_board", _("Advisory board member")

    user = owner_field(related_name="network_roles")
    kind = models.CharField(_("represents"), max_length=16, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    role_title = models.CharField(
        _("role title"), max_length=120, blank=True, help_text=_("For example: Ledamot")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "user__display_name"]
        verbose_name = _("network role")
        verbose_name_plural = _("network roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="networkrole_once_per_kind")
        ]

    def __str__(self):
        return self.description

    @property
    def description(self) -> str:
        """Shown by role, e.g. "Ledamot, Styrgruppen, Näringslivet"."""
        body = {
            self.Kind.MUNICIPALITY: _("The municipality"),
            self.Kind.ADVISORY_BOARD: _("Advisory board"),
        }
        parts = [self.role_title, str(body[self.kind]), self.organisation]
        # Each once: an organisation that is the body itself is not named twice.
        seen = set()
        return ", ".join(
            p for p in parts if p and p.casefold() not in seen and not seen.add(p.casefold())
        )


class NetworkMeeting(CalendarItem, models.Model):
    """The network's strategic meeting, held at least once a year."""

    UID_PREFIX = "natverksmote"

    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        SlusGoal,
        verbose_name=_("theme (SLUS area)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    rsvp_deadline = models.DateTimeField(_("answer by"))
    report_deadline = models.DateTimeField(_("group reports by"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    # iCalendar SEQUENCE: raised on every change invitees are told about.
    sequence = models.PositiveIntegerField(_("calendar version"), default=0)
    # When the coordinators were told that the booklet can be read (set once).
    booklet_notice_at = models.DateTimeField(_("booklet notice sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("network meeting")
        verbose_name_plural = _("network meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(rsvp_deadline__lte=F("starts_at")), name="meeting_rsvp_before_start"
            ),
            models.CheckConstraint(
                condition=Q(report_deadline__lte=F("starts_at")),
                name="meeting_reports_before_start",
            ),
        ]

    def __str__(self):
        return self.dated_title

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.pk])

    @property
    def calendar_description(self) -> str:
        return self.purpose

    def booklet_is_open(self, now=None) -> bool:
        """From the report deadline the groups' reports are shared with the network."""
        return (
            self.status in (self.Status.PUBLISHED, self.Status.HELD)
            and (now or timezone.now()) >= self.report_deadline
        )


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        NetworkMeeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    time = models.TimeField(_("time"))
    title = models.CharField(_("item"), max_length=200)
    led_by = models.CharField(_("led by"), max_length=200, blank=True)

    class Meta:
        ordering = ["time", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self):
        return f"{self.time:%H.%M} {self.title}"


class Invitation(models.Model):
    class Represents(models.TextChoices):
        GROUP = "group", _("A local development group")
        MUNICIPALITY = "municipality", _("The municipality")
        ADVISORY_BOARD = "advisory_board", _("The advisory board")
        GUEST = "guest", _("Guest")

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        YES = "yes", _("Coming")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("Not coming")

    class Source(models.TextChoices):
        WEB = "web", _("The answer page")
        CALENDAR = "calendar", _("A calendar program")

    meeting = models.ForeignKey(
        NetworkMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    user = actor_field(_("person"), related_name="invitations", blank=True)
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    represents = models.CharField(_("represents"), max_length=16, choices=Represents.choices)
    group = models.ForeignKey(
        DevelopmentGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role_description = models.CharField(_("role"), max_length=250, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answer = models.CharField(
        _("answer"), max_length=8, choices=Answer.choices, default=Answer.PENDING
    )
    dietary_needs = models.CharField(_("dietary needs"), max_length=500, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.CharField(
        _("answered through"), max_length=8, choices=Source.choices, blank=True
    )
    # Raised on every recorded answer: each confirmation e-mail has its own key.
    answer_version = models.PositiveIntegerField(default=0, editable=False)
    sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["represents", "name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="invitation_once_per_address")
        ]
        indexes = [models.Index(fields=["meeting", "answer"])]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def get_answer_url(self):
        return reverse("meeting_answer", args=[self.token])

    @property
    def selector(self):
        return self.token[:SELECTOR_LENGTH]

    @property
    def meeting_uid(self) -> str:
        """The meeting's UID (NetworkMeeting.uid) without loading the meeting."""
        return meeting_uid(NetworkMeeting.UID_PREFIX, self.meeting_id)

    @property
    def calendar_uid(self) -> str:
        """The UID of this invitee's calendar event (allas.calendar_items)."""
        return personal_uid(NetworkMeeting.UID_PREFIX, self.meeting_id, self.pk, self.token)

    @property
    def partstat(self) -> str:
        """The iCalendar participation status of the answer."""
        return {
            self.Answer.YES: "ACCEPTED",
            self.Answer.NO: "DECLINED",
            self.Answer.MAYBE: "TENTATIVE",
        }.get(self.answer, "NEEDS-ACTION")


class ReminderSent(models.Model):
    """That one kind of reminder went to one invitation: at most once, by constraint."""

    class Kind(models.TextChoices):
        RSVP = "rsvp", _("Please answer")
        DAYS_BEFORE = "days_before", _("Days before the meeting")
        HOURS_BEFORE = "hours_before", _("Hours before the meeting")
        REPORT = "report", _("Group report")
        BOOKLET = "booklet", _("The booklet is open")
        MANUAL = "manual", _("Sent by staff")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind"],
                condition=~Q(kind="manual"),
                name="reminder_once_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.invitation_id}"


class GroupReport(models.Model):
    """What a group brings to the meeting: one per group and meeting."""

    meeting = models.ForeignKey(
        NetworkMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    group = models.ForeignKey(
        DevelopmentGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="+"
    )
    experiences = models.TextField(_("what we did and learned"), max_length=5000)
    plans = models.TextField(_("our plans for the coming year"), max_length=5000)
    wishes = models.TextField(_("what we want from the network"), blank=True, max_length=5000)
    submitted_by = actor_field(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["group__locality__name"]
        verbose_name = _("group report")
        verbose_name_plural = _("group reports")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "group"], name="report_once_per_group")
        ]

    def __str__(self):
        return f"{self.group} – {self.meeting}"


class CalendarReply(models.Model):
    """One e-mail received by `receive_mail`: what it said and what the portal did with
    it, so staff can see why an answer from a calendar was or was not recorded."""

    class Outcome(models.TextChoices):
        RECORDED = "recorded", _("Answer recorded")
        UNCHANGED = "unchanged", _("Same answer as before")
        IGNORED = "ignored", _("Ignored")

    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    sender = models.CharField(_("from"), max_length=320, blank=True)
    message_id = models.CharField(_("message id"), max_length=300, blank=True)
    uid = models.CharField(_("calendar UID"), max_length=300, blank=True)
    attendee = models.CharField(_("attendee"), max_length=320, blank=True)
    partstat = models.CharField(_("participation status"), max_length=20, blank=True)
    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calendar_replies",
    )
    signup = models.ForeignKey(
        "meetings.SignUp",
        verbose_name=_("sign-up"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calendar_replies",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("why"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("calendar reply")
        verbose_name_plural = _("calendar replies")

    def __str__(self):
        return f"{self.sender or '?'}: {self.get_outcome_display()}"


# The sign-ups to the groups' dialogue meetings live in their own sub-package; importing
# them here keeps the app label and `from meetings.models import SignUp`.
from .dialogue.models import SignUp, SignUpQuerySet  # noqa: E402

__all__ = ["SignUp", "SignUpQuerySet"]
