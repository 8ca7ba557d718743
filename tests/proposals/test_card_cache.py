"""The list's proposal cards are rendered once per content version, language, proposals and
search words and reused for everyone signed in (proposals.views.proposals._cards): a card
shows nothing of the person reading it, every change it can show is seen at once, and each
language has its own."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from allas.page_cache import content_changed
from proposals import services
from proposals.models import Proposal
from tests.factories import UserFactory
from tests.proposals.conftest import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def cards(response) -> str:
    content = response.content.decode()
    return re.search(r'<ul class="list-unstyled proposal-list">.*?</ul>', content, re.S).group(0)


Status = Proposal.Status


def label(status, language):
    with translation.override(language):
        return str(Status(status).label)


def test_the_second_signed_in_list_reuses_the_cards(client, author, supporter):
    proposal = make_proposal(author)
    services.support_toggle(proposal=proposal, user=supporter)
    client.force_login(supporter)
    client.get("/forslag/")
    with CaptureQueriesContext(connection) as first:
        page = client.get("/forslag/")
    assert "proposal_goals" not in " ".join(q["sql"] for q in first.captured_queries)
    other = UserFactory(display_name="Annan Person")
    client.force_login(other)
    # The same cards for the one who supports and for anyone else: nothing personal in them.
    assert cards(client.get("/forslag/")) == cards(page)
    assert "Annan Person" in client.get("/forslag/").content.decode()
    assert "Stöd Stödjare" not in cards(page)


def test_a_change_shows_at_once_on_the_signed_in_list(client, author, supporter, coordinator):
    proposal = make_proposal(author, title="Belysning längs cykelvägen")
    client.force_login(supporter)
    before = cards(client.get("/forslag/"))
    assert label(Status.SUBMITTED, "sv") in before
    services.proposal_edit(
        proposal=proposal, by=author, title="Belysning vid skolan", body="Mörkt."
    )
    assert "Belysning vid skolan" in cards(client.get("/forslag/"))
    services.support_toggle(proposal=proposal, user=supporter)
    supported = cards(client.get("/forslag/"))
    assert supported != before
    services.proposal_set_status(
        proposal=proposal, by=coordinator, status=Status.ACCEPTED, answer="Vi gör det."
    )
    after = cards(client.get("/forslag/"))
    assert label(Status.ACCEPTED, "sv") in after and after != supported


def test_each_language_has_its_own_cards(client, author, supporter):
    make_proposal(author)
    supporter.language = "sv"
    supporter.save(update_fields=["language"])
    english = UserFactory(display_name="English Reader", language="en")
    client.force_login(supporter)
    swedish_cards = cards(client.get("/forslag/"))
    client.force_login(english)
    english_cards = cards(client.get("/forslag/"))
    assert label(Status.SUBMITTED, "sv") in swedish_cards
    assert label(Status.SUBMITTED, "en") in english_cards
    assert label(Status.SUBMITTED, "sv") not in english_cards
    client.force_login(supporter)
    assert cards(client.get("/forslag/")) == swedish_cards


def test_a_cached_search_card_is_escaped_once_and_highlighted(client, author, supporter):
    make_proposal(author, title="Cykelvägen vid badplatsen <script>alert(1)</script>")
    client.force_login(supporter)
    for _ in range(2):
        found = cards(client.get("/forslag/?q=cykelv%C3%A4gen"))
        assert "<script>" not in found and "&lt;script&gt;" in found
        assert "<mark>" in found
    # Another search marks other words in the same proposal's card.
    other = cards(client.get("/forslag/?q=badplatsen"))
    assert "<mark>badplatsen</mark>" in other and other != found


# As in production (the content version on): a signed-in person's list, filtered list,
# deep page and searches read only the session and the user once the public part is kept;
# /mal/ the same. The same at 10 and 2,000 proposals, and within the portal's 8 queries.
SIGNED_IN_BUDGETS = [
    ("/forslag/", 2),
    ("/forslag/?ort=storebro&status=submitted", 2),
    ("/forslag/?sida=50", 2),
    ("/forslag/?q=cykelv%C3%A4gen", 2),
    ("/forslag/?q=cykel", 2),
    ("/mal/", 2),
]


@pytest.mark.parametrize(("path", "budget"), SIGNED_IN_BUDGETS)
def test_signed_in_pages_use_the_same_few_queries_for_10_and_2000_proposals(
    client, resident, author, path, budget
):
    from tests.proposals.test_finding import grow

    client.force_login(resident)
    grow(10, author)
    counts = []
    for size in (10, 2000):
        if size == 2000:
            grow(1990, author)
            content_changed()  # as the services do; the rows were written in bulk
        assert client.get(path).status_code == 200  # made once after the change
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts == [budget, budget]


def test_the_kept_part_of_mal_is_per_language_and_renewed(client, resident):
    from allas.models import SlusGoal

    english = UserFactory(display_name="English Reader", language="en")
    client.force_login(resident)
    swedish = client.get("/mal/").content.decode()
    client.force_login(english)
    assert "The strategy has six development areas:" in client.get("/mal/").content.decode()
    assert "The strategy has six development areas:" not in swedish
    goal = SlusGoal.objects.order_by("number").first()
    SlusGoal.objects.filter(pk=goal.pk).update(short_name="Nytt kort namn")
    content_changed()  # as the admin does on a save (RenewsPublicContentAdmin)
    client.force_login(resident)
    assert "Nytt kort namn" in client.get("/mal/").content.decode()
