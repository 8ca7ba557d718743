"""A proposal's path through the municipality, one service per step: the group lifts it,
staff register it with the register's case number, staff record the decision. Taking a
step again corrects it: the change and its reason are kept (CaseCorrection), shown beside
the step and audited. proposals.municipal_path names the steps for the pages."""

import re
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from allas.page_cache import renews_public_content
from allas.services import absolute_url, email_send_templated
from notifications.notify import notify

from .. import permissions
from ..models import CaseCorrection, Committee, MunicipalCase, Proposal, Stage, Visibility
from ..notices import proposal_municipal_step
from ..words import AuditVerb as Verb
from .common import ProposalError, audit_for_ort, lock_proposal

Outcome = MunicipalCase.Outcome

# A proposal that is withdrawn or declined by its group is not carried further.
NOT_LIFTABLE = (Proposal.Status.WITHDRAWN, Proposal.Status.DECLINED)


def why_not_lift(proposal: Proposal) -> str:
    """Why the proposal cannot be lifted now, or "" (the rule about the proposal; who may
    lift is permissions.can_lift)."""
    if proposal.visibility != Visibility.VISIBLE:
        return _("A hidden or removed proposal cannot be lifted to the municipality.")
    if proposal.status in NOT_LIFTABLE:
        return _("A withdrawn or declined proposal cannot be lifted to the municipality.")
    return ""


def case_number_error(case_number: str) -> str:
    """Why the case number is not one of the register's, or ""."""
    if not re.fullmatch(settings.CASE_NUMBER_PATTERN, case_number):
        return _("Write the case number as the register writes it, for example %(example)s.") % {
            "example": settings.CASE_NUMBER_EXAMPLE
        }
    return ""


def case_number_cleaned(case_number: str) -> str:
    """The case number with its spaces as the register writes them, and in capitals when
    the register's pattern wants them ("ks 2026/12" is "KS 2026/12")."""
    case_number = " ".join(case_number.split())
    upper = case_number.upper()
    if not re.fullmatch(settings.CASE_NUMBER_PATTERN, case_number) and re.fullmatch(
        settings.CASE_NUMBER_PATTERN, upper
    ):
        return upper
    return case_number


def why_not_register(case: MunicipalCase | None) -> str:
    """Why staff cannot register the proposal's case now, or "" (registering a registered
    case again corrects it)."""
    if case is None:
        return _("The proposal has not been lifted to the municipality.")
    return ""


def why_not_decide(case: MunicipalCase | None) -> str:
    """Why staff cannot record the decision now, or "" (recording it again corrects it)."""
    if case is None:
        return _("The proposal has not been lifted to the municipality.")
    if not case.is_registered:
        return _("Register the case with its case number before the decision.")
    return ""


def decision_date_error(decided_on: date | None, case: MunicipalCase) -> str:
    """Why the decision date cannot be the decision's, or ""."""
    if decided_on is None or decided_on > timezone.localdate():
        return _("The decision date cannot be in the future.")
    if decided_on < timezone.localtime(case.lifted_at).date():
        return _("The decision date cannot be before the proposal was lifted.")
    return ""


def reason_error(reason: str) -> str:
    """Why a correction cannot be kept with this reason, or ""."""
    if not reason.strip():
        return _("Say why the step is corrected: the correction is shown to everyone.")
    return ""


def _lock_case(proposal: Proposal) -> MunicipalCase | None:
    return (
        MunicipalCase.objects.select_for_update(of=("self",))
        .select_related("committee")
        .filter(proposal_id=proposal.pk)
        .first()
    )


def _stored(value) -> str:
    """A field's value as a correction keeps it: text, an ISO date, a committee's name."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _correct(*, proposal, case, step, by, reason, fields: dict) -> CaseCorrection | None:
    """A step taken before, taken again: sets `fields` ({name: new value}) on the case,
    keeps what changed and why, and audits it. Returns the correction, or None when
    nothing changed."""
    changes = {}
    for name, new in fields.items():
        old = getattr(case, name)
        if old != new:
            changes[name] = [_stored(old), _stored(new)]
            setattr(case, name, new)
    if not changes:
        return None
    reason = reason.strip()
    refusal = reason_error(reason)
    if refusal:
        raise ProposalError(refusal)
    correction = CaseCorrection.objects.create(
        case=case, step=step, changes=changes, reason=reason, corrected_by=by
    )
    case.save()
    Proposal.objects.filter(pk=proposal.pk).update(changed_at=timezone.now())
    _audit_correction(by, proposal, correction)
    return correction


def _set_stage(proposal: Proposal, case: MunicipalCase, stage: str) -> None:
    case.stage = stage
    case.save()
    Proposal.objects.filter(pk=proposal.pk).update(municipal_stage=stage, changed_at=timezone.now())
    proposal.municipal_stage = stage


def _tell(proposal: Proposal, case: MunicipalCase, step: str, by, key: str) -> None:
    """The proposal's followers (its author among them, unless they chose otherwise) and
    the ort's hear of the step as they chose; not the one who took it."""
    notify(proposal_municipal_step(proposal, case, step=step, actor=by, key=key))


def group_answer(proposal: Proposal):
    """The latest public answer (a StatusChange) from the group or staff, or None."""
    return (
        proposal.history.exclude(answer="")
        .exclude(answered_as="author")
        .select_related("answered_by")
        .order_by("-created_at", "-id")
        .first()
    )


def _email_registry(proposal: Proposal, case: MunicipalCase) -> None:
    """The register gets the whole proposal, so it can be registered without the portal."""
    if not settings.REGISTRY_EMAIL:
        return
    latest_answer = group_answer(proposal)
    email_send_templated(
        to=settings.REGISTRY_EMAIL,
        template="proposals/lifted_registry",
        context={
            "proposal": proposal,
            "case": case,
            "answer": latest_answer,
            "goals": list(proposal.goals.order_by("number")),
            "link": absolute_url(proposal.get_absolute_url()),
            "staff_link": absolute_url(case.get_absolute_url()),
        },
        language=settings.LANGUAGE_CODE,
        kind="proposals.lifted_registry",
        dedup_key=f"proposal-lifted:{case.pk}",
        cause=proposal,
    )


@transaction.atomic
@renews_public_content
def proposal_lift(*, proposal: Proposal, by, motivation: str, reason: str = "") -> MunicipalCase:
    """The group lifts the proposal to the municipality with its motivation; the register
    is e-mailed the whole proposal. Lifting again corrects the motivation."""
    proposal = lock_proposal(proposal)
    if not permissions.can_lift(by, proposal):
        raise ProposalError(_("Only the ort's coordinators and the municipality lift proposals."))
    motivation = motivation.strip()
    if not motivation:
        raise ProposalError(_("Write why the municipality should take up the proposal."))
    case = _lock_case(proposal)
    if case is not None:
        _correct(
            proposal=proposal,
            case=case,
            step=CaseCorrection.Step.LIFT,
            by=by,
            reason=reason,
            fields={"motivation": motivation},
        )
        return case
    refusal = why_not_lift(proposal)
    if refusal:
        raise ProposalError(refusal)
    case = MunicipalCase(proposal=proposal, lifted_by=by, motivation=motivation)
    _set_stage(proposal, case, Stage.LIFTED)
    _email_registry(proposal, case)
    _tell(proposal, case, "lifted", by, key=f"proposal-lifted:{case.pk}")
    audit_for_ort(by, Verb.PROPOSAL_LIFTED, proposal, locality_id=proposal.locality_id)
    return case


def _case_for_staff(proposal: Proposal, by) -> MunicipalCase:
    if not permissions.can_register(by):
        raise ProposalError(_("Only the development department registers cases and decisions."))
    case = _lock_case(proposal)
    refusal = why_not_register(case)
    if refusal:
        raise ProposalError(refusal)
    return case


@transaction.atomic
@renews_public_content
def case_register(
    *,
    proposal: Proposal,
    by,
    case_number: str,
    committee: Committee,
    contact_role: str,
    reason: str = "",
) -> MunicipalCase:
    """Staff register the lifted proposal: the register's case number, the committee or
    office responsible, a contact role. Registering again corrects it."""
    proposal = lock_proposal(proposal)
    case = _case_for_staff(proposal, by)
    case_number = case_number_cleaned(case_number)
    error = case_number_error(case_number)
    if error:
        raise ProposalError(error)
    if committee is None:
        raise ProposalError(_("Choose the committee or office responsible."))
    fields = {
        "case_number": case_number,
        "committee": committee,
        "contact_role": contact_role.strip(),
    }
    if case.is_registered:
        _correct(
            proposal=proposal,
            case=case,
            step=CaseCorrection.Step.REGISTER,
            by=by,
            reason=reason,
            fields=fields,
        )
        return case
    for name, value in fields.items():
        setattr(case, name, value)
    case.registered_at = timezone.now()
    case.registered_by = by
    _set_stage(proposal, case, Stage.REGISTERED)
    _tell(proposal, case, "registered", by, key=f"proposal-registered:{case.pk}")
    audit_for_ort(
        by,
        Verb.CASE_REGISTERED,
        proposal,
        locality_id=proposal.locality_id,
        case_number=case_number,
        committee=committee.name,
    )
    return case


@transaction.atomic
@renews_public_content
def case_decide(
    *,
    proposal: Proposal,
    by,
    decided_on: date,
    outcome: str,
    summary: str,
    decision_url: str,
    reason: str = "",
) -> MunicipalCase:
    """Staff record the municipality's decision: its date, outcome, a summary in plain
    words and a link to the minutes. Recording it again corrects it."""
    proposal = lock_proposal(proposal)
    case = _case_for_staff(proposal, by)
    refusal = why_not_decide(case) or (
        "" if outcome in Outcome.values else _("Choose the decision's outcome.")
    )
    refusal = refusal or decision_date_error(decided_on, case)
    if refusal:
        raise ProposalError(refusal)
    summary = summary.strip()
    if not summary:
        raise ProposalError(_("Write what was decided, in a few plain sentences."))
    fields = {
        "decided_on": decided_on,
        "outcome": outcome,
        "summary": summary,
        "decision_url": decision_url.strip(),
    }
    if case.is_decided:
        _correct(
            proposal=proposal,
            case=case,
            step=CaseCorrection.Step.DECIDE,
            by=by,
            reason=reason,
            fields=fields,
        )
        return case
    for name, value in fields.items():
        setattr(case, name, value)
    case.decision_recorded_by = by
    _set_stage(proposal, case, Stage.DECIDED)
    _tell(proposal, case, "decided", by, key=f"proposal-decided:{case.pk}")
    audit_for_ort(
        by,
        Verb.CASE_DECIDED,
        proposal,
        locality_id=proposal.locality_id,
        outcome=Outcome(outcome).label,
    )
    return case


def _audit_correction(by, proposal: Proposal, correction: CaseCorrection) -> None:
    with translation.override("sv"):  # the audit log is written in Swedish
        changes = "; ".join(
            f"{label}: {old} → {new}" for label, old, new in correction.change_list()
        )
    audit_for_ort(
        by,
        Verb.CASE_CORRECTED,
        proposal,
        locality_id=proposal.locality_id,
        step=CaseCorrection.Step(correction.step).label,
        changes=changes,
        reason=correction.reason,
    )
