"""What residents see of a proposal's path on its page: the group's answers and the
municipality's steps as one timeline, each correction beside its step, the plan's action
it led to; the coordinators' and staff's links to the next step; and the page's queries,
the same at any number of proposals."""

import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext, pgettext

from proposals import services
from proposals.models import Committee, MunicipalCase, Proposal, Visibility
from tests.factories import signed_in
from tests.personas import NO_SECOND_FACTOR_PERSONAS
from tests.proposals.test_dialogue import storebro_action
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

MOTIVATION = "Gruppen står bakom förslaget.\nDet gäller många i Storebro."
SUMMARY = "Kommunen sätter upp belysning <b>under 2027</b>.\nArbetet börjar i mars."
DECISION_URL = "https://www.vimmerby.se/protokoll/ks-2026-12-01.pdf"


def sv(text, context=None):
    """The text as the Swedish page shows it (the catalogue's words, or the source)."""
    with translation.override("sv"):
        return pgettext(context, text) if context else gettext(text)


def today():
    return date_format(timezone.localdate(), "j F Y")


def committee():
    return Committee.objects.get_or_create(name="Tekniska nämnden", kind="committee")[0]


def lift(proposal, by, motivation=MOTIVATION, **kwargs):
    return services.proposal_lift(proposal=proposal, by=by, motivation=motivation, **kwargs)


def register(proposal, staff, case_number="KS 2026/123", **kwargs):
    return services.case_register(
        proposal=proposal,
        by=signed_in(staff),
        case_number=case_number,
        committee=committee(),
        contact_role="Gatuchef",
        **kwargs,
    )


def decide(proposal, staff, outcome="granted", decision_url=DECISION_URL, **kwargs):
    return services.case_decide(
        proposal=proposal,
        by=signed_in(staff),
        decided_on=timezone.localdate(),
        outcome=outcome,
        summary=SUMMARY,
        decision_url=decision_url,
        **kwargs,
    )


def whole_path(proposal, coordinator, staff):
    """Accepted into the plan with an answer, lifted, registered with a wrong number and
    corrected, decided: every step the page shows. Returns the plan's action."""
    action = storebro_action()
    services.proposal_set_status(
        proposal=proposal,
        by=coordinator,
        status="accepted",
        answer="Vi tar med det.",
        action=action,
    )
    lift(proposal, coordinator)
    register(proposal, staff, case_number="KS 2026/12")
    register(proposal, staff, reason="Fel siffra i diarienumret.")
    decide(proposal, staff)
    return action


def page(client, proposal):
    response = client.get(f"/forslag/{proposal.pk}/")
    assert response.status_code == 200
    assert_valid_html(response.content)
    return response.content.decode()


def timeline(content):
    return content.split('class="list-unstyled history"')[1].split("</ol>")[0]


def step(content, anchor):
    """One step of the timeline, by its id (lyft, diarienummer, beslut)."""
    rest = content.split(f'id="{anchor}"')[1]
    return re.split(r'<li class="border-start|</ol>', rest)[0]


# -- the timeline -------------------------------------------------------------------


def test_before_lifting_the_municipality_is_not_mentioned(client, proposal):
    content = page(client, proposal)
    assert "path-step" not in content and "path-next" not in content
    assert sv("Not yet", "proposal path") not in content
    assert sv("Lifted to the municipality", "proposal path") not in timeline(content)
    # The group's history is the timeline: submitted, with its date.
    assert timeline(content).count("<li ") == 1
    assert sv("Submitted", "proposal") in timeline(content) and today() in timeline(content)


def test_a_lifted_proposal_shows_the_date_the_motivation_and_what_comes_next(
    client, proposal, coordinator
):
    lift(proposal, coordinator)
    content = page(client, proposal)
    lifted = step(content, "lyft")
    assert sv("Lifted to the municipality", "proposal path") in lifted
    assert today() in lifted and "Utvecklingsgruppen i Storebro" in lifted
    assert "Gruppen står bakom förslaget.<br>Det gäller många i Storebro." in lifted
    coming = timeline(content).split('class="border-start border-3 ps-3 mb-3 path-next"')[1]
    assert sv("Not yet", "proposal path") in coming
    assert sv("Registered by the municipality", "proposal path") in coming
    # The label beside the status says where it is.
    assert sv("At the municipality") in content.split("</h1>")[1].split("</p>")[0]


def test_a_registered_proposal_shows_the_case_number_and_how_to_ask_for_the_documents(
    client, proposal, coordinator, staff
):
    lift(proposal, coordinator)
    register(proposal, staff)
    content = page(client, proposal)
    registered = step(content, "diarienummer")
    assert sv("Registered by the municipality", "proposal path") in registered
    assert '<dd class="case-number">KS 2026/123</dd>' in registered
    assert "Tekniska nämnden" in registered and "Gatuchef" in registered
    assert f'href="mailto:{settings.REGISTRY_EMAIL}"' in registered
    assert "KS 2026/123." in registered.split('class="mb-1 public-access"')[1]
    coming = timeline(content).split("path-next")[1]
    assert sv("Decision", "proposal path") in coming and sv("Not yet", "proposal path") in coming


def test_without_a_register_address_the_municipality_answers(
    client, proposal, coordinator, staff, settings
):
    settings.REGISTRY_EMAIL = ""
    lift(proposal, coordinator)
    register(proposal, staff)
    registered = step(page(client, proposal), "diarienummer")
    assert f'href="mailto:{settings.MUNICIPALITY["email"]}"' in registered


def test_a_decided_proposal_shows_the_outcome_the_summary_escaped_and_the_link(
    client, proposal, coordinator, staff
):
    lift(proposal, coordinator)
    register(proposal, staff)
    decide(proposal, staff, outcome="partly_granted")
    content = page(client, proposal)
    decided = step(content, "beslut")
    outcome = str(MunicipalCase.Outcome.PARTLY_GRANTED.label)
    with translation.override("sv"):
        outcome = str(MunicipalCase.Outcome.PARTLY_GRANTED.label)
    assert f'<strong class="path-outcome">{outcome}</strong>' in decided
    assert today() in decided and "Tekniska nämnden" in decided
    assert escape("Kommunen sätter upp belysning <b>under 2027</b>.") + "<br>" in decided
    assert "<b>under" not in content
    assert f'<a href="{DECISION_URL}">' in decided
    assert "path-next" not in content


def test_a_decision_link_that_is_not_a_web_address_is_not_offered(
    client, proposal, coordinator, staff
):
    lift(proposal, coordinator)
    register(proposal, staff)
    decide(proposal, staff, decision_url="javascript:alert(1)")
    content = page(client, proposal)
    assert "javascript:" not in content
    assert sv("Read the minutes or the decision") not in content


def test_each_correction_is_shown_beside_its_step_with_its_reason(
    client, proposal, coordinator, staff
):
    lift(proposal, coordinator)
    lift(proposal, coordinator, motivation="Ny motivering.", reason="Stavfel.")
    register(proposal, staff, case_number="KS 2026/12")
    register(proposal, staff, reason="Fel siffra i diarienumret.")
    decide(proposal, staff, outcome="rejected")
    # The decision's date corrected: the page writes both dates as it writes every date.
    services.case_decide(
        proposal=proposal,
        by=signed_in(staff),
        decided_on=timezone.localdate(),
        outcome="granted",
        summary=SUMMARY,
        decision_url=DECISION_URL,
        reason="Fel utfall.",
    )
    content = page(client, proposal)
    lifted, registered, decided = (step(content, a) for a in ("lyft", "diarienummer", "beslut"))
    assert "Ny motivering." in lifted and "Stavfel." in lifted
    assert "Fel siffra" not in lifted
    assert "KS 2026/12 " in registered and "KS 2026/123" in registered
    assert "Fel siffra i diarienumret." in registered
    assert "path-correction" in decided and "Fel utfall." in decided
    assert not re.search(r"\d{4}-\d{2}-\d{2}", re.sub(r'(datetime|href)="[^"]*"', "", content))


def test_the_whole_path_is_one_timeline_in_order_with_the_plans_action(
    client, proposal, coordinator, staff
):
    action = whole_path(proposal, coordinator, staff)
    content = page(client, proposal)
    path = timeline(content)
    positions = [
        path.index(text)
        for text in [
            sv("Submitted", "proposal"),
            "Vi tar med det.",
            'id="lyft"',
            'id="diarienummer"',
            'id="beslut"',
        ]
    ]
    assert positions == sorted(positions)
    # The group's answer is shown once: in the timeline.
    assert content.count("Vi tar med det.") == 1
    in_the_plan = content.split('class="border rounded p-3 mb-3 path-action"')[1].split(
        "</section>"
    )[0]
    assert f'href="/orter/storebro/plan/2026/#atgard-{action.pk}"' in in_the_plan
    assert action.title in in_the_plan and action.get_status_display() in in_the_plan
    assert "60 %" in in_the_plan and "progress-bar-svg" in in_the_plan


def test_the_english_page_tells_the_path_in_english(client, proposal, coordinator, staff):
    whole_path(proposal, coordinator, staff)
    client.post("/sprak/", {"language": "en", "next": "/"})
    content = page(client, proposal)
    assert "Case number" in content and "Approved" in content


# -- who sees the path --------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "persona", "status"),
    [
        ("hidden", "visitor", 404),
        ("hidden", "resident", 404),
        ("hidden", "author", 200),
        ("hidden", "coordinator", 200),
        ("hidden", "other_coordinator", 404),
        ("hidden", "staff", 200),
        ("removed", "author", 404),
        ("removed", "coordinator", 200),
        ("removed", "staff_without_second_factor", 404),
    ],
)
def test_a_hidden_or_removed_proposal_keeps_its_visibility_rules(
    as_persona, proposal, coordinator, staff, visibility, persona, status
):
    whole_path(proposal, coordinator, staff)
    Proposal.objects.filter(pk=proposal.pk).update(visibility=visibility)
    response = as_persona(persona).get(f"/forslag/{proposal.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "KS 2026/123" in response.content.decode()


# -- the links to the next step -----------------------------------------------------

PERSONAS = [
    "visitor",
    "resident",
    "author",
    "supporter",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]
LIFTERS = {"coordinator", "staff"}


def links(content, pk):
    """The path's links for those who take the next step, by what they lead to."""
    found = set()
    if f'href="/forslag/{pk}/lyft/"' in content:
        found.add("lift")
    if f'href="/forslag/{pk}/kommunen/"' in content:
        found.add("case")
    return found


def _stage(proposal, coordinator, staff, stage):
    if stage in ("lifted", "registered", "decided"):
        lift(proposal, coordinator)
    if stage in ("registered", "decided"):
        register(proposal, staff)
    if stage == "decided":
        decide(proposal, staff)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("stage", ["", "lifted", "registered", "decided"])
def test_the_next_steps_are_offered_only_to_those_allowed(
    as_persona, proposal, coordinator, staff, persona, stage
):
    _stage(proposal, coordinator, staff, stage)
    content = as_persona(persona).get(f"/forslag/{proposal.pk}/").content.decode()
    expected = set()
    if persona in LIFTERS:
        expected.add("lift")
    if persona == "staff" and stage:
        expected.add("case")
    assert links(content, proposal.pk) == expected
    words = {
        "lifted": sv("Register the case"),
        "registered": sv("Record the decision", "municipal case"),
        "decided": sv("Correct the case"),
    }
    if persona == "staff" and stage:
        assert words[stage] in content
    if persona in LIFTERS:
        assert sv("Correct the motivation" if stage else "Lift to the municipality") in content


@pytest.mark.parametrize("status", ["declined", "withdrawn"])
def test_a_declined_or_withdrawn_proposal_is_not_offered_for_lifting(
    as_persona, proposal, author, coordinator, status
):
    if status == "declined":
        services.proposal_set_status(proposal=proposal, by=coordinator, status=status, answer="Nej")
    else:
        services.proposal_withdraw(proposal=proposal, by=author)
    content = as_persona("coordinator").get(f"/forslag/{proposal.pk}/").content.decode()
    assert links(content, proposal.pk) == set()


def test_a_hidden_proposal_is_not_offered_for_lifting(as_persona, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(visibility=Visibility.HIDDEN)
    content = as_persona("coordinator").get(f"/forslag/{proposal.pk}/").content.decode()
    assert links(content, proposal.pk) == set()


def test_the_links_are_left_out_of_print(as_persona, proposal):
    content = as_persona("coordinator").get(f"/forslag/{proposal.pk}/").content.decode()
    assert 'class="d-flex flex-wrap gap-2 mb-3 no-print path-actions"' in content


# -- queries --------------------------------------------------------------------------


def grow(n, author):
    """n more proposals over the ten orter, some at the municipality, made by the database
    in one statement (PostgreSQL), or in batches elsewhere."""
    from django.db import connection

    from allas.models import Locality

    localities = list(Locality.objects.order_by("pk").values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO proposals_proposal (locality_id, author_id, title, body, status,"
                " visibility, support_count, comment_count, created_at, changed_at,"
                " municipal_stage)"
                " SELECT (%s::int[])[1 + i %% 10], %s, 'Förslag ' || i, 'Text', 'submitted',"
                " 'visible', 0, 0, now(), now(), (ARRAY['', 'lifted', 'decided'])[1 + i %% 3]"
                " FROM generate_series(1, %s) AS i",
                [localities, author.pk, n],
            )
        return
    Proposal.objects.bulk_create(
        (
            Proposal(
                author=author,
                locality_id=localities[i % 10],
                title=f"Förslag {i}",
                body="Text",
                municipal_stage=("", "lifted", "decided")[i % 3],
            )
            for i in range(n)
        ),
        batch_size=5000,
    )


# The page of a decided proposal with corrections and an action, for a visitor: the
# proposal with ort, group, author and meeting; its areas; the history; the case with its
# committee; its corrections; the action with plan, group and ort; the comments. Signed
# in, also the session, the user, the second factor, the support, the verification, the
# follow button and the roles that decide what the person may do.
BUDGETS = {
    "visitor": 7,
    "resident": 13,
    "author": 13,
    "coordinator": 15,
    "staff": 14,
}


@pytest.mark.parametrize("persona", BUDGETS)
def test_the_page_of_the_whole_path_costs_the_same_at_100_and_50000_proposals(
    request, as_persona, django_assert_max_num_queries, proposal, coordinator, staff, persona
):
    whole_path(proposal, coordinator, staff)
    client = as_persona(persona)
    grow(100, proposal.author)
    client.get(f"/forslag/{proposal.pk}/")  # what a first request keeps, kept
    with django_assert_max_num_queries(BUDGETS[persona]) as small:
        assert client.get(f"/forslag/{proposal.pk}/").status_code == 200
    grow(49_900, proposal.author)
    assert Proposal.objects.count() > 50_000
    with django_assert_max_num_queries(BUDGETS[persona]) as large:
        response = client.get(f"/forslag/{proposal.pk}/")
    assert response.status_code == 200 and "KS 2026/123" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
