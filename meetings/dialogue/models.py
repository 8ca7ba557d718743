"""Sign-ups to the groups' dialogue meetings: a person with an account, or a name and an
e-mail address confirmed by a link. Each has a personal token (the page to see, change
or cancel without logging in) and its own calendar UID, as an invitation to the network
meeting has, so the same calendar and reply machinery serves both."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from allas.calendar_items import meeting_uid, personal_uid
from groups.models import DialogueMeeting

from ..models import SELECTOR_LENGTH, new_token


class SignUpQuerySet(models.QuerySet):
    def seated(self):
        return self.filter(status=SignUp.Status.SIGNED_UP)

    def waiting(self):
        return self.filter(status=SignUp.Status.WAITING)

    def active(self):
        return self.filter(status__in=(SignUp.Status.SIGNED_UP, SignUp.Status.WAITING))


class SignUp(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Not confirmed yet")
        SIGNED_UP = "signed_up", _("Signed up")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("sign-up", "Cancelled")

    class Source(models.TextChoices):
        WEB = "web", _("The sign-up page")
        CALENDAR = "calendar", _("A calendar program")
        COORDINATOR = "coordinator", _("The coordinator")

    meeting = models.ForeignKey(
        DialogueMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    # A sign-up is the person's own: deleting the account deletes it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dialogue_signups",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED
    )
    # The language a visitor signed up in: their e-mails are written in it.
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    food_needs = models.CharField(_("food (allergies, special diets)"), max_length=500, blank=True)
    access_needs = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The order of the waiting list: when the person joined it.
    queued_at = models.DateTimeField(_("in line since"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    changed_by = models.CharField(
        _("last changed through"), max_length=12, choices=Source.choices, default=Source.WEB
    )
    # Raised on every change the person is told about: each e-mail has its own key.
    version = models.PositiveIntegerField(default=0, editable=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "email"], name="signup_once_per_address")
        ]
        indexes = [
            models.Index(fields=["meeting", "status", "queued_at"], name="signup_meeting_status"),
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="signup_user"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def get_answer_url(self):
        return reverse("dialogue_signup", args=[self.token])

    @property
    def selector(self):
        return self.token[:SELECTOR_LENGTH]

    @property
    def meeting_uid(self) -> str:
        """The meeting's UID (DialogueMeeting.uid) without loading the meeting."""
        return meeting_uid(DialogueMeeting.UID_PREFIX, self.meeting_id)

    @property
    def calendar_uid(self) -> str:
        """The UID of this person's calendar event (allas.calendar_items)."""
        return personal_uid(DialogueMeeting.UID_PREFIX, self.meeting_id, self.pk, self.token)

    @property
    def partstat(self) -> str:
        return {
            self.Status.SIGNED_UP: "ACCEPTED",
            self.Status.CANCELLED: "DECLINED",
            self.Status.WAITING: "TENTATIVE",
        }.get(self.status, "NEEDS-ACTION")

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.SIGNED_UP, self.Status.WAITING)
