"""What is recorded about a proposal or a comment that breaks the rules: reports from
residents and the moderators' decisions."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from allas.models import actor_field

from .comments import Comment
from .proposals import Proposal


def about_proposal_or_comment(name: str) -> type[models.Model]:
    """The abstract base of what is recorded about a proposal or one of its comments (a
    report, a moderation decision): the two foreign keys and the check that exactly one of
    them is set. `name` is the model's word for itself: its reverse relation is `<name>s`
    (`proposal.reports`) and its constraint `<name>_about_one_thing`. A moderation
    decision's word is not its class name, so `%(class)s` cannot make these names, and
    other names would change the schema."""

    def about(model, verbose_name):
        return models.ForeignKey(
            model,
            verbose_name=verbose_name,
            null=True,
            blank=True,
            on_delete=models.CASCADE,
            related_name=f"{name}s",
        )

    class AboutProposalOrComment(models.Model):
        proposal = about(Proposal, _("proposal"))
        comment = about(Comment, _("comment"))

        class Meta:
            abstract = True
            constraints = [
                models.CheckConstraint(
                    condition=Q(proposal__isnull=True, comment__isnull=False)
                    | Q(proposal__isnull=False, comment__isnull=True),
                    name=f"{name}_about_one_thing",
                ),
            ]

    return AboutProposalOrComment


ReportBase = about_proposal_or_comment("report")


class Report(ReportBase):
    """Someone thinks a proposal or a comment breaks the rules."""

    class Reason(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("It contains personal data about someone")
        OFFENSIVE = "offensive", _("It is offensive or threatening")
        SPAM = "spam", _("It is advertising or spam")
        OTHER = "other", _("Something else")

    reporter = actor_field(_("reported by"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    details = models.TextField(_("details"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta(ReportBase.Meta):
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            *ReportBase.Meta.constraints,
            models.UniqueConstraint(
                fields=["proposal", "reporter"],
                condition=Q(proposal__isnull=False),
                name="report_proposal_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(comment__isnull=False),
                name="report_comment_once_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({_on(self.created_at)})"


DecisionBase = about_proposal_or_comment("decision")


class ModerationDecision(DecisionBase):
    """A moderator's decision on a hidden item, with the reason: the record."""

    class Decision(models.TextChoices):
        RESTORE = "restore", _("Restored")
        REMOVE = "remove", _("Removed")

    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    reason = models.TextField(_("reason"), max_length=1000)
    moderator = actor_field(_("moderator"))
    created_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta(DecisionBase.Meta):
        ordering = ["-created_at"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self):
        return f"{self.get_decision_display()} ({_on(self.created_at)})"


def _on(moment) -> str:
    """The day, in words as running text says it ("4 december 2026")."""
    return date_format(timezone.localtime(moment), "j F Y")
