"""/forslag/ by where the proposals are at the municipality (?kommunen=hos / beslutat), with
the other filters, a label on each card, the visitors' page cache, and the same queries at
any number of proposals."""

import pytest
from django.core.cache import cache
from django.utils import translation

from allas.page_cache import _cacheable
from proposals.models import MunicipalCase, Proposal
from proposals.views.proposals import proposal_list
from tests.factories import signed_in
from tests.proposals.conftest import make_proposal
from tests.proposals.test_finding import titles
from tests.proposals.test_path_timeline import decide, grow, lift, register, sv

pytestmark = pytest.mark.django_db


@pytest.fixture
def paths(author, coordinator, staff):
    """Four Storebro proposals and one in Tuna: with the group, lifted, registered,
    decided (approved), and the Tuna one decided (rejected) by staff."""
    make_proposal(author, title="Hos gruppen")
    lifted = make_proposal(author, title="Lyft")
    registered = make_proposal(author, title="Registrerat")
    decided = make_proposal(author, title="Beslutat")
    tuna = make_proposal(author, slug="tuna", title="Beslutat i Tuna")
    for proposal in (lifted, registered, decided):
        lift(proposal, coordinator)
    lift(tuna, signed_in(staff))
    for proposal in (registered, decided, tuna):
        register(proposal, staff)
    decide(decided, staff)
    decide(tuna, staff, outcome="rejected")


def test_filters_by_where_the_proposals_are_at_the_municipality(client, paths):
    assert set(titles(client, "kommunen=hos")) == {"Lyft", "Registrerat"}
    assert set(titles(client, "kommunen=beslutat")) == {"Beslutat", "Beslutat i Tuna"}
    assert len(titles(client, "kommunen=")) == 5


def test_the_filter_combines_with_the_others(client, paths):
    assert titles(client, "kommunen=beslutat&ort=tuna") == ["Beslutat i Tuna"]
    combined = "kommunen=hos&ort=storebro&status=submitted&mal=&sort=supported"
    assert set(titles(client, combined)) == {"Registrerat", "Lyft"}
    assert titles(client, "kommunen=beslutat&q=Tuna") == ["Beslutat i Tuna"]
    assert titles(client, "kommunen=hos&ort=tuna") == []


def test_an_unknown_value_shows_a_normal_page(client, paths):
    response = client.get("/forslag/?kommunen=kanske")
    assert response.status_code == 200
    assert len(titles(client, "kommunen=kanske")) == 5


def test_the_filter_is_offered_in_the_form_and_kept_when_chosen(client, paths):
    content = client.get("/forslag/?kommunen=hos").content.decode()
    assert '<select class="form-select" name="kommunen" id="id_kommunen">' in content
    assert '<option value="hos" selected>' in content
    assert sv("Decided by the municipality") in content


def test_each_card_says_where_the_proposal_is_at_the_municipality(client, paths):
    content = client.get("/forslag/").content.decode()
    cards = {
        card.split("</a>")[0].split(">")[-1]: card
        for card in content.split('<h2 class="h5 mb-1">')[1:]
    }
    at_the_municipality = sv("At the municipality")
    with translation.override("sv"):
        approved = str(MunicipalCase.Outcome.GRANTED.label)
        rejected = str(MunicipalCase.Outcome.REJECTED.label)
    decision = sv("Decision: %(outcome)s")
    assert "proposal-municipal" not in cards["Hos gruppen"]
    assert at_the_municipality in cards["Lyft"] and at_the_municipality in cards["Registrerat"]
    assert decision % {"outcome": approved} in cards["Beslutat"]
    assert decision % {"outcome": rejected} in cards["Beslutat i Tuna"]


def test_the_visitors_page_cache_keeps_each_filter_apart(client, paths, settings):
    assert "kommunen" in _cacheable(None, "/forslag/")
    assert "kommunen" in proposal_list.visitor_cache_params
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    everything = client.get("/forslag/").content.decode()
    decided = client.get("/forslag/?kommunen=beslutat").content.decode()
    assert "Hos gruppen" in everything and "Hos gruppen" not in decided
    # Served again from the cache, each as it was.
    assert "Hos gruppen" not in client.get("/forslag/?kommunen=beslutat").content.decode()
    assert "Hos gruppen" in client.get("/forslag/").content.decode()


# The list: the count, the page of proposals with their ort, their areas, the outcomes of
# the page's decided proposals (one query, only when it has any) and the filter form's
# orter and areas.
@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("/forslag/?kommunen=hos", 5),
        ("/forslag/?kommunen=beslutat", 6),
        ("/forslag/?kommunen=beslutat&ort=storebro&status=submitted&sort=supported", 6),
        ("/forslag/?kommunen=beslutat&q=Förslag", 6),
        ("/forslag/", 6),
    ],
)
def test_the_filtered_list_uses_the_same_queries_for_100_and_20000_proposals(
    client, django_assert_max_num_queries, paths, author, path, budget
):
    grow(100, author)
    with django_assert_max_num_queries(budget) as small:
        assert client.get(path).status_code == 200
    grow(19_900, author)
    assert Proposal.objects.count() > 20_000
    with django_assert_max_num_queries(budget) as large:
        assert client.get(path).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
