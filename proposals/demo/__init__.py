"""The demo's proposals for `make run`, and their way through the municipality: residents
of several orter propose, the groups answer (some soon, some late, some not yet), the
groups lift some to the municipality, and the development department registers them and
records the decisions, with one of each step and decisions of four outcomes. Made
through the services, as the people would; run again, it makes nothing new.

The account of the year (/uppfoljning/<year>/) is drawn from these: every date falls in
this year, on a working day (allas.demo_days)."""

import datetime

from django.utils import timezone

from allas.demo_days import at, workday_on_or_after, workday_on_or_before
from allas.management.commands.load_demo import STAFF_EMAIL, demo_account
from allas.models import Locality, SlusGoal, User
from allas.permissions import note_second_factor_proofs
from groups.models import Action, DialogueMeeting, Membership

from .. import services
from ..models import CaseCorrection, Committee, MunicipalCase, Proposal, StatusChange
from .content import COMMITTEES, MINUTES, MINUTES_NAMES, PATHS, RESIDENTS, Path

OLDEST = max(path.submitted for path in PATHS)


def _day(days: int) -> datetime.date:
    """The working day `days` before today, within this year: a demo loaded early in the
    year has its dates drawn closer together rather than spill into last year's account."""
    today = timezone.localdate()
    first = workday_on_or_after(datetime.date(today.year, 1, 1))
    scale = min(1.0, max((today - first).days, 0) / OLDEST)
    day = workday_on_or_before(today - datetime.timedelta(days=round(days * scale)))
    return min(max(day, first), today)


def _when(days: int, hour: int, not_before: datetime.datetime) -> datetime.datetime:
    """The moment of a step: never before the step it follows, never in the future."""
    moment = max(at(_day(days), hour), not_before + datetime.timedelta(minutes=30))
    return min(moment, timezone.now())


def department() -> User:
    """The demo's staff account, acting as the development department. A command acts for
    no session and the demo account has no second factor until its first login sets one
    up, so this user object alone is marked as a session that passed it: the register and
    decision steps then go through the services and their rules, as staff's would."""
    staff = User.objects.get(email=STAFF_EMAIL)
    staff._oldest_second_factor = 0
    note_second_factor_proofs(staff, [0])
    return staff


def _coordinator(slug: str) -> User:
    return (
        Membership.objects.coordinators()
        .filter(group__locality__slug=slug)
        .select_related("user")
        .first()
        .user
    )


def committees() -> int:
    """Returns how many were made now."""
    made = 0
    for name, kind in COMMITTEES:
        _committee, new = Committee.objects.get_or_create(name=name, defaults={"kind": kind})
        made += new
    return made


def _residents() -> None:
    for email, name, slug, age_band in RESIDENTS:
        demo_account(email, name, home_locality=Locality.objects.get(slug=slug), age_band=age_band)


def load() -> dict:
    """Makes what is missing; returns the counts of the demo's own proposals: made now,
    found, and at each step at the municipality."""
    made_committees = committees()
    _residents()
    staff = department()
    supporters = list(User.objects.filter(email__startswith="boende").order_by("email"))
    made = 0
    proposals = []
    for path in PATHS:
        proposal = Proposal.objects.filter(locality__slug=path.ort, title=path.title).first()
        if proposal is None:
            proposal = _submit(path, supporter=supporters[len(proposals) % len(supporters)])
            made += 1
        _answer(path, proposal)
        _lift(path, proposal)
        _register(path, proposal, staff)
        _decide(path, proposal, staff)
        proposals.append(proposal.pk)
    _raise_at_workshop()
    stages = dict.fromkeys(["lifted", "registered", "decided"], 0)
    for stage in Proposal.objects.filter(pk__in=proposals).values_list(
        "municipal_stage", flat=True
    ):
        if stage:
            stages[stage] += 1
    return {
        "made": made,
        "found": len(PATHS) - made,
        "committees": made_committees,
        **stages,
    }


def _submit(path: Path, supporter: User) -> Proposal:
    author = User.objects.get(email=path.author)
    proposal = services.proposal_create(
        author=author,
        locality=Locality.objects.get(slug=path.ort),
        title=path.title,
        body=path.body,
        goals=SlusGoal.objects.filter(slug=path.goal),
    )
    # The services stamp every step with the time it is taken; the demo's proposals came
    # in over the year, so their times are set back afterwards, step by step, for the
    # response times and the year's account to have something to show.
    submitted = at(_day(path.submitted), 10)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=submitted)
    proposal.history.update(created_at=submitted)
    proposal.created_at = submitted
    if supporter == author:
        supporter = User.objects.get(email=RESIDENTS[0][0])
    services.support_toggle(proposal=proposal, user=supporter)
    services.comment_create(proposal=proposal, author=supporter, body="Bra idé!")
    later = submitted + datetime.timedelta(hours=3)
    proposal.supports.update(created_at=later)
    proposal.comments.update(created_at=later)
    return proposal


def _answer(path: Path, proposal: Proposal) -> None:
    if path.answer is None or proposal.answered_at is not None:
        return
    days, status, text = path.answer
    action = None
    if path.action:
        action = (
            Action.objects.published()
            .filter(plan__group__locality__slug=path.ort, title=path.action)
            .first()
        )
    services.proposal_set_status(
        proposal=proposal, by=_coordinator(path.ort), status=status, answer=text, action=action
    )
    answered = _when(days, 14, proposal.created_at)
    change = proposal.history.exclude(answered_as=StatusChange.AnsweredAs.AUTHOR).last()
    StatusChange.objects.filter(pk=change.pk).update(created_at=answered)
    Proposal.objects.filter(pk=proposal.pk).update(answered_at=answered)
    proposal.answered_at = answered


def _case(proposal: Proposal) -> MunicipalCase | None:
    return MunicipalCase.objects.filter(proposal=proposal).first()


def _lift(path: Path, proposal: Proposal) -> None:
    if path.lift is None or _case(proposal) is not None:
        return
    case = services.proposal_lift(
        proposal=proposal, by=_coordinator(path.ort), motivation=path.lift.text
    )
    lifted = _when(path.lift.days, 11, proposal.answered_at or proposal.created_at)
    MunicipalCase.objects.filter(pk=case.pk).update(lifted_at=lifted)


def _register(path: Path, proposal: Proposal, staff: User) -> None:
    case = _case(proposal)
    if path.register is None or case is None or case.is_registered:
        return
    days, number, committee, contact = path.register
    registered = _when(days, 9, case.lifted_at)
    case = services.case_register(
        proposal=proposal,
        by=staff,
        case_number=number.format(year=registered.year),
        committee=Committee.objects.get(name=committee),
        contact_role=contact,
    )
    MunicipalCase.objects.filter(pk=case.pk).update(registered_at=registered)
    if path.correction:
        right, why = path.correction
        services.case_register(
            proposal=proposal,
            by=staff,
            case_number=case.case_number,
            committee=Committee.objects.get(name=right),
            contact_role=contact,
            reason=why,
        )
        corrected = _when(days - 1, 13, registered)
        CaseCorrection.objects.filter(case=case).update(corrected_at=corrected)


def _decide(path: Path, proposal: Proposal, staff: User) -> None:
    case = _case(proposal)
    if path.decide is None or case is None or not case.is_registered or case.is_decided:
        return
    days, outcome, summary, committee = path.decide
    decided_on = timezone.localtime(_when(days, 15, case.registered_at)).date()
    services.case_decide(
        proposal=proposal,
        by=staff,
        decided_on=decided_on,
        outcome=outcome,
        summary=summary,
        decision_url=MINUTES.format(committee=MINUTES_NAMES[committee], day=decided_on.isoformat()),
    )


def _raise_at_workshop() -> None:
    """Storebro's proposal was raised at the group's workshop (meetings.dialogue.demo)."""
    storebro = Proposal.objects.filter(
        locality__slug="storebro", title=PATHS[0].title, raised_at=None
    ).first()
    workshop = DialogueMeeting.objects.filter(
        group__locality__slug="storebro", status=DialogueMeeting.Status.HELD
    ).first()
    if storebro is not None and workshop is not None:
        services.proposal_set_raised_at(
            proposal=storebro, by=_coordinator("storebro"), raised_at=workshop
        )
