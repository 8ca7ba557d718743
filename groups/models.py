from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from allas.models import AgeBand, Locality, actor_field, owner_field


class Sector(models.TextChoices):
    """Where a member comes from. The method asks each group to have all five."""

    ASSOCIATIONS = "associations", _("Associations")
    BUSINESS = "business", _("Business")
    RURAL_COUNCIL = "rural_council", _("Rural council")
    POLITICIAN = "politician", _("Politicians")
    RESIDENT = "resident", _("Residents")


# What the ort page says about a sector nobody represents.
MISSING_SECTOR_TEXT = {
    Sector.ASSOCIATIONS: _("The group has no representative of the associations."),
    Sector.BUSINESS: _("The group has no representative of business."),
    Sector.RURAL_COUNCIL: _("The group has no representative of the rural council."),
    Sector.POLITICIAN: _("The group has no representative of the politicians."),
    Sector.RESIDENT: _("The group has no representative of the residents."),
}

# Below this many age bands represented, the page points the gap out.
MIN_AGE_BANDS = 3


@dataclass
class Composition:
    """A group's make-up: active members per sector and per age band."""

    sectors: dict[str, int] = field(default_factory=dict)
    age_bands: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.sectors.values())

    def _rows(self, counts, choices):
        total = self.total
        return [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                # Bar length as a share of the group, for the chart's SVG.
                "percent": round(100 * counts.get(value, 0) / total) if total else 0,
            }
            for value, label in choices
        ]

    def sector_rows(self):
        return self._rows(self.sectors, Sector.choices)

    def age_band_rows(self):
        return self._rows(self.age_bands, AgeBand.choices)

    def missing_sectors(self) -> list[str]:
        return [value for value, _label in Sector.choices if not self.sectors.get(value)]

    def missing_sector_texts(self):
        return [MISSING_SECTOR_TEXT[value] for value in self.missing_sectors()]

    @property
    def sectors_covered(self) -> int:
        return len(Sector.choices) - len(self.missing_sectors())

    @property
    def age_bands_covered(self) -> int:
        """Age bands someone has stated; "not stated" says nothing about age spread."""
        return sum(1 for band, n in self.age_bands.items() if n and band != AgeBand.NOT_STATED)

    @property
    def few_age_bands(self) -> bool:
        return self.age_bands_covered < MIN_AGE_BANDS

    @property
    def has_gaps(self) -> bool:
        return bool(self.missing_sectors()) or self.few_age_bands


class DevelopmentGroup(models.Model):
    """The local development group of one ort. Created by a data migration."""

    locality = models.OneToOneField(
        Locality, verbose_name=_("ort"), on_delete=models.PROTECT, related_name="group"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(
        _("about the group"),
        blank=True,
        help_text=_("What the group works with and who is welcome. Plain text."),
    )
    meeting_info = models.TextField(
        _("how and when the group meets"),
        blank=True,
        help_text=_("For example: Every second Tuesday at 18.30 in the community hall."),
    )
    contact_email = models.EmailField(
        _("public contact e-mail"),
        blank=True,
        help_text=_("Shown to everyone. Use an address the group shares, not a private one."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["locality__name"]
        verbose_name = _("local development group")
        verbose_name_plural = _("local development groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("locality_detail", args=[self.locality.slug])

    def get_manage_url(self):
        return reverse("group_manage", args=[self.locality.slug])


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def pending(self):
        return self.filter(status=Membership.Status.PENDING)

    def current(self):
        """Pending or active: the memberships that block a new request."""
        return self.filter(status__in=Membership.CURRENT)

    def coordinators(self):
        return self.active().filter(role=Membership.Role.COORDINATOR)

    def composition_by_group(self, group_ids) -> dict[int, "Composition"]:
        """Active members per group, sector and age band, in two aggregate queries
        whatever the number of members."""
        result = {gid: Composition() for gid in group_ids}
        active = self.active().filter(group_id__in=group_ids).order_by()
        for row in active.values("group_id", "sector").annotate(n=Count("id")):
            result[row["group_id"]].sectors[row["sector"]] = row["n"]
        for row in active.values("group_id", "age_band").annotate(n=Count("id")):
            result[row["group_id"]].age_bands[row["age_band"]] = row["n"]
        return result


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        COORDINATOR = "coordinator", _("Coordinator")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        # Not "Member": the role is called that, and the member list shows both.
        ACTIVE = "active", pgettext_lazy("membership status", "Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left the group")

    CURRENT = (Status.PENDING, Status.ACTIVE)

    user = owner_field(related_name="memberships")
    group = models.ForeignKey(
        DevelopmentGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    sector = models.CharField(_("represents"), max_length=16, choices=Sector.choices)
    age_band = models.CharField(
        _("age band"), max_length=16, choices=AgeBand.choices, default=AgeBand.NOT_STATED
    )
    is_delegate = models.BooleanField(
        _("network delegate"),
        default=False,
        help_text=_("Represents the group in the network and is invited to its meetings."),
    )
    motivation = models.TextField(_("why they want to join"), blank=True, max_length=2000)
    requested_at = models.DateTimeField(_("asked to join"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = actor_field(_("decided by"), blank=True)
    decision_message = models.TextField(_("message with the decision"), blank=True)
    joined_at = models.DateTimeField(_("member since"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "user__display_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group"],
                condition=Q(status__in=["pending", "active"]),
                name="membership_one_current_per_user_and_group",
            ),
            models.CheckConstraint(
                condition=Q(role="member") | Q(status__in=["active", "left"]),
                name="membership_coordinator_is_or_was_active",
            ),
        ]
        indexes = [models.Index(fields=["group", "status"])]

    def __str__(self):
        return f"{self.user} – {self.group}"

    @property
    def is_coordinator(self):
        return self.role == self.Role.COORDINATOR and self.status == self.Status.ACTIVE


class MembershipEvent(models.Model):
    """What happened to a membership or a group, by whom and when: the record staff see."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        APPROVED = "approved", _("Request approved")
        DECLINED = "declined", _("Request declined")
        LEFT = "left", _("Left the group")
        REMOVED = "removed", _("Removed from the group")
        UPDATED = "updated", _("Member details changed")
        APPOINTED = "appointed", _("Appointed coordinator")
        UNAPPOINTED = "unappointed", _("No longer coordinator")
        ADDED = "added", _("Added by staff")
        GROUP_EDITED = "group_edited", _("Group page edited")

    group = models.ForeignKey(
        DevelopmentGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="events"
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    actor = actor_field(_("done by"))
    action = models.CharField(_("what"), max_length=16, choices=Action.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("membership decision")
        verbose_name_plural = _("membership decisions")

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class GroupMessage(models.Model):
    """A coordinators' e-mail to the group's members (and, if chosen, the ort's followers),
    kept for the coordinators. Sent through the outbox; at most a few a month."""

    group = models.ForeignKey(
        DevelopmentGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = actor_field(_("written by"), blank=True)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    to_followers = models.BooleanField(_("also to the ort's followers"), default=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message to the group")
        verbose_name_plural = _("messages to the group")

    def __str__(self):
        return self.subject


# The development plans live in their own sub-package; importing them here keeps
# `from groups.models import Plan` and the app label (and so the migrations) as they were.
# So do the dialogue meetings.
from .dialogue.models import DialogueMeeting, DialogueMeetingQuerySet  # noqa: E402
from .plans.models import Action, ActionNote, ActionQuerySet, Plan, PlanQuerySet  # noqa: E402

__all__ = [
    "Action",
    "ActionNote",
    "ActionQuerySet",
    "DialogueMeeting",
    "DialogueMeetingQuerySet",
    "Plan",
    "PlanQuerySet",
]
