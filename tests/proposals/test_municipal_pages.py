"""The pages of the path to the municipality's decision: the group lifts a proposal, staff
register the case and record the decision, each step corrected with a reason; bad input
gets a Swedish message with what was typed kept; the staff's list costs the same at any
size."""

import random
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from allas.models import Locality
from proposals import services
from proposals.models import CaseCorrection, Committee, MunicipalCase, Proposal, Stage
from tests.bulk import many_proposals
from tests.factories import signed_in
from tests.proposals.conftest import make_proposal
from tests.test_refused_forms import Page, db_state

pytestmark = pytest.mark.django_db

Outcome = MunicipalCase.Outcome


def sv(text: str) -> str:
    """The interface's Swedish for an English source text."""
    with translation.override("sv"):
        return translation.gettext(text)


def case_number_message() -> str:
    with translation.override("sv"):
        return services.case_number_error("fel")


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Kommunstyrelsen", kind="committee")


@pytest.fixture
def lifted(proposal, coordinator):
    services.proposal_set_status(
        proposal=proposal, by=coordinator, status="accepted", answer="Gruppen står bakom det."
    )
    services.proposal_lift(
        proposal=proposal, by=coordinator, motivation="Vägen är kommunens att belysa."
    )
    return proposal


@pytest.fixture
def registered(lifted, staff, committee):
    services.case_register(
        proposal=lifted,
        by=signed_in(staff),
        case_number="KS 2026/123",
        committee=committee,
        contact_role="Handläggare",
    )
    return lifted


def today() -> str:
    return timezone.localdate().isoformat()


# -- lifting -----------------------------------------------------------------------------


def test_the_coordinator_reads_what_lifting_means_and_lifts(client, proposal, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/forslag/{proposal.pk}/lyft/").content.decode()
    assert proposal.title in page
    assert 'name="motivation"' in page and 'name="reason"' not in page
    assert f'maxlength="{2000}"' in page
    response = client.post(
        f"/forslag/{proposal.pk}/lyft/", {"motivation": "Vägen är kommunens att belysa."}
    )
    assert response.status_code == 302 and response["Location"] == f"/forslag/{proposal.pk}/"
    case = MunicipalCase.objects.get(proposal=proposal)
    assert case.motivation == "Vägen är kommunens att belysa."
    page = client.get(response["Location"]).content.decode()
    assert sv("The proposal has been lifted to the municipality. The register has been told.") in (
        page
    )


def test_a_lift_without_a_motivation_is_refused_and_changes_nothing(client, proposal, coordinator):
    client.force_login(coordinator)
    before = db_state()
    page = Page(client.post(f"/forslag/{proposal.pk}/lyft/", {"motivation": "   "}))
    assert db_state() == before
    assert sv("Write why the municipality should take up the proposal.") in page.error_of(
        "id_motivation"
    )


def test_a_too_long_motivation_is_kept_with_its_error(client, proposal, coordinator):
    client.force_login(coordinator)
    before = db_state()
    page = Page(client.post(f"/forslag/{proposal.pk}/lyft/", {"motivation": "m" * 2001}))
    assert db_state() == before
    assert page.value("id_motivation") == "m" * 2001
    assert page.error_of("id_motivation")


def test_a_lifted_proposal_shows_its_motivation_and_corrects_it_only_with_a_reason(
    client, lifted, coordinator
):
    client.force_login(coordinator)
    page = client.get(f"/forslag/{lifted.pk}/lyft/").content.decode()
    assert "Vägen är kommunens att belysa." in page
    assert 'name="reason"' in page
    before = db_state()
    refused = Page(
        client.post(
            f"/forslag/{lifted.pk}/lyft/", {"motivation": "Vägen är kommunens.", "reason": ""}
        )
    )
    assert db_state() == before
    assert refused.value("id_motivation") == "Vägen är kommunens."
    assert refused.error_of("id_reason")
    response = client.post(
        f"/forslag/{lifted.pk}/lyft/", {"motivation": "Vägen är kommunens.", "reason": "Kortare."}
    )
    assert response.status_code == 302
    correction = CaseCorrection.objects.get()
    assert (correction.step, correction.reason) == ("lift", "Kortare.")


def test_a_correction_that_changes_nothing_is_refused(client, lifted, coordinator):
    client.force_login(coordinator)
    before = db_state()
    page = Page(
        client.post(
            f"/forslag/{lifted.pk}/lyft/",
            {"motivation": "Vägen är kommunens att belysa.", "reason": "Ingen orsak."},
        )
    )
    assert db_state() == before
    assert sv("Nothing is different from what is recorded: change what was wrong.") in page.html


# -- the staff's case page -------------------------------------------------------------


def test_staff_see_the_whole_case(client, staff, lifted):
    client.force_login(staff)
    page = client.get(f"/forslag/{lifted.pk}/kommunen/").content.decode()
    for part in [
        lifted.title,
        "Det är mörkt på kvällarna.",
        "Storebro",
        "Gruppen står bakom det.",
        "Vägen är kommunens att belysa.",
        'name="case_number"',
        settings.CASE_NUMBER_EXAMPLE,
        'value="register"',
    ]:
        assert part in page, part
    # Not registered yet: the decision waits, with the reason why.
    assert 'value="decide"' not in page
    assert sv("Register the case with its case number before the decision.") in page


def test_staff_register_and_decide_and_each_step_becomes_its_correction(
    client, staff, lifted, committee
):
    client.force_login(staff)
    path = f"/forslag/{lifted.pk}/kommunen/"
    response = client.post(
        path,
        {
            "step": "register",
            "case_number": "ks 2026/77",
            "committee": committee.pk,
            "contact_role": "Handläggare",
        },
    )
    assert response.status_code == 302 and response["Location"] == path
    page = client.get(path).content.decode()
    assert "KS 2026/77" in page
    assert 'type="date"' in page and 'name="outcome"' in page
    assert 'id="id_reason"' in page  # the registration's form now corrects it
    response = client.post(
        path,
        {
            "step": "decide",
            "decided_on": today(),
            "outcome": Outcome.PARTLY_GRANTED,
            "summary": "Nämnden biföll delvis: belysning på halva sträckan.",
            "decision_url": "https://vimmerby.se/protokoll.pdf",
        },
    )
    assert response.status_code == 302
    case = MunicipalCase.objects.get()
    assert (case.stage, case.outcome) == (Stage.DECIDED, Outcome.PARTLY_GRANTED)
    response = client.post(
        path,
        {
            "step": "decide",
            "decided_on": today(),
            "outcome": Outcome.GRANTED,
            "summary": "Nämnden biföll delvis: belysning på halva sträckan.",
            "decision_url": "https://vimmerby.se/protokoll.pdf",
            "reason": "Protokollet rättat.",
        },
    )
    assert response.status_code == 302
    page = client.get(path).content.decode()
    assert "Protokollet rättat." in page
    with translation.override("sv"):
        assert f"{Outcome.PARTLY_GRANTED.label} → {Outcome.GRANTED.label}" in page


def test_a_bad_case_number_is_refused_in_swedish_with_what_was_typed(
    client, staff, lifted, committee
):
    client.force_login(staff)
    before = db_state()
    page = Page(
        client.post(
            f"/forslag/{lifted.pk}/kommunen/",
            {
                "step": "register",
                "case_number": "2026-77",
                "committee": committee.pk,
                "contact_role": "Handläggare",
            },
        )
    )
    assert db_state() == before
    assert page.value("id_case_number") == "2026-77"
    assert page.value("id_committee") == str(committee.pk)
    assert page.value("id_contact_role") == "Handläggare"
    assert case_number_message() in page.error_of("id_case_number")


def test_a_decision_in_the_future_is_refused_with_what_was_typed(client, staff, registered):
    client.force_login(staff)
    before = db_state()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = Page(
        client.post(
            f"/forslag/{registered.pk}/kommunen/",
            {
                "step": "decide",
                "decided_on": tomorrow,
                "outcome": Outcome.REJECTED,
                "summary": "Avslag.",
                "decision_url": "",
            },
        )
    )
    assert db_state() == before
    assert page.value("id_decided_on") == tomorrow
    assert page.value("id_outcome_2") is True
    assert page.value("id_summary") == "Avslag."
    assert sv("The decision date cannot be in the future.") in page.error_of("id_decided_on")


def test_a_decision_without_an_outcome_names_the_error_at_the_group(client, staff, registered):
    client.force_login(staff)
    before = db_state()
    page = Page(
        client.post(
            f"/forslag/{registered.pk}/kommunen/",
            {"step": "decide", "decided_on": today(), "summary": "Beslut i KS."},
        )
    )
    assert db_state() == before
    assert page.value("id_summary") == "Beslut i KS."
    assert page.value("id_decided_on") == today()
    assert sv("Choose the decision's outcome.") in page.error_of("id_outcome_0")
    assert "<legend" in page.html


def test_a_decision_before_the_registration_is_refused_with_the_reason(client, staff, lifted):
    client.force_login(staff)
    before = db_state()
    data = {"step": "decide", "decided_on": today(), "outcome": "granted", "summary": "Bifall."}
    response = client.post(f"/forslag/{lifted.pk}/kommunen/", data, follow=True)
    assert db_state() == before
    assert sv("Register the case with its case number before the decision.") in (
        response.content.decode()
    )


# The refused-forms walk (tests/test_refused_forms.py) names these tests for the forms.
LIFT_FORM_TEST = test_a_too_long_motivation_is_kept_with_its_error
REGISTER_FORM_TEST = test_a_bad_case_number_is_refused_in_swedish_with_what_was_typed
DECISION_FORM_TEST = test_a_decision_without_an_outcome_names_the_error_at_the_group


# -- the staff's list --------------------------------------------------------------------


def test_the_list_shows_each_step_oldest_first_and_what_still_waits(
    client, staff, coordinator, author, committee
):
    old = make_proposal(author, title="Gammalt förslag")
    new = make_proposal(author, title="Nytt förslag")
    tuna = make_proposal(author, slug="tuna", title="Förslag i Tuna")
    Proposal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    by_staff = signed_in(staff)
    for proposal in (old, new):
        services.proposal_lift(proposal=proposal, by=by_staff, motivation="Viktigt.")
    MunicipalCase.objects.filter(proposal=old).update(lifted_at=timezone.now() - timedelta(days=12))
    client.force_login(staff)
    page = client.get("/forslag/kommunen/").content.decode()
    assert page.index("Gammalt förslag") < page.index("Nytt förslag")
    assert '<td class="text-end">12</td>' in page
    # Still waiting for the group: oldest first, every ort.
    assert "Förslag i Tuna" in page
    page = client.get("/forslag/kommunen/?ort=tuna").content.decode()
    assert "Gammalt förslag" not in page and "Förslag i Tuna" in page
    assert tuna.pk


def test_the_staff_find_the_list_where_they_look_for_work(client, staff, coordinator):
    client.force_login(staff)
    assert 'href="/forslag/kommunen/"' in client.get("/forslag/att-besvara/").content.decode()
    client.force_login(coordinator)
    assert 'href="/forslag/kommunen/"' not in client.get("/forslag/att-besvara/").content.decode()


# -- query budgets ----------------------------------------------------------------------

# The list: the session, the user (with staff membership and second factor), the orter,
# and two queries (a capped count and one page of rows) for each of the three steps and
# for the proposals still waiting: 11. The case page: the session, the user, the case
# with its proposal, ort, group, author, committee and actors, the SLUS areas, the group's
# answer, the corrections with who made them: 6, and one to spare.
LIST_BUDGET = 11
CASE_BUDGET = 7


def many(n_proposals, n_cases, committee):
    """Proposals in every ort, made in bulk, and cases at every step."""
    orter = list(Locality.objects.all())
    now = timezone.now()
    rng = random.Random(7)
    proposals = Proposal.objects.bulk_create(
        Proposal(
            locality=orter[i % len(orter)],
            title=f"Förslag {i}",
            body="Text.",
            created_at=now - timedelta(days=rng.randint(0, 700)),
            status=rng.choice(["submitted", "under_review", "accepted"]),
        )
        for i in range(n_proposals)
    )
    cases = []
    for i, proposal in enumerate(proposals[:n_cases]):
        stage = [Stage.LIFTED, Stage.REGISTERED, Stage.DECIDED][i % 3]
        lifted_at = now - timedelta(days=rng.randint(10, 300))
        case = MunicipalCase(
            proposal=proposal, stage=stage, lifted_at=lifted_at, motivation="Viktigt."
        )
        if stage != Stage.LIFTED:
            case.case_number = f"KS 2026/{i}"
            case.committee = committee
            case.registered_at = lifted_at + timedelta(days=2)
        if stage == Stage.DECIDED:
            case.decided_on = (lifted_at + timedelta(days=5)).date()
            case.outcome = Outcome.GRANTED
            case.summary = "Bifall."
        cases.append(case)
    MunicipalCase.objects.bulk_create(cases)
    for case in cases:
        Proposal.objects.filter(pk=case.proposal_id).update(municipal_stage=case.stage)


@pytest.mark.parametrize("size", [(10, 3), (2000, 300)], ids=["small", "large"])
def test_the_list_costs_the_same_at_any_size(
    client, staff, committee, size, django_assert_max_num_queries
):
    many(*size, committee)
    client.force_login(staff)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get("/forslag/kommunen/")
    assert response.status_code == 200
    with django_assert_max_num_queries(LIST_BUDGET):
        assert client.get("/forslag/kommunen/?ort=storebro&sida=2").status_code == 200


def test_the_list_costs_the_same_at_100_and_50000_proposals(
    client, staff, committee, django_assert_max_num_queries
):
    many(10, 3, committee)
    many_proposals(100)
    client.force_login(staff)
    with django_assert_max_num_queries(LIST_BUDGET) as small:
        assert client.get("/forslag/kommunen/").status_code == 200
    many_proposals(49_900)
    assert Proposal.objects.count() > 50_000
    with django_assert_max_num_queries(LIST_BUDGET) as large:
        assert client.get("/forslag/kommunen/").status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("size", [(10, 3), (2000, 300)], ids=["small", "large"])
def test_the_case_page_costs_the_same_at_any_size(
    client, staff, registered, committee, size, django_assert_max_num_queries
):
    many(*size, committee)
    services.case_register(
        proposal=registered,
        by=signed_in(staff),
        case_number="KS 2026/124",
        committee=committee,
        contact_role="",
        reason="Fel nummer.",
    )
    client.force_login(staff)
    with django_assert_max_num_queries(CASE_BUDGET):
        response = client.get(f"/forslag/{registered.pk}/kommunen/")
    assert response.status_code == 200
