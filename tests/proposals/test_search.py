"""Search that speaks Swedish: inflections, compounds from either end, one typo, title
matches first; the whole portal's search at /sok/; the same table on both databases."""

import pytest
from django.db import connection

from allas.models import Locality
from groups.models import Action, DevelopmentGroup, Plan
from meetings.models import NetworkMeeting
from proposals.models import Proposal, SearchWord
from tests.meetings.conftest import make_meeting
from tests.proposals.conftest import make_proposal
from tests.proposals.test_finding import grow
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

CORPUS = [
    ("Belysning längs cykelvägen", "Det är mörkt på kvällarna vid skolan."),
    ("Ny lekplats i parken", "Barnen behöver en lekplats med gungor."),
    ("Fler bänkar vid busshållplatsen", "Äldre vill kunna sitta och vänta på bussen."),
    ("Gång- och cykelväg till Storebro", "En säker väg för skolbarnen."),
    ("Laddstolpar för elbilar", "Laddning vid idrottshallen."),
    ("Bättre snöröjning på vintern", "Trottoarerna plogas för sent."),
    ("Badplatsen behöver en brygga", "Sjön är populär på sommaren."),
    ("Återvinningsstation i byn", "Sortering av förpackningar."),
    ("Hundrastgård nära skolan", "Hundägarna vill ha en inhägnad."),
    ("Fiberutbyggnad på landsbygden", "Snabbt bredband behövs."),
    ("Fotbollsplanen behöver nytt konstgräs", "Det gamla är slitet."),
    ("Biblioteket öppet på kvällar", "Många vill läsa efter jobbet."),
]

# query → a title it must find
HITS = [
    # inflected forms
    ("cykelvägar", "Belysning längs cykelvägen"),
    ("cykelvägar", "Gång- och cykelväg till Storebro"),
    ("lekplatsen", "Ny lekplats i parken"),
    ("lekplatser", "Ny lekplats i parken"),
    ("bänken", "Fler bänkar vid busshållplatsen"),
    ("snöröjningen", "Bättre snöröjning på vintern"),
    ("vinter", "Bättre snöröjning på vintern"),
    ("bryggor", "Badplatsen behöver en brygga"),
    ("bredbandet", "Fiberutbyggnad på landsbygden"),
    ("konstgräset", "Fotbollsplanen behöver nytt konstgräs"),
    ("bibliotek", "Biblioteket öppet på kvällar"),
    ("trottoarer", "Bättre snöröjning på vintern"),
    ("kvällar", "Belysning längs cykelvägen"),
    # compounds from their first part
    ("cykel", "Belysning längs cykelvägen"),
    ("lek", "Ny lekplats i parken"),
    ("buss", "Fler bänkar vid busshållplatsen"),
    ("fiber", "Fiberutbyggnad på landsbygden"),
    ("återvinning", "Återvinningsstation i byn"),
    ("hund", "Hundrastgård nära skolan"),
    ("fotboll", "Fotbollsplanen behöver nytt konstgräs"),
    # compounds from their last part
    ("vägen", "Belysning längs cykelvägen"),
    ("hållplats", "Fler bänkar vid busshållplatsen"),
    ("stolpar", "Laddstolpar för elbilar"),
    ("bilar", "Laddstolpar för elbilar"),
    ("station", "Återvinningsstation i byn"),
    ("gården", "Hundrastgård nära skolan"),
    ("utbyggnad", "Fiberutbyggnad på landsbygden"),
    ("röjning", "Bättre snöröjning på vintern"),
    ("platsen", "Badplatsen behöver en brygga"),
    # one typo in a word of six letters or more
    ("belysnig", "Belysning längs cykelvägen"),
    ("snöröjnig", "Bättre snöröjning på vintern"),
    ("förpackningr", "Återvinningsstation i byn"),
    ("idrottshalen", "Laddstolpar för elbilar"),
    # several words: each must match
    ("cykelväg skolan", "Belysning längs cykelvägen"),
    ("gång och cykelväg", "Gång- och cykelväg till Storebro"),
]

# query → a title it must not find
MISSES = [
    ("cyklist", "Belysning längs cykelvägen"),
    ("motorväg", "Gång- och cykelväg till Storebro"),
    ("simhall", "Laddstolpar för elbilar"),
    ("parkering", "Ny lekplats i parken"),
    ("lekplats", "Badplatsen behöver en brygga"),
    ("badplats", "Ny lekplats i parken"),
    ("cykel", "Fler bänkar vid busshållplatsen"),
    ("belysning", "Ny lekplats i parken"),
    ("cykelväg skolan", "Gång- och cykelväg till Storebro"),
    ("konsert", "Biblioteket öppet på kvällar"),
    ("bil", "Bättre snöröjning på vintern"),
    ("och", "Gång- och cykelväg till Storebro"),
]


@pytest.fixture
def corpus(author):
    tuna = Locality.objects.get(slug="tuna")
    made = Proposal.objects.bulk_create(
        Proposal(author=author, locality=tuna, title=title, body=body) for title, body in CORPUS
    )
    Proposal.objects.filter(pk__in=[p.pk for p in made]).update_search_vectors()
    return made


def found(query):
    return set(Proposal.objects.listed().search(query).values_list("title", flat=True))


def test_the_query_table_has_enough_pairs():
    assert len(HITS) >= 30 and len(MISSES) >= 10


def test_every_query_finds_what_residents_mean(corpus):
    missing = [(q, t) for q, t in HITS if t not in found(q)]
    assert missing == [], f"{connection.vendor} did not find: {missing}"


def test_no_query_finds_what_it_does_not_mean(corpus):
    wrong = [(q, t) for q, t in MISSES if t in found(q)]
    assert wrong == [], f"{connection.vendor} wrongly found: {wrong}"


def test_title_matches_come_first(author):
    make_proposal(author, title="Bänkar i parken", body="Vi vill ha en lekplats också.")
    make_proposal(author, title="Ny lekplats vid skolan", body="Gungor.")
    assert titles_for("lekplatser") == ["Ny lekplats vid skolan", "Bänkar i parken"]


def titles_for(query):
    return list(Proposal.objects.listed().search(query).values_list("title", flat=True))


def test_hidden_proposals_are_not_found(author):
    from proposals.models import Visibility

    proposal = make_proposal(author, title="Hemlig cykelväg")
    Proposal.objects.filter(pk=proposal.pk).update(visibility=Visibility.HIDDEN)
    assert found("cykelväg") == set()


def test_an_edited_proposal_is_found_by_its_new_words(author):
    from proposals import services

    proposal = make_proposal(author, title="Belysning", body="Mörkt.")
    services.proposal_edit(proposal=proposal, by=author, title="Skateboardramp", body="Kul.")
    assert found("skateboard") == {"Skateboardramp"}
    assert found("ramper") == {"Skateboardramp"}
    assert found("belysning") == set()
    assert SearchWord.objects.filter(word__startswith="skateboardramp").exists()


def test_the_list_highlights_the_matching_words_escaped(client, author):
    make_proposal(author, title="<b>Cykelvägen</b> & belysning", body="Text.")
    content = client.get("/forslag/?q=cykel").content.decode()
    assert_valid_html(content.encode())
    assert "&lt;b&gt;<mark>Cykelvägen</mark>&lt;/b&gt; &amp; belysning" in content


# -- /sok/ -------------------------------------------------------------------------


@pytest.fixture
def everything(author):
    storebro = Locality.objects.get(slug="storebro")
    group = DevelopmentGroup.objects.get(locality=storebro)
    published = Plan.objects.create(group=group, year=2026, status=Plan.Status.PUBLISHED)
    draft = Plan.objects.create(group=group, year=2027, status=Plan.Status.DRAFT)
    Action.objects.create(plan=published, title="Bygga cykelbana", description="Längs ån.")
    Action.objects.create(plan=draft, title="Hemlig cykelplan", description="Utkast.")
    make_meeting(title="Nätverksmöte om cykelturism", purpose="Vi talar om cyklar.")
    make_meeting(title="Utkast om cykling", status=NetworkMeeting.Status.DRAFT)
    make_proposal(author, title="Belysning längs cykelvägen")
    return storebro


def sections(content):
    return [part.split('"')[0] for part in content.split('<section aria-labelledby="hits-')[1:]]


def test_one_search_finds_every_kind_grouped(client, everything):
    response = client.get("/sok/?q=cykel")
    assert response.status_code == 200
    content = response.content.decode()
    assert_valid_html(response.content)
    assert sections(content) == ["forslag", "atgarder", "natverksmoten"]
    assert "<mark>cykelvägen</mark>" in content
    assert "Bygga <mark>cykelbana</mark>" in content
    assert "<mark>cykelturism</mark>" in content
    # Draft plans and draft meetings are nobody's business yet.
    assert "Hemlig" not in content and "Utkast om" not in content
    ort = client.get("/sok/?q=storebro").content.decode()
    assert "orter" in sections(ort) and "<mark>Storebro</mark>" in ort


def test_the_search_page_without_a_query_or_with_nothing_found(client, everything):
    assert "Sök" in client.get("/sok/").content.decode()
    content = client.get("/sok/?q=xyzzy").content.decode()
    assert "Inget matchar" in content
    assert sections(content) == []


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "<script>alert(1)</script>", "%", "_", "\\", '"', "&&& |||", "*:"]
)
def test_metacharacters_on_the_search_page_are_harmless(client, everything, query):
    from urllib.parse import quote

    response = client.get(f"/sok/?q={quote(query)}")
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert_valid_html(response.content)


@pytest.mark.parametrize(
    "persona",
    ["visitor", "unverified", "resident", "member", "coordinator", "other_coordinator", "staff"],
)
def test_everyone_may_search_and_sees_the_same_public_results(client, request, everything, persona):
    if persona != "visitor":
        client.force_login(request.getfixturevalue(persona))
    content = client.get("/sok/?q=cykel").content.decode()
    assert "Bygga <mark>cykelbana</mark>" in content and "Hemlig" not in content


def test_the_search_page_refuses_writes(client, everything):
    assert client.post("/sok/", {"q": "cykel"}).status_code == 405


# The search page: the vocabulary lookup, the proposals, the actions with plan, group and
# ort, the network meetings, the dialogue meetings, the orter.
@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("/sok/?q=cykelväg", 6),
        ("/sok/?q=vägen skolan", 6),
        ("/forslag/?q=vägen", 5),
        ("/forslag/?q=xylofon", 5),
        ("/forslag/?sida=50", 5),
        ("/forslag/?sort=answered&sida=3", 5),
    ],
)
def test_search_uses_the_same_queries_for_10_and_2000_proposals(
    client, django_assert_max_num_queries, author, path, budget
):
    grow(10, author)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
    grow(1990, author)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200


def test_a_common_word_ranks_only_the_newest_matches_and_says_so(client, author, settings):
    from proposals import models

    grow(30, author)
    content = client.get("/forslag/?q=cykelväg").content.decode()
    assert "30 förslag" in content
    settings_depth = models.SEARCH_DEPTH
    try:
        models.SEARCH_DEPTH = 25
        from proposals.views import proposals as list_views

        list_views.SEARCH_DEPTH = 25
        content = client.get("/forslag/?q=cykelväg&sida=2").content.decode()
    finally:
        models.SEARCH_DEPTH = settings_depth
        list_views.SEARCH_DEPTH = settings_depth
    assert "Fler än 25 förslag" in content
    assert "Lägg till ett ord" in content


# -- long lists ----------------------------------------------------------------------


def bulk(author, n):
    tuna = Locality.objects.get(slug="tuna")
    Proposal.objects.bulk_create(
        Proposal(author=author, locality=tuna, title=f"F{i}", body="x") for i in range(n)
    )


def test_a_long_list_is_counted_only_so_far_and_still_paged_to_its_end(client, author):
    bulk(author, 250)
    content = client.get("/forslag/").content.decode()
    assert "Fler än 200 förslag" in content and "sida=2" in content
    last = client.get("/forslag/?sida=13").content.decode()
    assert last.count('<h2 class="h5 mb-1">') == 10
    assert "Sida 13" in last and "sida=14" not in last and "sida=12" in last
    # Past the end: the last pages instead of an empty one.
    assert client.get("/forslag/?sida=999").content.decode().count('<h2 class="h5 mb-1">') > 0


def test_no_page_lies_deeper_than_the_cap_and_the_last_says_how_to_go_on(
    client, author, monkeypatch
):
    from proposals.views import proposals as list_views

    monkeypatch.setattr(list_views, "MAX_PAGES", 3)
    bulk(author, 250)
    content = client.get("/forslag/?sida=7").content.decode()
    assert "Sida 3" in content and "sida=4" not in content
    assert "Listan går inte längre än hit" in content


def test_a_search_with_no_known_word_reads_no_proposal(
    client, author, django_assert_max_num_queries
):
    bulk(author, 30)
    # The vocabulary lookup, and the filter form's orter and areas.
    with django_assert_max_num_queries(3):
        content = client.get("/forslag/?q=xylofon").content.decode()
    assert "0 förslag" in content
