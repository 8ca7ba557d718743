"""A proposal's path beyond its group: lifted to the municipality, registered in the
municipality's own register (diarium) with its case number, and decided by a committee or
office. Each step can be corrected; the correction is kept and shown beside the step."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from allas.models import actor_field

from .proposals import BODY_MAX, Proposal

MOTIVATION_MAX = 2000
SUMMARY_MAX = 2000


class Committee(models.Model):
    """A committee (nämnd) or an office (förvaltning) that decides proposals: a list staff
    keep in the admin, so the register step offers names rather than free text."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Committee (nämnd)")
        OFFICE = "office", _("Office (förvaltning)")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # An old committee stays on the cases it decided, and is no longer offered.
    is_active = models.BooleanField(_("offered for new cases"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("committee or office")
        verbose_name_plural = _("committees and offices")

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    """Where a proposal is on its way through the municipality; kept on the proposal too
    (Proposal.municipal_stage), so that lists filter and show it without a join."""

    NONE = "", _("With the group")
    LIFTED = "lifted", _("Lifted to the municipality")
    REGISTERED = "registered", _("Registered by the municipality")
    DECIDED = "decided", pgettext_lazy("municipality", "Decided")


class MunicipalCase(models.Model):
    """One proposal's case at the municipality. Made when the group lifts the proposal;
    staff then register it and record the decision."""

    class Outcome(models.TextChoices):
        # The council's own words (bifall, delvis bifall, avslag, besvarad, återremitterad).
        # A context of their own: "Approved" or "Answered" elsewhere is not the council's word.
        GRANTED = "granted", pgettext_lazy("decision", "Approved")
        PARTLY_GRANTED = "partly_granted", pgettext_lazy("decision", "Partly approved")
        REJECTED = "rejected", pgettext_lazy("decision", "Rejected")
        ANSWERED = "answered", pgettext_lazy("decision", "Answered")
        REFERRED_BACK = "referred_back", pgettext_lazy("decision", "Referred back")

    proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="municipal_case",
    )
    stage = models.CharField(_("step"), max_length=10, choices=Stage.choices, default=Stage.LIFTED)
    # Lifted by the group (or staff).
    lifted_at = models.DateTimeField(_("lifted"), default=timezone.now, db_index=True)
    lifted_by = actor_field(_("lifted by"))
    motivation = models.TextField(_("the group's motivation"), max_length=MOTIVATION_MAX)
    # Registered by staff in the municipality's register.
    case_number = models.CharField(_("case number"), max_length=40, blank=True, db_index=True)
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee or office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    contact_role = models.CharField(_("contact"), max_length=120, blank=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    registered_by = actor_field(_("registered by"))
    # The decision, as the minutes record it.
    decided_on = models.DateField(_("decision date"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    summary = models.TextField(_("summary of the decision"), max_length=SUMMARY_MAX, blank=True)
    decision_url = models.URLField(_("link to the minutes or the decision"), blank=True)
    decision_recorded_by = actor_field(_("decision recorded by"))
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-lifted_at", "-id"]
        verbose_name = _("case at the municipality")
        verbose_name_plural = _("cases at the municipality")
        constraints = [
            # Each step needs the one before: no decision without a case number.
            models.CheckConstraint(
                condition=Q(stage="lifted")
                | Q(stage="registered", registered_at__isnull=False)
                | Q(stage="decided", registered_at__isnull=False, decided_on__isnull=False),
                name="municipal_case_steps_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(stage="decided") | ~Q(outcome=""),
                name="municipal_case_decision_has_outcome",
            ),
        ]

    def __str__(self):
        return self.case_number or str(self.proposal)

    def get_absolute_url(self):
        return reverse("municipal_case", args=[self.proposal_id])

    @property
    def is_registered(self) -> bool:
        return self.stage in (Stage.REGISTERED, Stage.DECIDED)

    @property
    def is_decided(self) -> bool:
        return self.stage == Stage.DECIDED


class CaseCorrection(models.Model):
    """A step corrected after it was taken: what changed, why, by whom. Shown publicly
    beside the step, so a changed case number or outcome is never silent."""

    class Step(models.TextChoices):
        LIFT = "lift", _("Lifted to the municipality")
        REGISTER = "register", _("Registered")
        DECIDE = "decide", _("Decision")

    case = models.ForeignKey(
        MunicipalCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    # {field name: [before, after]}: text, ISO dates, a committee's name, an outcome's key;
    # change_list() gives them in the reader's words.
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), max_length=BODY_MAX)
    corrected_by = actor_field(_("corrected by"))
    corrected_at = models.DateTimeField(_("corrected"), default=timezone.now)

    class Meta:
        ordering = ["corrected_at", "id"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{self.case}: {self.get_step_display()}"

    def change_list(self) -> list[tuple[str, str, str]]:
        """(what, before, after) in the active language; "–" for nothing."""
        rows = []
        for name, (old, new) in self.changes.items():
            label = MunicipalCase._meta.get_field(name).verbose_name
            if name == "outcome":
                old, new = (
                    MunicipalCase.Outcome(v).label if v in MunicipalCase.Outcome.values else v
                    for v in (old, new)
                )
            rows.append((str(label).capitalize(), str(old) or "–", str(new) or "–"))
        return rows
