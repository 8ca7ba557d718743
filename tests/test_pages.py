"""The public pages of the foundation, for every role, with their query budgets."""

import re

import html5lib
import pytest
from django.urls import reverse

from allas.models import Locality

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/orter/",
    "/orter/storebro/",
    "/orter/djursdala/",
    "/mal/",
    "/mal/leva/",
    "/tillganglighet/",
    "/personuppgifter/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]


def assert_valid_html(content: bytes):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(content)
    except html5lib.html5parser.ParseError as exc:
        raise AssertionError(f"invalid HTML: {exc}") from exc


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("persona", ["visitor", "resident", "staff"])
def test_every_public_page_answers_every_role_in_swedish_with_valid_html(
    client, request, path, persona
):
    if persona != "visitor":
        client.force_login(request.getfixturevalue(persona))
    response = client.get(path, follow=True)
    assert response.status_code == 200
    if persona != "visitor" and path in ("/konto/login/", "/konto/signup/"):
        # Someone already logged in is sent on to the home page.
        assert response.redirect_chain == [("/", 302)]
    content = response.content.decode()
    assert '<html lang="sv">' in content
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content
    assert reverse("accessibility") in content and reverse("privacy") in content
    assert "0492-76 90 00" in content  # the non-digital route
    assert_valid_html(response.content)


def test_the_orter_page_lists_exactly_the_ten_orter_with_links(client):
    content = client.get("/orter/").content.decode()
    links = re.findall(r'<h2 class="h4"><a href="/orter/([a-z-]+)/">([^<]+)</a>', content)
    assert links == [(loc.slug, loc.name) for loc in Locality.objects.order_by("name")]
    assert len(links) == 10


def test_the_goals_page_lists_the_six_slus_areas(client):
    content = client.get("/mal/").content.decode()
    assert re.findall(r'<h2 class="h4"><a href="/mal/([a-z]+)/"', content) == [
        "leva",
        "arbeta",
        "verka",
        "trivas",
        "kontakt",
        "motas",
    ]
    assert "social lokal utvecklingsstrategi (SLUS)" in content


def test_an_ort_page_shows_the_population_with_year_and_source(client):
    content = client.get("/orter/vimmerby/").content.decode()
    assert "8\xa0182" in content or "8 182" in content
    assert "2020" in content and "SCB" in content


def test_an_ort_that_is_not_a_tatort_shows_no_population_figure(client):
    content = client.get("/orter/pelarne/").content.decode()
    assert "invånare i tätorten" not in content
    assert "inte en tätort" in content


@pytest.mark.parametrize("path", ["/orter/finns-inte/", "/mal/finns-inte/", "/inget-alls/"])
def test_unknown_addresses_get_the_swedish_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Sidan kunde inte hittas" in response.content.decode()
    assert_valid_html(response.content)


def test_a_post_without_csrf_token_gets_the_swedish_403_page(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/tillganglighet/", {"kind": "other"})
    assert response.status_code == 403
    assert "Formuläret hade gått ut" in response.content.decode()


def test_the_500_page_is_swedish_and_self_contained(client, settings):
    from django.template.loader import render_to_string

    content = render_to_string("500.html")
    assert '<html lang="sv">' in content and "Något gick fel" in content


def test_the_profile_page_sends_a_visitor_to_login(client):
    response = client.get("/konto/profil/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=/konto/profil/")


def test_a_resident_edits_their_profile(resident_client, resident):
    response = resident_client.post(
        "/konto/profil/",
        {
            "display_name": "  Nytt   namn ",
            "home_locality": "",
            "age_band": "50_64",
            "language": "sv",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.display_name, resident.age_band) == ("Nytt namn", "50_64")


def test_a_profile_with_an_unknown_age_band_is_refused_and_changes_nothing(
    resident_client, resident
):
    before = (resident.display_name, resident.age_band)
    response = resident_client.post(
        "/konto/profil/",
        {"display_name": "", "age_band": "ancient", "language": "sv"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Fyll i fältet." in content
    assert "Välj ett av alternativen" in content
    resident.refresh_from_db()
    assert (resident.display_name, resident.age_band) == before


# Each page's queries are fixed by its design; growing data must not add any.
# Sessions and users add one query each for a logged-in visitor.
QUERY_BUDGETS = {
    "/": 5,  # localities, goals, next network meeting, next dialogue meetings, latest proposals
    "/orter/": 4,  # localities; the groups' overview: groups, 2 composition aggregates
    # the locality; the group panel: group, 2 composition aggregates; the plan panel:
    # group, plan (none yet, so no actions); the latest proposals
    "/orter/storebro/": 7,
    "/mal/": 6,  # goals; the matrix: plan years, localities, 3 aggregates
    "/mal/leva/": 3,  # the goal; its actions: plan years, actions
    "/tillganglighet/": 0,
    "/personuppgifter/": 0,
}


@pytest.mark.parametrize(("path", "budget"), QUERY_BUDGETS.items())
def test_page_query_count_is_constant_as_accounts_grow(
    client, django_assert_max_num_queries, path, budget
):
    from tests.factories import UserFactory

    with django_assert_max_num_queries(budget):
        client.get(path)
    UserFactory.create_batch(50)
    with django_assert_max_num_queries(budget):
        client.get(path)
