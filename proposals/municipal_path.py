"""The path to the municipality's decision, as data: each step (lift, register, decide),
the service that takes it, who may take it, a guard that says why it cannot be taken now,
and the words people read. The staff pages and their templates ask this table; the
services raise the same refusals (proposals.services.municipality), so each is written
once."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import CaseCorrection, MunicipalCase, Proposal, Stage
from .services import municipality as path_services


@dataclass(frozen=True)
class Step:
    key: str  # CaseCorrection.Step: lift, register, decide
    stage: str  # the Stage the proposal reaches by it
    service: Callable
    may: Callable  # (user, proposal) -> bool: who takes it
    guard: Callable  # (proposal, case or None) -> "" or why it cannot be taken now
    label: Promise  # the step's name
    sentence: Promise  # what the step is, in a sentence people read
    waiting: Promise  # what is awaited while this step is the next one
    done: Promise  # the page's message when the step is taken
    corrected: Promise  # the page's message when the step is corrected

    def is_done(self, case: MunicipalCase | None) -> bool:
        return case is not None and STAGE_ORDER.index(case.stage) >= STAGE_ORDER.index(self.stage)

    def why_not(self, user, proposal: Proposal, case: MunicipalCase | None) -> str:
        """Why this user cannot take (or correct) the step now, or ""."""
        if not self.may(user, proposal):
            return str(NOT_YOURS[self.key])
        return self.guard(proposal, case)


def _guard_lift(proposal, case):
    # A lifted proposal's motivation can always be corrected.
    return "" if case is not None else path_services.why_not_lift(proposal)


STAGE_ORDER = [Stage.NONE, Stage.LIFTED, Stage.REGISTERED, Stage.DECIDED]

LIFT = Step(
    key=CaseCorrection.Step.LIFT,
    stage=Stage.LIFTED,
    service=path_services.proposal_lift,
    may=permissions.can_lift,
    guard=_guard_lift,
    label=_("Lifted to the municipality"),
    sentence=_(
        "The local development group lifts the proposal to the municipality with its "
        "motivation. The register gets the whole proposal by e-mail."
    ),
    waiting=_("Waiting for the group to lift it"),
    done=_("The proposal has been lifted to the municipality. The register has been told."),
    corrected=_("The group's motivation has been corrected. The correction is shown."),
)
REGISTER = Step(
    key=CaseCorrection.Step.REGISTER,
    stage=Stage.REGISTERED,
    service=path_services.case_register,
    may=lambda user, proposal: permissions.can_register(user),
    guard=lambda proposal, case: path_services.why_not_register(case),
    label=_("Registered"),
    sentence=_(
        "The development department registers the case with the register's case number "
        "(diarienummer) and the committee or office responsible."
    ),
    waiting=_("Waiting to be registered"),
    done=_("The case has been registered. Those who follow the proposal are told."),
    corrected=_("The registration has been corrected. The correction is shown."),
)
DECIDE = Step(
    key=CaseCorrection.Step.DECIDE,
    stage=Stage.DECIDED,
    service=path_services.case_decide,
    may=lambda user, proposal: permissions.can_register(user),
    guard=lambda proposal, case: path_services.why_not_decide(case),
    label=_("Decision"),
    sentence=_(
        "The development department records the municipality's decision: the date, the "
        "outcome, a summary in plain words and a link to the minutes."
    ),
    waiting=_("Waiting for a decision"),
    done=_("The decision has been recorded. Those who follow the proposal are told."),
    corrected=_("The decision has been corrected. The correction is shown."),
)

STEPS = (LIFT, REGISTER, DECIDE)
BY_KEY = {step.key: step for step in STEPS}

NOT_YOURS = {
    LIFT.key: _("Only the ort's coordinators and the municipality lift proposals."),
    REGISTER.key: _("Only the development department registers cases and decisions."),
    DECIDE.key: _("Only the development department registers cases and decisions."),
}


def step(key) -> Step | None:
    return BY_KEY.get(key)


@dataclass
class StepState:
    """One step as a page shows it for one case."""

    step: Step
    done: bool
    is_next: bool
    why_not: str  # why it cannot be taken now ("" when it can)


def states(user, proposal: Proposal, case: MunicipalCase | None) -> list[StepState]:
    """Every step of the path for this proposal: done, the next one, or not yet possible."""
    found = []
    next_found = False
    for each in STEPS:
        done = each.is_done(case)
        is_next = not done and not next_found
        next_found = next_found or is_next
        found.append(StepState(each, done, is_next, each.why_not(user, proposal, case)))
    return found


def next_step(case: MunicipalCase | None) -> Step | None:
    """The step the case waits for, or None when it is decided."""
    return next((each for each in STEPS if not each.is_done(case)), None)
