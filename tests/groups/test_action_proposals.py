"""Proposal and action, both ways: an action in a published plan lists the proposals that
led to it, the proposal shows the action's progress, and the open data carries the links."""

import csv
import io
import json

import pytest

from groups.models import Action
from groups.plans import services as plan_services
from proposals import services as proposal_services
from proposals.models import Proposal, Visibility
from tests.groups.test_plans import YEAR, grow_actions, make_plan
from tests.proposals.conftest import make_proposal
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

PLAN_PAGE = f"/orter/storebro/plan/{YEAR}/"
HEADING = "Förslag som ledde till åtgärden"


@pytest.fixture
def linked(resident, coordinator):
    """A published Storebro plan with one action, accepted into it from a proposal."""
    action = make_plan(actions=1).actions.get()
    proposal = make_proposal(resident, title="Belysning vid skolan")
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="accepted", answer="Vi gör det.", action=action
    )
    return action, proposal


def test_the_action_lists_the_proposals_that_led_to_it_with_status_and_link(client, linked):
    action, proposal = linked
    response = client.get(PLAN_PAGE)
    content = response.content.decode()
    assert_valid_html(response.content)
    item = content.split(f'id="atgard-{action.pk}"')[1]
    assert HEADING in item
    assert f'<a href="/forslag/{proposal.pk}/">Belysning vid skolan</a>' in item
    assert '<span class="badge proposal-status proposal-accepted">Antaget</span>' in item


def test_the_proposal_shows_the_actions_progress(client, linked):
    action, proposal = linked
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert f'href="{PLAN_PAGE}#atgard-{action.pk}"' in content
    assert "40 % klart" in content and "Pågår" in content


def test_a_moderated_proposal_is_not_listed_under_the_action(client, linked, resident):
    action, proposal = linked
    hidden = make_proposal(resident, title="Dolt förslag")
    Proposal.objects.filter(pk=hidden.pk).update(action=action, visibility=Visibility.HIDDEN)
    content = client.get(PLAN_PAGE).content.decode()
    assert "Belysning vid skolan" in content
    assert "Dolt förslag" not in content


def test_a_draft_plan_lists_no_proposals_even_to_its_members(client, linked, member):
    action, proposal = linked
    plan_services.plan_set_published(plan=action.plan, published=False, by=None)
    client.force_login(member)
    content = client.get(PLAN_PAGE).content.decode()
    assert action.title in content
    assert HEADING not in content and "Belysning vid skolan" not in content
    # Nor does the proposal's page show the draft's action.
    client.logout()
    assert action.title not in client.get(f"/forslag/{proposal.pk}/").content.decode()


def test_the_open_data_carries_the_action_and_proposal_ids(client, linked, resident):
    action, proposal = linked
    second = make_proposal(resident, title="Fler lampor")
    Proposal.objects.filter(pk=second.pk).update(action=action)
    rows = list(
        csv.DictReader(io.StringIO(client.get("/mal/export.csv").content.decode("utf-8-sig")))
    )
    assert rows[0]["action_id"] == str(action.pk)
    assert rows[0]["proposal_ids"] == f"{proposal.pk}, {second.pk}"
    data = json.loads(client.get("/mal/export.json").content)
    assert data["actions"][0]["action_id"] == action.pk
    assert data["actions"][0]["proposal_ids"] == [proposal.pk, second.pk]
    assert {"action_id", "proposal_ids"} <= set(data["fields"])


def test_an_action_without_proposals_exports_an_empty_list(client):
    make_plan(actions=1)
    data = json.loads(client.get("/mal/export.json").content)
    assert data["actions"][0]["proposal_ids"] == []
    row = next(csv.DictReader(io.StringIO(client.get("/mal/export.csv").content.decode())))
    assert row["proposal_ids"] == ""


def _link_proposals(author, per_action):
    """per_action listed proposals linked to every action in the database."""
    from allas.models import Locality

    storebro = Locality.objects.get(slug="storebro")
    Proposal.objects.bulk_create(
        Proposal(
            locality=storebro,
            author=author,
            title=f"Förslag {action_id}-{n}",
            body="Text",
            status=Proposal.Status.ACCEPTED,
            action_id=action_id,
        )
        for action_id in Action.objects.values_list("pk", flat=True)
        for n in range(per_action)
    )


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # group, plans, actions, their goals, their notes, their proposals, the plan's goals
        (PLAN_PAGE, 7),
        # actions with plan and ort, their goals, their proposals
        ("/mal/export.json", 3),
        ("/mal/export.csv", 3),
    ],
)
def test_linked_proposals_cost_the_same_queries_for_few_and_many(
    client, resident, django_assert_max_num_queries, path, budget
):
    grow_actions(10)
    _link_proposals(resident, 1)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
    grow_actions(190)
    Proposal.objects.all().delete()
    _link_proposals(resident, 3)
    assert Proposal.objects.count() == 600
    with django_assert_max_num_queries(budget):
        response = client.get(path)
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    if path == PLAN_PAGE:
        # Storebro has every tenth of the 200 actions, three proposals each.
        assert content.count('<a href="/forslag/') == 20 * 3
    elif path.endswith(".json"):
        assert sum(len(a["proposal_ids"]) for a in json.loads(content)["actions"]) == 600
    else:
        rows = list(csv.DictReader(io.StringIO(content)))
        assert sum(len(r["proposal_ids"].split(", ")) for r in rows) == 600
