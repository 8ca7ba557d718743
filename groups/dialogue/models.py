"""A group's own dialogue meetings (bygdemöte, workshop, vandring): what the meeting is.
The model sits with the groups, below both proposals and meetings, so that a proposal can
name the meeting it was raised at and the meetings app can take the sign-ups, each
pointing down. Everything the meeting does (publishing, sign-up, calendar, poster) is the
meetings app's."""

import secrets

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas.calendar_items import CalendarItem, MeetingStatus
from allas.models import actor_field

# Letters and digits that cannot be mistaken for each other when read off a poster.
SHORT_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SHORT_CODE_LENGTH = 6


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class DialogueMeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=DialogueMeeting.PUBLIC)

    def coming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())


class DialogueMeeting(CalendarItem, models.Model):
    """A meeting a local development group holds with the residents."""

    UID_PREFIX = "mote"

    class Kind(models.TextChoices):
        BYGDEMOTE = "bygdemote", _("Village meeting")
        WORKSHOP = "workshop", _("Workshop")
        WALK = "vandring", _("Walk")
        OTHER = "annat", _("Other")

    group = models.ForeignKey(
        "groups.DevelopmentGroup",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="dialogue_meetings",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BYGDEMOTE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(
        _("place"), max_length=200, help_text=_("For example: Bygdegården in Pelarne")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Only if people can also take part online.")
    )
    description = models.TextField(
        _("description"),
        max_length=3000,
        blank=True,
        help_text=_("What the meeting is about and who is welcome. Plain text."),
    )
    goals = models.ManyToManyField(
        "allas.SlusGoal",
        verbose_name=_("SLUS areas"),
        blank=True,
        related_name="dialogue_meetings",
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Leave empty if there is room for everyone."),
    )
    signup_deadline = models.DateTimeField(
        _("sign up by"),
        null=True,
        blank=True,
        help_text=_("Leave empty to take sign-ups until the meeting starts."),
    )
    asks_food = models.BooleanField(_("ask about food (allergies, special diets)"), default=False)
    asks_access = models.BooleanField(_("ask about accessibility needs"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    attendance = models.PositiveIntegerField(_("number who came"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    # iCalendar SEQUENCE: raised on every change the people signed up are told about.
    sequence = models.PositiveIntegerField(_("calendar version"), default=0)
    # The poster's short address, /m/<code>/.
    short_code = models.CharField(
        _("short address"), max_length=12, unique=True, default=new_short_code, editable=False
    )
    # When the personal data of the sign-ups was removed; the count is kept.
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed"), null=True, blank=True
    )
    kept_signup_count = models.PositiveIntegerField(_("signed up (kept)"), null=True, blank=True)
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = DialogueMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="dialogue_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(signup_deadline__isnull=True) | Q(signup_deadline__lte=F("starts_at")),
                name="dialogue_signup_before_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="dialogue_capacity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="dialogue_status_start"),
            models.Index(fields=["group", "starts_at"], name="dialogue_group_start"),
        ]

    def __str__(self):
        return self.dated_title

    def get_absolute_url(self):
        return reverse("dialogue_detail", args=[self.pk])

    def get_short_url(self):
        return reverse("dialogue_short", args=[self.short_code])

    @property
    def calendar_description(self) -> str:
        return self.description

    @property
    def closes_at(self):
        """When sign-up closes: the deadline, or the start."""
        return self.signup_deadline or self.starts_at

    def takes_signups(self, now=None) -> bool:
        return self.status == self.Status.PUBLISHED and (now or timezone.now()) < self.closes_at
