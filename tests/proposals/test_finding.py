"""Finding proposals: filters, sorting, search, and query budgets as the data grows."""

import random

import pytest
from django.db import connection
from django.utils import timezone

from allas.models import Locality, SlusGoal
from proposals.models import Comment, Proposal, StatusChange, Support
from tests.factories import UserFactory
from tests.proposals.conftest import make_proposal
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Swedish full-text search needs PostgreSQL"
)


def titles(client, query):
    content = client.get(f"/forslag/?{query}").content.decode()
    assert_valid_html(content.encode())
    # A search highlights the matching words of the title (<mark>); the title is its text.
    content = content.replace("<mark>", "").replace("</mark>", "")
    return [
        chunk.split("</a>")[0].split(">")[-1] for chunk in content.split('<h2 class="h5 mb-1">')[1:]
    ]


def test_filters_by_ort_area_and_status(client, author, coordinator):
    from proposals import services

    kontakt = SlusGoal.objects.get(slug="kontakt")
    make_proposal(author, slug="storebro", title="Väg i Storebro", goals=[kontakt])
    reviewed = make_proposal(author, slug="storebro", title="Lekplats i Storebro")
    make_proposal(author, slug="tuna", title="Väg i Tuna", goals=[kontakt])
    services.proposal_set_status(proposal=reviewed, by=coordinator, status="under_review")
    assert set(titles(client, "ort=storebro")) == {"Väg i Storebro", "Lekplats i Storebro"}
    assert set(titles(client, "mal=kontakt")) == {"Väg i Storebro", "Väg i Tuna"}
    assert titles(client, "status=under_review") == ["Lekplats i Storebro"]
    assert titles(client, "ort=tuna&mal=kontakt&status=submitted") == ["Väg i Tuna"]


def test_unknown_filter_values_show_a_normal_page(client, author):
    make_proposal(author)
    response = client.get("/forslag/?ort=finns-inte&status=xyz&sort=hemligt&sida=999")
    assert response.status_code == 200


def test_sorting(client, author):
    first = make_proposal(author, title="Först")
    popular = make_proposal(author, title="Populär")
    discussed = make_proposal(author, title="Diskuterad")
    Proposal.objects.filter(pk=popular.pk).update(support_count=10)
    Proposal.objects.filter(pk=discussed.pk).update(comment_count=7)
    Proposal.objects.filter(pk=first.pk).update(answered_at=timezone.now())
    assert titles(client, "sort=supported")[0] == "Populär"
    assert titles(client, "sort=discussed")[0] == "Diskuterad"
    assert titles(client, "sort=answered")[0] == "Först"
    assert titles(client, "sort=newest")[0] == "Diskuterad"


def test_the_list_is_paginated(client, author):
    Proposal.objects.bulk_create(
        Proposal(
            author=author, locality_id=Locality.objects.get(slug="tuna").pk, title=f"F{n}", body="x"
        )
        for n in range(45)
    )
    assert len(titles(client, "")) == 20
    assert len(titles(client, "sida=3")) == 5
    assert "Sida 2 av 3" in client.get("/forslag/?sida=2").content.decode()


@postgres_only
def test_search_finds_inflected_swedish_forms_and_ranks_title_matches_first(client, author):
    make_proposal(author, title="Bättre belysning", body="Vi vill ha en ny cykelväg till skolan.")
    make_proposal(author, title="Ny cykelväg mot Storebro", body="Det behövs.")
    make_proposal(author, title="Fler bänkar", body="I parken.")
    assert titles(client, "q=cykelvägar") == ["Ny cykelväg mot Storebro", "Bättre belysning"]
    assert titles(client, "q=bänken") == ["Fler bänkar"]


def test_search_without_postgresql_still_finds_words(client, author):
    make_proposal(author, title="Ny cykelväg", body="Till skolan.")
    make_proposal(author, title="Fler bänkar", body="I parken.")
    assert titles(client, "q=cykelväg") == ["Ny cykelväg"]


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "<script>alert(1)</script>", "%", "\\", '"', "&&& |||"]
)
def test_metacharacters_in_search_return_a_normal_escaped_page(client, author, query):
    from urllib.parse import quote

    make_proposal(author)
    response = client.get(f"/forslag/?q={quote(query)}")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    if "<" in query:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert_valid_html(response.content)


# -- query budgets -----------------------------------------------------------------


def grow(n, proposal_owner):
    """n proposals over the ten orter, each with supports, comments and a history."""
    localities = list(Locality.objects.all())
    goals = list(SlusGoal.objects.all())
    people = UserFactory.create_batch(5, verified=False)
    start = Proposal.objects.count()
    proposals = Proposal.objects.bulk_create(
        Proposal(
            author=proposal_owner,
            locality=localities[i % 10],
            title=f"Förslag {start + i} om cykelväg",
            body="En cykelväg behövs.",
            support_count=3,
            comment_count=5,
        )
        for i in range(n)
    )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update_search_vectors()
    Proposal.goals.through.objects.bulk_create(
        Proposal.goals.through(proposal_id=p.pk, slusgoal_id=random.choice(goals).pk)
        for p in proposals
    )
    Support.objects.bulk_create(Support(proposal=p, user=u) for p in proposals for u in people[:3])
    comments = Comment.objects.bulk_create(
        Comment(proposal=p, author=people[k], body=f"Kommentar {k}")
        for p in proposals
        for k in range(5)
    )
    StatusChange.objects.bulk_create(
        StatusChange(proposal=p, status="submitted", answered_as="author") for p in proposals
    )
    return proposals, comments


# Rendered, as for a signed-in person or a visitor after a change (the visitors' page cache
# is off in tests): the list: the count, the page of proposals with their ort, their areas
# and the filter form's orter and areas.
# The proposal: the proposal with ort and author, its group, areas, history, comments,
# and for a signed-in viewer the support and verification checks and coordinator roles.
@pytest.mark.parametrize(
    ("persona", "path", "budget"),
    [
        ("visitor", "/forslag/", 5),
        ("visitor", "/forslag/?ort=storebro&mal=kontakt&status=submitted&sort=supported", 7),
        ("visitor", "/forslag/?q=cykelväg", 5),
        ("resident", "/forslag/", 7),
        ("visitor", "/forslag/{first}/", 5),
        ("resident", "/forslag/{first}/", 10),
        ("coordinator", "/forslag/{first}/", 11),
        ("visitor", "/orter/storebro/", 8),
    ],
)
def test_proposal_pages_use_the_same_queries_for_10_and_2000_proposals(
    client, request, django_assert_max_num_queries, author, persona, path, budget
):
    if persona != "visitor":
        client.force_login(request.getfixturevalue(persona))
    proposals, _comments = grow(10, author)
    path = path.format(first=proposals[0].pk)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
    grow(1990, author)
    assert Proposal.objects.count() == 2000
    with django_assert_max_num_queries(budget):
        response = client.get(path)
    assert response.status_code == 200
    if "/forslag/" in path and path.endswith(f"{proposals[0].pk}/"):
        assert response.content.decode().count('class="comment ') == 5


def test_cached_cards_and_comments_never_show_stale_content(client, author, supporter):
    from proposals import services

    proposal = make_proposal(author, title="Första rubriken")
    comment = services.comment_create(proposal=proposal, author=supporter, body="Första texten")
    assert "Första rubriken" in client.get("/forslag/").content.decode()
    assert "Första texten" in client.get(f"/forslag/{proposal.pk}/").content.decode()

    services.proposal_edit(proposal=proposal, by=author, title="Ny rubrik", body="Ny")
    services.support_toggle(proposal=proposal, user=supporter)
    services.comment_edit(comment=comment, by=supporter, body="Ändrad text")
    listing = client.get("/forslag/").content.decode()
    assert "Ny rubrik" in listing and "1 stöd" in listing and "Första rubriken" not in listing
    detail = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert "Ändrad text" in detail and "Första texten" not in detail
    services.comment_delete(comment=comment, by=supporter)
    assert "Kommentaren är borttagen" in client.get(f"/forslag/{proposal.pk}/").content.decode()
    client.post("/sprak/", {"language": "en", "next": "/"})
    assert "1 support" in client.get("/forslag/").content.decode()


def test_the_cached_history_and_areas_follow_every_change(client, author, coordinator):
    from proposals import services

    kontakt, leva = SlusGoal.objects.get(slug="kontakt"), SlusGoal.objects.get(slug="leva")
    proposal = make_proposal(author, goals=[kontakt])
    assert ">Kontakt</a>" in client.get(f"/forslag/{proposal.pk}/").content.decode()
    services.proposal_edit(proposal=proposal, by=author, title="T", body="B", goals=[leva])
    content = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert ">Leva</a>" in content and ">Kontakt</a>" not in content
    for status in ["under_review", "submitted", "under_review"]:
        services.proposal_set_status(proposal=proposal, by=coordinator, status=status)
        history = (
            client.get(f"/forslag/{proposal.pk}/")
            .content.decode()
            .split('class="list-unstyled history"')[1]
        )
        assert history.count("<li ") == Proposal.objects.get(pk=proposal.pk).history.count()
