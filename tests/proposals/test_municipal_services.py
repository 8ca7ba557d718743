"""The path to the municipality's decision, one service per step: lifted by the group,
registered by staff with the register's case number, decided; each step corrected only
with a reason, kept, shown and audited; the register e-mailed the whole proposal; the
proposal's followers told as they chose."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from allas.models import AuditEvent, OutboundEmail
from notifications import preferences
from notifications.models import Delivery, Notice
from proposals import municipal_path, services
from proposals.models import CaseCorrection, Committee, MunicipalCase, Proposal, Stage
from proposals.services import municipality as path_services
from tests.factories import UserFactory, signed_in
from tests.words import Kind, Verb

pytestmark = pytest.mark.django_db

Outcome = MunicipalCase.Outcome


def sv(text: str) -> str:
    with translation.override("sv"):
        return translation.gettext(text)


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Kommunstyrelsen", kind=Committee.Kind.COMMITTEE)


@pytest.fixture
def office(db):
    return Committee.objects.create(name="Samhällsbyggnadsförvaltningen", kind="office")


@pytest.fixture
def by_staff(staff):
    return signed_in(staff)


@pytest.fixture
def answered(proposal, coordinator):
    services.proposal_set_status(
        proposal=proposal,
        by=coordinator,
        status=Proposal.Status.ACCEPTED,
        answer="Gruppen stödjer förslaget och tar det vidare.",
    )
    proposal.refresh_from_db()
    return proposal


def lift(proposal, by, motivation="Kommunen äger cykelvägen.", **kwargs):
    return services.proposal_lift(proposal=proposal, by=by, motivation=motivation, **kwargs)


def register(proposal, by, committee, case_number="KS 2026/123", **kwargs):
    kwargs.setdefault("contact_role", "Handläggare")
    return services.case_register(
        proposal=proposal, by=by, case_number=case_number, committee=committee, **kwargs
    )


def decide(proposal, by, **kwargs):
    values = {
        "decided_on": timezone.localdate(),
        "outcome": Outcome.GRANTED,
        "summary": "Kommunstyrelsen biföll förslaget.",
        "decision_url": "https://vimmerby.se/protokoll/ks-2026-12.pdf",
    }
    values.update(kwargs)
    return services.case_decide(proposal=proposal, by=by, **values)


# -- the case number -------------------------------------------------------------------


@pytest.mark.parametrize("good", ["KS 2026/123", "BUN 2025/1", "SBN 2026/004512"])
def test_a_case_number_as_the_register_writes_it_is_accepted(good):
    assert services.case_number_error(good) == ""


@pytest.mark.parametrize("bad", ["", "2026/123", "KS-2026-123", "KS 26/1", "ks 2026/1 x"])
def test_a_case_number_not_as_the_register_writes_it_is_refused_with_the_example(bad):
    error = services.case_number_error(bad)
    assert error and "KS 2026/123" in error


def test_the_pattern_and_its_example_come_from_the_settings(settings):
    settings.CASE_NUMBER_PATTERN = r"^Dnr \d{4}-\d{3}$"
    settings.CASE_NUMBER_EXAMPLE = "Dnr 2026-001"
    assert services.case_number_error("Dnr 2026-017") == ""
    assert "Dnr 2026-001" in services.case_number_error("KS 2026/123")


def test_registering_writes_the_case_number_as_the_register_does(
    proposal, coordinator, by_staff, committee
):
    lift(proposal, coordinator)
    case = register(proposal, by_staff, committee, case_number="  ks   2026/77 ")
    assert case.case_number == "KS 2026/77"


def test_a_custom_pattern_refuses_the_default_numbers(
    settings, proposal, coordinator, by_staff, committee
):
    settings.CASE_NUMBER_PATTERN = r"^Dnr \d{4}-\d{3}$"
    settings.CASE_NUMBER_EXAMPLE = "Dnr 2026-001"
    lift(proposal, coordinator)
    with pytest.raises(services.ProposalError, match="Dnr 2026-001"):
        register(proposal, by_staff, committee, case_number="KS 2026/1")
    # The pattern's own small letters are kept.
    assert register(proposal, by_staff, committee, case_number="Dnr  2026-042").case_number == (
        "Dnr 2026-042"
    )


# -- the steps in order ------------------------------------------------------------------


def test_the_steps_are_taken_in_order(proposal, coordinator, by_staff, committee):
    with pytest.raises(services.ProposalError):
        register(proposal, by_staff, committee)
    case = lift(proposal, coordinator)
    assert case.stage == Stage.LIFTED and case.lifted_by == coordinator
    proposal.refresh_from_db()
    assert proposal.municipal_stage == Stage.LIFTED
    with pytest.raises(services.ProposalError, match=".+"):
        decide(proposal, by_staff)
    case = register(proposal, by_staff, committee)
    assert case.stage == Stage.REGISTERED and case.registered_at and case.committee == committee
    case = decide(proposal, by_staff)
    assert case.stage == Stage.DECIDED and case.outcome == Outcome.GRANTED
    proposal.refresh_from_db()
    assert proposal.municipal_stage == Stage.DECIDED
    assert CaseCorrection.objects.count() == 0
    assert list(
        AuditEvent.objects.filter(object_id=proposal.pk)
        .order_by("id")
        .values_list("verb", flat=True)
    )[-3:] == [Verb.PROPOSAL_LIFTED, Verb.CASE_REGISTERED, Verb.CASE_DECIDED]


def test_the_path_table_says_why_a_step_waits(proposal, coordinator, staff, by_staff, committee):
    assert municipal_path.next_step(None) is municipal_path.LIFT
    assert municipal_path.REGISTER.guard(proposal, None) == sv(
        "The proposal has not been lifted to the municipality."
    )
    case = lift(proposal, coordinator)
    assert municipal_path.next_step(case) is municipal_path.REGISTER
    assert municipal_path.DECIDE.guard(proposal, case) == sv(
        "Register the case with its case number before the decision."
    )
    states = municipal_path.states(by_staff, proposal, case)
    assert [(s.done, s.is_next, s.why_not == "") for s in states] == [
        (True, False, True),
        (False, True, True),
        (False, False, False),
    ]
    # Who may: the coordinator lifts, and registers nothing.
    assert municipal_path.REGISTER.why_not(coordinator, proposal, case)


@pytest.mark.parametrize("status", [Proposal.Status.WITHDRAWN, Proposal.Status.DECLINED])
def test_a_withdrawn_or_declined_proposal_is_not_lifted(proposal, coordinator, status):
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    with pytest.raises(services.ProposalError):
        lift(proposal, coordinator)
    assert not MunicipalCase.objects.exists()


def test_a_hidden_proposal_is_not_lifted(proposal, coordinator):
    Proposal.objects.filter(pk=proposal.pk).update(visibility="hidden")
    proposal.refresh_from_db()
    with pytest.raises(services.ProposalError):
        lift(proposal, coordinator)


def test_only_the_orts_coordinators_and_staff_lift(
    proposal, other_coordinator, resident, staff_without_second_factor
):
    for person in (other_coordinator, resident, signed_in(staff_without_second_factor)):
        with pytest.raises(services.ProposalError):
            lift(proposal, person)
    assert not MunicipalCase.objects.exists()


def test_only_staff_with_the_second_factor_register_and_decide(
    proposal, coordinator, staff, committee
):
    lift(proposal, coordinator)
    for person in (coordinator, signed_in(staff, second_factor=False)):
        with pytest.raises(services.ProposalError):
            register(proposal, person, committee)
    assert MunicipalCase.objects.get().stage == Stage.LIFTED


def test_a_decision_date_in_the_future_or_before_the_lift_is_refused(
    proposal, coordinator, by_staff, committee
):
    lift(proposal, coordinator)
    register(proposal, by_staff, committee)
    for day in (timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=3)):
        with pytest.raises(services.ProposalError):
            decide(proposal, by_staff, decided_on=day)
    with pytest.raises(services.ProposalError):
        decide(proposal, by_staff, outcome="maybe")
    assert MunicipalCase.objects.get().stage == Stage.REGISTERED


# -- corrections ---------------------------------------------------------------------------


def test_a_correction_needs_a_reason_and_is_kept_and_audited_in_swedish(
    proposal, coordinator, by_staff, committee, office
):
    lift(proposal, coordinator)
    register(proposal, by_staff, committee)
    with pytest.raises(services.ProposalError):
        register(proposal, by_staff, office, case_number="KS 2026/124", reason="  ")
    assert MunicipalCase.objects.get().case_number == "KS 2026/123"
    assert not CaseCorrection.objects.exists()

    register(proposal, by_staff, office, case_number="KS 2026/124", reason="Fel nummer.")
    case = MunicipalCase.objects.get()
    assert (case.case_number, case.committee) == ("KS 2026/124", office)
    correction = CaseCorrection.objects.get()
    assert correction.step == CaseCorrection.Step.REGISTER
    assert correction.reason == "Fel nummer."
    assert correction.changes == {
        "case_number": ["KS 2026/123", "KS 2026/124"],
        "committee": ["Kommunstyrelsen", "Samhällsbyggnadsförvaltningen"],
    }
    event = AuditEvent.objects.filter(verb=Verb.CASE_CORRECTED).get()
    assert "KS 2026/123 → KS 2026/124" in event.summary
    assert "Fel nummer." in event.summary
    with translation.override("sv"):
        label = str(MunicipalCase._meta.get_field("case_number").verbose_name).capitalize()
    assert label in event.summary


def test_a_step_taken_again_without_a_change_keeps_no_correction(
    proposal, coordinator, by_staff, committee
):
    lift(proposal, coordinator)
    register(proposal, by_staff, committee)
    register(proposal, by_staff, committee)
    assert not CaseCorrection.objects.exists()


def test_the_decision_and_the_motivation_are_corrected_with_their_reasons(
    proposal, coordinator, by_staff, committee
):
    lift(proposal, coordinator)
    register(proposal, by_staff, committee)
    decide(proposal, by_staff)
    decide(proposal, by_staff, outcome=Outcome.PARTLY_GRANTED, reason="Protokollet justerat.")
    lift(proposal, coordinator, motivation="Ny motivering.", reason="Stavfel.")
    steps = list(CaseCorrection.objects.values_list("step", flat=True))
    assert steps == [CaseCorrection.Step.DECIDE, CaseCorrection.Step.LIFT]
    decision = CaseCorrection.objects.get(step="decide")
    with translation.override("sv"):
        [(label, old, new)] = decision.change_list()
        assert (old, new) == (str(Outcome.GRANTED.label), str(Outcome.PARTLY_GRANTED.label))
    assert MunicipalCase.objects.get().motivation == "Ny motivering."
    # A correction tells nobody again.
    assert OutboundEmail.objects.filter(kind="proposals.lifted_registry").count() == 1


# -- the register's e-mail -------------------------------------------------------------------


def test_the_register_gets_the_whole_proposal(settings, answered, coordinator):
    settings.REGISTRY_EMAIL = "registrator@vimmerby.se"
    lift(answered, coordinator, motivation="Trafiksäkerheten kräver kommunens beslut.")
    message = OutboundEmail.objects.get(kind="proposals.lifted_registry")
    assert message.to == "registrator@vimmerby.se"
    text = message.body_text
    for part in [
        answered.title,
        "Det är mörkt på kvällarna.",  # the text
        "Storebro",  # the ort
        answered.created_at.strftime("%Y-%m-%d"),  # the date
        "Gruppen stödjer förslaget och tar det vidare.",  # the group's answer
        "Trafiksäkerheten kräver kommunens beslut.",  # the motivation
        f"/forslag/{answered.pk}/",  # the link
        f"/forslag/{answered.pk}/kommunen/",
    ]:
        assert part in text, part
    assert f": {answered.support_count}\n" in text  # the supports
    assert answered.title in message.subject
    assert answered.title in message.body_html


def test_nothing_is_sent_to_the_register_when_it_has_no_address(settings, proposal, coordinator):
    settings.REGISTRY_EMAIL = ""
    lift(proposal, coordinator)
    assert not OutboundEmail.objects.filter(kind="proposals.lifted_registry").exists()
    assert MunicipalCase.objects.exists()


# -- who hears of each step ---------------------------------------------------------------


def notified(user):
    mails = OutboundEmail.objects.filter(to=user.email, kind=f"notifications.{Kind.ANSWERS}")
    notices = Notice.objects.filter(user=user, kind=Kind.ANSWERS)
    return mails.count(), notices.count()


def test_the_author_and_followers_hear_of_each_step_as_they_chose(
    proposal, author, supporter, coordinator, by_staff, committee
):
    # The supporter follows the proposal automatically, like the author.
    never = UserFactory()
    services.proposal_follow_toggle(user=never, proposal=proposal)
    preferences.settings_save(user=author, choices={Kind.ANSWERS: Delivery.DIRECT})
    preferences.settings_save(user=supporter, choices={Kind.ANSWERS: Delivery.DIGEST})
    preferences.settings_save(user=never, choices={Kind.ANSWERS: Delivery.NEVER})
    lift(proposal, coordinator)
    assert notified(author) == (1, 0)
    assert notified(supporter) == (0, 1)
    assert notified(never) == (0, 0)
    register(proposal, by_staff, committee)
    decide(proposal, by_staff)
    assert notified(author) == (3, 0)
    assert notified(supporter) == (0, 3)
    assert notified(never) == (0, 0)
    mail = OutboundEmail.objects.filter(to=author.email).order_by("id").last()
    assert (
        "KS 2026/123" in OutboundEmail.objects.filter(to=author.email).order_by("id")[1].body_text
    )
    assert "Kommunstyrelsen biföll förslaget." in mail.body_text


def test_the_one_who_takes_the_step_is_not_told(proposal, author, staff, by_staff, committee):
    services.proposal_follow_toggle(user=staff, proposal=proposal)
    preferences.settings_save(user=staff, choices={Kind.ANSWERS: Delivery.DIRECT})
    lift(proposal, by_staff)
    register(proposal, by_staff, committee)
    assert notified(staff) == (0, 0)


def test_the_path_services_name_their_refusals_once():
    # The table's guards are the services' own functions.
    assert municipal_path.REGISTER.service is path_services.case_register
    assert municipal_path.DECIDE.service is path_services.case_decide
    assert municipal_path.LIFT.service is path_services.proposal_lift
