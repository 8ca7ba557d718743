"""What a person follows, how they want to hear about it, and what waits for their weekly
digest. This app knows only the core: the apps that cause notifications call its services
with what the e-mail needs (title, link, text), so it never imports them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from allas.models import Locality

# The unsubscribe link of a digest turns off every kind that goes to the digest.
DIGEST = "digest"


class Delivery(models.TextChoices):
    DIRECT = "direct", pgettext_lazy("notification", "Direct")
    DIGEST = "digest", pgettext_lazy("notification", "Weekly digest")
    NEVER = "never", pgettext_lazy("notification", "Never")


DEFAULT_DELIVERY = Delivery.DIGEST


class FollowBase(models.Model):
    """What every follow is, whatever it follows: each app that can be followed keeps its
    own follows, with a real link to what is followed. A stopped follow is kept (is_active
    False) so that writing, supporting, commenting or joining does not start it again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="%(class)ss",
    )
    is_active = models.BooleanField(_("following"), default=True)
    automatic = models.BooleanField(
        _("started automatically"),
        default=False,
        help_text=_("Started by writing, supporting, commenting or joining the group."),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)

    class Meta:
        abstract = True


class Follow(FollowBase):
    """A person follows an ort."""

    locality = models.ForeignKey(
        Locality, verbose_name=_("ort"), on_delete=models.CASCADE, related_name="follows"
    )

    class Meta:
        verbose_name = _("ort follow")
        verbose_name_plural = _("ort follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "locality"], name="follow_unique_locality"),
        ]
        indexes = [models.Index(fields=["locality", "is_active"])]

    def __str__(self):
        return f"{self.user_id} → {self.locality}"


class NotificationSetting(models.Model):
    """A person's choice for one kind. No row means the default (the weekly digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    # A notice kind of the app that causes it (allas.vocabulary.notice_kinds).
    kind = models.CharField(_("kind"), max_length=20)
    delivery = models.CharField(_("how"), max_length=10, choices=Delivery.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationsetting_unique")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind} = {self.delivery}"


class Notice(models.Model):
    """One thing that happened, waiting for a person's weekly digest. What the digest shows
    is written here when it happens (title, text, link, labels in each language), so the
    digest reads one table. Items sent "direct" never come here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=20)
    event = models.CharField(_("event"), max_length=30)
    locality = models.ForeignKey(
        Locality,
        verbose_name=_("ort"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # What the digest groups by, e.g. "proposal:12" or "plan:3".
    topic = models.CharField(_("topic"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    url = models.CharField(_("link"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    # {"status": {"sv": …, "en": …}, "author": …, "action": {...}}: what may change later
    # is kept as it was, in every language, so the digest renders without other apps.
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("happened"), default=timezone.now)
    # The uniqueness key of the digest that carried it; empty while it waits.
    digest_key = models.CharField(_("digest"), max_length=60, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("waiting notification")
        verbose_name_plural = _("waiting notifications")
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=Q(digest_key__isnull=True),
                name="notice_waiting",
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.event} {self.title}"
