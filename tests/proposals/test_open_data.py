"""The proposals' open data, /forslag/export.csv and /forslag/export.json: every listed
proposal with where it is in the group and at the municipality, no personal data, and the
same few queries at any number of proposals."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.utils import timezone

from allas.models import SlusGoal
from proposals import services
from proposals.models import Proposal
from proposals.views.open_data import OPEN_DATA_FIELDS
from tests.proposals.conftest import make_proposal
from tests.proposals.test_path_timeline import DECISION_URL, grow, whole_path

pytestmark = pytest.mark.django_db


def body(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(client):
    response = client.get("/forslag/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def json_data(client):
    response = client.get("/forslag/export.json")
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


@pytest.fixture
def world(author, supporter, coordinator, staff, proposal):
    """The Storebro proposal through its whole path, one only submitted (with a formula
    for a title and a comment), one hidden and one removed."""
    kontakt, leva = SlusGoal.objects.get(slug="kontakt"), SlusGoal.objects.get(slug="leva")
    proposal.goals.set([kontakt, leva])
    action = whole_path(proposal, coordinator, staff)
    plain = make_proposal(author, slug="tuna", title="=HYPERLINK(1)")
    services.comment_create(proposal=plain, author=supporter, body="Bra!")
    hidden = make_proposal(author, title="Gömt förslag")
    removed = make_proposal(author, title="Borttaget förslag")
    Proposal.objects.filter(pk=hidden.pk).update(visibility="hidden")
    Proposal.objects.filter(pk=removed.pk).update(visibility="removed")
    return {"decided": proposal, "plain": plain, "action": action}


def test_the_json_holds_every_listed_proposal_with_its_path(client, world):
    data = json_data(client)
    assert set(data) == {"source", "generated_at", "fields", "count", "proposals"}
    assert data["fields"] == OPEN_DATA_FIELDS
    assert data["count"] == 2 == len(data["proposals"])
    decided, plain = data["proposals"]
    proposal = world["decided"]
    today = timezone.localdate().isoformat()
    assert decided == {
        "id": proposal.pk,
        "url": settings.SITE_URL.rstrip("/") + f"/forslag/{proposal.pk}/",
        "ort": "Storebro",
        "ort_slug": "storebro",
        "title": "Belysning längs cykelvägen",
        "status": "accepted",
        "status_label": str(Proposal.Status.ACCEPTED.label),
        "slus_areas": ["Leva", "Kontakt"],
        "submitted": today,
        "supports": 1,
        "comments": 0,
        "answered": today,
        "action_id": world["action"].pk,
        "lifted": today,
        "case_number": "KS 2026/123",
        "committee": "Tekniska nämnden",
        "decision_date": today,
        "outcome": "granted",
        "outcome_label": decided["outcome_label"],
        "decision_url": DECISION_URL,
    }
    assert decided["outcome_label"] in ("Bifall", "Approved")
    assert plain["ort_slug"] == "tuna" and plain["comments"] == 1 and plain["slus_areas"] == []
    for empty in ("answered", "action_id", "lifted", "decision_date"):
        assert plain[empty] is None
    for empty in ("case_number", "committee", "outcome", "outcome_label", "decision_url"):
        assert plain[empty] == ""


def test_the_csv_has_the_same_fields_and_no_formulas(client, world):
    rows = csv_rows(client)
    assert list(rows[0]) == OPEN_DATA_FIELDS
    decided, plain = rows
    assert decided["slus_areas"] == "Leva, Kontakt"
    assert decided["case_number"] == "KS 2026/123" and decided["outcome"] == "granted"
    assert plain["title"] == "'=HYPERLINK(1)" and plain["decision_date"] == ""


def test_no_personal_data_and_no_hidden_proposals(client, world, author, supporter, staff):
    for text in (body(client.get("/forslag/export.csv")), body(client.get("/forslag/export.json"))):
        for person in (author, supporter, staff):
            assert person.email not in text and person.display_name not in text
        assert "Samordnare" not in text and "Gatuchef" not in text
        assert "Gömt förslag" not in text and "Borttaget förslag" not in text
        # Neither the text of the proposal nor the group's words.
        assert "Det är mörkt" not in text and "Gruppen står bakom" not in text


def test_an_action_of_a_draft_plan_is_not_named(client, world):
    from groups.plans.models import Plan

    Plan.objects.filter(pk=world["action"].plan_id).update(status=Plan.Status.DRAFT)
    assert json_data(client)["proposals"][0]["action_id"] is None


def test_the_list_page_links_both_in_words(client, world):
    content = client.get("/forslag/").content.decode()
    assert 'href="/forslag/export.csv"' in content and 'href="/forslag/export.json"' in content


def test_anyone_may_read_it_from_another_site(client, world):
    for path in ("/forslag/export.csv", "/forslag/export.json"):
        assert client.get(path)["Access-Control-Allow-Origin"] == "*"


# The extent (count and last id), the goals' names, the proposals with ort, case,
# committee and plan, and their areas: the same four at any number of proposals.
@pytest.mark.parametrize("path", ["/forslag/export.csv", "/forslag/export.json"])
def test_the_same_queries_for_100_and_50000_proposals(
    client, django_assert_max_num_queries, world, author, path
):
    grow(100, author)
    with django_assert_max_num_queries(4) as small:
        assert body(client.get(path)).count("Förslag ") >= 100
    grow(49_900, author)
    with django_assert_max_num_queries(4) as large:
        text = body(client.get(path))
    assert text.count("/forslag/") > 50_000
    assert len(large.captured_queries) == len(small.captured_queries)


def test_an_empty_portal_gives_empty_files(client):
    data = json_data(client)
    assert data["count"] == 0 and data["proposals"] == []
    assert csv_rows(client) == []


def test_a_proposal_of_someone_who_left_is_still_listed(client, world):
    # The author's account deleted: the proposal stays, as on the list.
    Proposal.objects.filter(pk=world["plain"].pk).update(author=None)
    assert len(json_data(client)["proposals"]) == 2
