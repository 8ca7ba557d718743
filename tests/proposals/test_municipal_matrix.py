"""The pages of the path to the municipality's decision, for every persona: who may open
and post each, and that a refused post changes nothing."""

import pytest

from allas.models import AuditEvent, OutboundEmail
from proposals import services
from proposals.models import CaseCorrection, Committee, MunicipalCase, Proposal
from tests.factories import signed_in
from tests.personas import NO_SECOND_FACTOR_PERSONAS

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "unverified",
    "resident",
    "author",
    "supporter",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]
LOGIN = "login"


def snapshot():
    """Everything a step or its correction could write."""
    return (
        sorted(
            MunicipalCase.objects.values_list(
                "id",
                "stage",
                "motivation",
                "case_number",
                "committee_id",
                "contact_role",
                "decided_on",
                "outcome",
                "summary",
                "decision_url",
            )
        ),
        sorted(CaseCorrection.objects.values_list("id", "step", "reason")),
        sorted(Proposal.objects.values_list("id", "municipal_stage")),
        OutboundEmail.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Kultur- och fritidsnämnden", kind="committee")


@pytest.fixture
def lifted(proposal, coordinator):
    services.proposal_lift(proposal=proposal, by=coordinator, motivation="Kommunens mark.")
    return proposal


@pytest.fixture
def registered(lifted, staff, committee):
    services.case_register(
        proposal=lifted,
        by=signed_in(staff),
        case_number="KS 2026/5",
        committee=committee,
        contact_role="",
    )
    return lifted


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert "/konto/login/" in response["Location"]
    else:
        assert response.status_code == expected, (response.status_code, expected)


STAFF_ONLY = {**dict.fromkeys(PERSONAS, 403), "visitor": LOGIN, "staff": 200}
LIFTERS = {**STAFF_ONLY, "coordinator": 200}

PAGES = {
    "lift": ("/forslag/{p}/lyft/", LIFTERS, "proposal"),
    "lift, correcting": ("/forslag/{p}/lyft/", LIFTERS, "lifted"),
    "case": ("/forslag/{p}/kommunen/", STAFF_ONLY, "lifted"),
    "list": ("/forslag/kommunen/", STAFF_ONLY, "proposal"),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_who_opens_each_page(request, as_persona, page, persona):
    path, expected, fixture = PAGES[page]
    proposal = request.getfixturevalue(fixture)
    check(as_persona(persona).get(path.format(p=proposal.pk)), expected[persona])


def test_the_case_page_of_a_proposal_never_lifted_is_404_for_staff(as_persona, proposal):
    assert as_persona("staff").get(f"/forslag/{proposal.pk}/kommunen/").status_code == 404
    assert as_persona("staff").get("/forslag/999999/kommunen/").status_code == 404
    assert as_persona("staff").get("/forslag/999999/lyft/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("visitor", LOGIN),
        ("resident", 404),
        ("author", 403),  # the author sees the hidden proposal, and may not lift it
        ("other_coordinator", 404),
        ("staff_without_second_factor", 404),
        ("staff_session_without_second_factor", 404),
        ("coordinator", 200),
        ("staff", 200),
    ],
)
def test_a_hidden_proposal_is_as_hidden_on_the_lift_page(as_persona, proposal, persona, status):
    Proposal.objects.filter(pk=proposal.pk).update(visibility="hidden")
    check(as_persona(persona).get(f"/forslag/{proposal.pk}/lyft/"), status)


def test_the_moderators_see_why_a_hidden_proposal_cannot_be_lifted(as_persona, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(visibility="hidden")
    page = as_persona("coordinator").get(f"/forslag/{proposal.pk}/lyft/").content.decode()
    assert 'name="motivation"' not in page
    assert services.why_not_lift(Proposal.objects.get(pk=proposal.pk)) in page


def writes(committee):
    return {
        "lift": ("proposal", "/forslag/{p}/lyft/", {"motivation": "Kommunens mark."}),
        "correct the motivation": (
            "lifted",
            "/forslag/{p}/lyft/",
            {"motivation": "Kommunens väg.", "reason": "Fel ord."},
        ),
        "register": (
            "lifted",
            "/forslag/{p}/kommunen/",
            {"step": "register", "case_number": "KS 2026/9", "committee": committee.pk},
        ),
        "decide": (
            "registered",
            "/forslag/{p}/kommunen/",
            {
                "step": "decide",
                "decided_on": "",  # filled with today in the test
                "outcome": "rejected",
                "summary": "Nämnden avslog förslaget.",
            },
        ),
    }


ALLOWED = {
    "lift": {"coordinator", "staff"},
    "correct the motivation": {"coordinator", "staff"},
    "register": {"staff"},
    "decide": {"staff"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ALLOWED)
def test_who_takes_each_step_and_a_refused_one_changes_nothing(
    request, as_persona, committee, action, persona
):
    from django.utils import timezone

    fixture, path, data = writes(committee)[action]
    proposal = request.getfixturevalue(fixture)
    if "decided_on" in data:
        data["decided_on"] = timezone.localdate().isoformat()
    client = as_persona(persona)
    before = snapshot()
    response = client.post(path.format(p=proposal.pk), data)
    if persona in ALLOWED[action]:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert snapshot() != before, f"{persona} could not {action}"
        return
    if persona == "visitor":
        check(response, LOGIN)
    else:
        assert response.status_code == 403, response.status_code
    assert snapshot() == before, f"{persona} changed something with {action}"


def test_an_unknown_step_is_a_bad_request_and_changes_nothing(as_persona, lifted):
    before = snapshot()
    response = as_persona("staff").post(f"/forslag/{lifted.pk}/kommunen/", {"step": "lift"})
    assert response.status_code == 400
    assert snapshot() == before
