from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .vocabulary import verb_label


def actor_field(verbose_name, *, related_name="+", blank=False) -> models.ForeignKey:
    """The person who wrote, decided or did something. The act outlives the account:
    deleting the account empties the link, and the portal shows "Former user"."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


def owner_field(*, related_name, verbose_name=None) -> models.ForeignKey:
    """The person a row belongs to (a membership, a setting, a role): deleted with the
    account."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name or _("person"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_29 = "18_29", _("18–29")
    AGE_30_49 = "30_49", _("30–49")
    AGE_50_64 = "50_64", _("50–64")
    AGE_65_PLUS = "65_plus", _("65 or older")
    NOT_STATED = "not_stated", _("Not stated")


def in_language(swedish: str, english: str) -> str:
    """Reference data typed by staff: the English text on the English site where there is
    one, the Swedish otherwise (Swedish is the portal's language, English a courtesy)."""
    return english if english and get_language() == "en" else swedish


class Locality(models.Model):
    """One of the ten orter. Created by a data migration; staff edit the texts."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Leave empty where the ort is not a tätort by SCB's definition."),
    )
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ort")
        verbose_name_plural = _("orter")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(population__isnull=True)
                | (models.Q(population_year__isnull=False) & ~models.Q(population_source="")),
                name="locality_population_has_year_and_source",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("locality_detail", args=[self.slug])

    @property
    def local_description(self) -> str:
        return in_language(self.description, self.description_en)


class SlusGoal(models.Model):
    """One of the six development areas of the social local development strategy."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The SLUS's own Swedish short name (Leva, Arbeta, …) is a name in every language.
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("SLUS goal")
        verbose_name_plural = _("SLUS goals")

    def __str__(self):
        return f"{self.short_name} – {self.local_name}"

    def get_absolute_url(self):
        return reverse("goal_detail", args=[self.slug])

    @property
    def local_name(self) -> str:
        return in_language(self.name, self.name_en)

    @property
    def local_description(self) -> str:
        return in_language(self.description, self.description_en)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. We keep only what the portal needs:
    no birth date, no personal identity number, no address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("Shown next to what you write. It can be your first name or a nickname."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    home_locality = models.ForeignKey(
        Locality,
        verbose_name=_("home ort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    age_band = models.CharField(
        _("age band"), max_length=16, choices=AgeBand.choices, default=AgeBand.NOT_STATED
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name


class OutboundEmail(models.Model):
    """An e-mail the portal means to send. Written in the same transaction as the change
    that causes it and delivered by a task after commit, so nothing is lost when the broker
    or the mail server is down, and a claim keeps two workers from sending it at once.

    Delivery is at least once: a worker killed after the mail server accepted a message but
    before the row was marked sent leaves it "sending", and it is sent again when the claim
    runs out. The admin shows such a row as "may have been sent" until then."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("e-mail", "Queued")
        SENDING = "sending", pgettext_lazy("e-mail", "Sending")
        RETRYING = "retrying", pgettext_lazy("e-mail", "Will try again")
        SENT = "sent", pgettext_lazy("e-mail", "Sent")
        FAILED = "failed", pgettext_lazy("e-mail", "Failed")

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(
        _("attachments"),
        default=list,
        blank=True,
        help_text="[{filename, content, mimetype}] with text content",
    )
    # Extra headers of the message, e.g. {"List-Unsubscribe": "<https://...>"}.
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    # Why the e-mail exists, e.g. "account.confirm" or "meeting.invitation".
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    # What caused it (an invitation, a proposal's status change, ...), when there is one.
    cause_type = models.ForeignKey(
        ContentType,
        verbose_name=_("caused by (type)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cause_id = models.PositiveBigIntegerField(_("caused by (id)"), null=True, blank=True)
    cause = GenericForeignKey("cause_type", "cause_id")
    # Set when an e-mail must exist at most once, e.g. one reminder per invitation.
    dedup_key = models.CharField(_("uniqueness key"), max_length=200, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            models.UniqueConstraint(fields=["dedup_key"], name="outboundemail_unique_dedup_key"),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sending", "retrying", "sent", "failed"]),
                name="outboundemail_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="retrying") | models.Q(next_attempt_at__isnull=False),
                name="outboundemail_retrying_has_next_attempt",
            ),
        ]
        indexes = [models.Index(fields=["cause_type", "cause_id"], name="outboundemail_cause")]

    def __str__(self):
        return f"{self.to}: {self.subject}"

    def may_have_been_sent(self, now=None) -> bool:
        """A row still "sending" after no live task could still be sending it: its worker
        died, perhaps after the mail server accepted the message. It is sent again when the
        claim runs out."""
        now = now or timezone.now()
        return (
            self.status == self.Status.SENDING
            and self.last_attempt_at is not None
            and self.last_attempt_at < now - timedelta(seconds=settings.OUTBOX_STALE_SECONDS)
            and self.claimed_until is not None
            and self.claimed_until > now
        )


class PeriodicJobRun(models.Model):
    """When a periodic job last finished, kept in the database so that /healthz and the
    admin can tell a dead beat (or run_periodic loop) without asking Redis."""

    job = models.CharField(_("job"), max_length=60, unique=True)
    finished_at = models.DateTimeField(_("last finished"))

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self):
        return self.job


class AccessibilityFeedback(models.Model):
    """What someone told us through the accessibility statement's form."""

    class Kind(models.TextChoices):
        BARRIER = "barrier", _("Report an accessibility problem")
        ACCESSIBLE_VERSION = "accessible_version", _("Ask for content in an accessible form")
        OTHER = "other", _("Other feedback on accessibility")

    kind = models.CharField(_("what it is about"), max_length=20, choices=Kind.choices)
    page = models.CharField(
        _("page or content"), max_length=500, blank=True, help_text=_("Optional.")
    )
    message = models.TextField(_("message"), max_length=5000)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("Optional."))
    email = models.EmailField(
        _("e-mail address"),
        blank=True,
        help_text=_("Optional. Fill it in if you want an answer."),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    handled = models.BooleanField(_("handled"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class AuditEvent(models.Model):
    """One act of a coordinator or staff member: who did what to which object, and when.
    Written by the service that makes the change, in the same transaction, so the log
    holds exactly what happened. The object's name is kept as text, so the entry still
    reads after the object is gone; a deleted actor reads as "Former user"."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = actor_field(_("who"), blank=True)
    # A word of the app that wrote the entry, labelled from its words (allas.vocabulary).
    verb = models.CharField(_("what"), max_length=40)
    object_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of object"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    object = GenericForeignKey("object_type", "object_id")
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    # The ort whose development group the act concerns, where there is one: the group's
    # coordinators' page lists these. The ort and not the group, because the core links to
    # no app above it; an ort has at most one group.
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("ort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    summary = models.CharField(_("summary"), max_length=500)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["locality", "-created_at"], name="auditevent_locality_latest"),
            models.Index(fields=["object_type", "object_id"], name="auditevent_object"),
        ]

    def __str__(self):
        return f"{self.verb_label} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def verb_label(self) -> str:
        return verb_label(self.verb)

    @property
    def actor_name(self) -> str:
        """As proposals show a deleted author: the account is gone, the act stays."""
        if self.actor_id is None:
            return str(_("Former user"))
        return self.actor.display_name

    @property
    def group_name(self) -> str:
        """The name of the development group the entry concerns, or "": the group of its
        ort, through the one-to-one the groups app declares (select_related
        "locality__group" to read it without a query per entry)."""
        group = getattr(self.locality, "group", None) if self.locality_id else None
        return group.name if group is not None else ""


# The year's account keeps its own model in its package; importing it here keeps it in
# the core app (and its migrations).
from .year_account.models import YearForeword  # noqa: E402, F401
