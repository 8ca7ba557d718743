"""Reports and moderation: enough reports hide an item until the ort's coordinators or
staff restore or remove it, with the reason on record."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from allas.page_cache import renews_public_content
from allas.services import absolute_url

from .. import permissions
from ..models import ModerationDecision, Report, Visibility
from ..words import AuditVerb as Verb
from .common import ProposalError, audit_for_ort, email_moderators

# This many reports from different people hide an item until a moderator decides.
REPORTS_TO_HIDE = 3


@transaction.atomic
@renews_public_content
def report_create(
    *, reporter, reason: str, details: str = "", proposal=None, comment=None
) -> Report:
    item = proposal or comment
    if item.author_id == reporter.pk:
        raise ProposalError(_("You cannot report what you have written yourself."))
    target = {"proposal": proposal} if proposal is not None else {"comment": comment}
    locality_id = (proposal or comment.proposal).locality_id
    model = type(item)
    model.objects.select_for_update().filter(pk=item.pk).first()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, reason=reason, details=details.strip(), **target
            )
    except IntegrityError as exc:
        raise ProposalError(_("You have already reported this.")) from exc
    last_decision = ModerationDecision.objects.filter(**target).order_by("-created_at").first()
    reports = Report.objects.filter(**target)
    if last_decision is not None:
        reports = reports.filter(created_at__gt=last_decision.created_at)
    count = reports.values("reporter").distinct().count()
    if count == 1:
        link = absolute_url(
            item.get_absolute_url() if proposal is not None else comment.get_absolute_url()
        )
        email_moderators(
            locality_id=locality_id,
            template="proposals/reported",
            context={"report": report, "item": item, "link": link},
            kind="proposals.reported",
            dedup_key=f"report-first:{model.__name__}:{item.pk}:{report.pk}",
            cause=report,
        )
    if count >= REPORTS_TO_HIDE:
        model.objects.filter(pk=item.pk, visibility=Visibility.VISIBLE).update(
            visibility=Visibility.HIDDEN
        )
    return report


@transaction.atomic
@renews_public_content
def moderate(*, by, decision: str, reason: str, proposal=None, comment=None):
    item = proposal or comment
    if not permissions.can_answer(by, proposal or comment.proposal):
        raise ProposalError(_("Only the ort's coordinators and the municipality moderate."))
    if not reason.strip():
        raise ProposalError(_("Write the reason for the decision."))
    if decision not in ModerationDecision.Decision.values:
        raise ProposalError(_("Choose restore or remove."))
    visibility = (
        Visibility.VISIBLE
        if decision == ModerationDecision.Decision.RESTORE
        else Visibility.REMOVED
    )
    type(item).objects.filter(pk=item.pk).update(visibility=visibility)
    target = {"proposal": proposal} if proposal is not None else {"comment": comment}
    made = ModerationDecision.objects.create(
        decision=decision, reason=reason.strip(), moderator=by, **target
    )
    label = ModerationDecision.Decision(decision).label
    locality_id = (proposal or comment.proposal).locality_id
    verb = Verb.PROPOSAL_MODERATED
    audit_for_ort(by, verb, item, locality_id=locality_id, decision=label, reason=made.reason)
    return made
