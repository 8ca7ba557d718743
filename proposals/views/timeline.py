"""A proposal's path as its page tells it: the group's status changes and answers, then
the municipality's steps (lifted, registered, decided) in the order they happened, each
with its corrections beside it, and the next step at the municipality named as not yet
taken. Before the proposal is lifted the municipality is not mentioned at all."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from ..models import CaseCorrection, MunicipalCase

Step = CaseCorrection.Step

# Only these are links: a decision link is typed by staff, and the page never offers a
# javascript: or data: address as something to follow.
SAFE_SCHEMES = ("https://", "http://")


@dataclass
class PathStep:
    """One item of the timeline. `kind` is "status" (a StatusChange in `change`),
    "lifted", "registered" or "decided" (the case's step), or "next" (the step at the
    municipality not taken yet, named in `next_step`)."""

    kind: str
    day: date | None = None
    change: object = None
    next_step: str = ""
    corrections: list = field(default_factory=list)
    # Sorting: the day, then (the same day) by the time it happened; a decision has a date
    # only, so it comes after what else happened that day.
    order: tuple = ()


@dataclass
class ShownCorrection:
    day: date
    reason: str
    changes: list  # (what, before, after) as the reader reads them


def municipal_case(proposal) -> MunicipalCase | None:
    """The proposal's case with its committee and corrections: none for a proposal still
    with its group (its own stage says so), else one query and one for the corrections."""
    if not proposal.municipal_stage:
        return None
    return (
        MunicipalCase.objects.select_related("committee")
        .prefetch_related("corrections")
        .filter(proposal_id=proposal.pk)
        .first()
    )


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _timed(kind: str, moment: datetime, **fields) -> PathStep:
    return PathStep(kind, day=_local_day(moment), order=(_local_day(moment), 0, moment), **fields)


def _shown_value(name: str, value: str) -> str:
    """A correction keeps dates as ISO text; the page writes every date one way."""
    if name == "decided_on" and value not in ("", "–"):
        try:
            return date_format(date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    return value


def _corrections(case: MunicipalCase) -> dict[str, list[ShownCorrection]]:
    by_step: dict[str, list[ShownCorrection]] = {}
    for correction in case.corrections.all():
        names = list(correction.changes)
        changes = [
            (label, _shown_value(name, old), _shown_value(name, new))
            for name, (label, old, new) in zip(names, correction.change_list(), strict=True)
        ]
        by_step.setdefault(correction.step, []).append(
            ShownCorrection(_local_day(correction.corrected_at), correction.reason, changes)
        )
    return by_step


def decision_link(case: MunicipalCase) -> str:
    url = case.decision_url.strip()
    return url if url.lower().startswith(SAFE_SCHEMES) else ""


def proposal_path(history, case: MunicipalCase | None) -> list[PathStep]:
    """The timeline, oldest first: the status changes of `history` and, once the proposal
    is lifted, the municipality's steps and the next one to come."""
    steps = [_timed("status", change.created_at, change=change) for change in history]
    if case is None:
        return steps
    corrected = _corrections(case)
    steps.append(_timed("lifted", case.lifted_at, corrections=corrected.get(Step.LIFT, [])))
    if case.is_registered and case.registered_at:
        steps.append(
            _timed("registered", case.registered_at, corrections=corrected.get(Step.REGISTER, []))
        )
    if case.is_decided and case.decided_on:
        # A decision has its date only: after whatever else happened that day.
        end_of_day = timezone.make_aware(datetime.combine(case.decided_on, datetime.max.time()))
        steps.append(
            PathStep(
                "decided",
                day=case.decided_on,
                corrections=corrected.get(Step.DECIDE, []),
                order=(case.decided_on, 1, end_of_day),
            )
        )
    steps.sort(key=lambda step: step.order)
    if not case.is_registered:
        steps.append(PathStep("next", next_step="registered"))
    elif not case.is_decided:
        steps.append(PathStep("next", next_step="decided"))
    return steps


def registry_email() -> str:
    """Where anyone asks for the case's documents: the register, or the municipality."""
    return settings.REGISTRY_EMAIL or settings.MUNICIPALITY.get("email", "")
