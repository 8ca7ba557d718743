"""The visitors' page cache (allas.page_cache): a visitor's page is served without a
query, every change through a service or saved in the admin shows at once, and nobody is ever
served a page that was made for someone else."""

import gzip
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from allas import page_cache as page_cache_module
from allas.models import Locality
from allas.page_cache import VERSION_KEY, cached_for_visitors
from proposals import services
from tests.factories import PASSWORD, UserFactory
from tests.proposals.conftest import make_proposal
from tests.services import cache_unreachable, redis_delete_own_keys, redis_key_prefix, redis_url

pytestmark = pytest.mark.django_db

PAGES = ["/", "/orter/", "/orter/storebro/", "/mal/", "/mal/kontakt/", "/forslag/", "/sok/?q=cykel"]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def author(db):
    return UserFactory(display_name="Förslags Ställare")


def queries(client, path, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


@pytest.mark.parametrize("path", [*PAGES, "proposal"])
def test_a_visitors_page_is_served_again_without_a_query_or_a_token(client, author, path):
    proposal = make_proposal(author)
    path = f"/forslag/{proposal.pk}/" if path == "proposal" else path
    first, n = queries(client, path)
    assert n > 0
    content = first.content.decode()
    assert "csrfmiddlewaretoken" not in content and not first.cookies
    again, n = queries(client, path)
    assert n == 0
    assert again.content == first.content
    assert again["Content-Language"] == "sv"
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Frame-Options"] == first["X-Frame-Options"]
    assert "Cookie" in again["Vary"] and not again.cookies


def test_the_stored_page_is_sent_compressed_to_a_browser_that_takes_gzip(client, author):
    make_proposal(author)
    plain = client.get("/forslag/").content
    response, n = queries(client, "/forslag/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert n == 0
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content) < len(plain)
    assert gzip.decompress(response.content) == plain


def test_every_change_through_the_services_shows_at_once(client, author):
    supporter = UserFactory(display_name="Stöd Stödjare")
    proposal = make_proposal(author, title="Belysning längs cykelvägen")
    detail = f"/forslag/{proposal.pk}/"
    pages = ["/forslag/", detail, "/sok/?q=cykelv%C3%A4gen", "/orter/storebro/"]
    for page in pages:
        client.get(page)
        assert "Belysning" in client.get(page).content.decode()  # now stored

    services.proposal_edit(proposal=proposal, by=author, title="Lekplats vid cykelvägen", body="")
    for page in pages:
        content = client.get(page).content.decode()
        assert "Lekplats" in content and "Belysning" not in content, page
    services.support_toggle(proposal=proposal, user=supporter)
    assert "1 stöd" in client.get("/forslag/").content.decode()
    comment = services.comment_create(proposal=proposal, author=supporter, body="Första texten")
    assert "Första texten" in client.get(detail).content.decode()
    services.comment_delete(comment=comment, by=supporter)
    assert "Kommentaren är borttagen" in client.get(detail).content.decode()


def test_a_new_name_in_the_profile_shows_on_the_visitors_pages(client, author):
    proposal = make_proposal(author)
    detail = f"/forslag/{proposal.pk}/"
    assert "Förslags Ställare" in client.get(detail).content.decode()
    own = Client()
    own.force_login(author)
    profile = {"display_name": "Nytt Namn", "home_locality": "", "age_band": "50_64"}
    assert own.post("/konto/profil/", {**profile, "language": "sv"}).status_code == 302
    author.refresh_from_db()
    assert author.display_name == "Nytt Namn"
    assert "Nytt Namn" in client.get(detail).content.decode()


def locality_form(locality, **changes) -> dict:
    """The admin's change form of an ort as it stands, with `changes`."""
    fields = ["name", "description", "description_en", "population", "population_year"]
    data = {name: getattr(locality, name) or "" for name in fields}
    data["population_source"] = locality.population_source
    return {**data, **changes}


def test_a_change_saved_in_the_admin_shows_at_once(staff_client):
    visitor = Client()
    assert "Ny beskrivning av Tuna" not in visitor.get("/orter/tuna/").content.decode()
    tuna = Locality.objects.get(slug="tuna")
    response = staff_client.post(
        f"/admin/allas/locality/{tuna.pk}/change/",
        locality_form(tuna, description="Ny beskrivning av Tuna"),
    )
    assert response.status_code == 302
    assert "Ny beskrivning av Tuna" in visitor.get("/orter/tuna/").content.decode()


def test_a_refused_admin_form_and_the_admin_login_renew_nothing(staff_client, staff):
    visitor = Client()
    visitor.get("/orter/tuna/")
    version = caches["default"].get(VERSION_KEY)
    assert version is not None
    tuna = Locality.objects.get(slug="tuna")
    refused = staff_client.post(
        f"/admin/allas/locality/{tuna.pk}/change/", locality_form(tuna, name="")
    )
    assert refused.status_code == 200 and refused.context["errors"]
    login = {"username": staff.email, "password": PASSWORD}
    assert Client().post("/admin/login/", login).status_code < 400
    assert caches["default"].get(VERSION_KEY) == version
    _response, count = queries(visitor, "/orter/tuna/")
    assert count == 0


def test_each_language_has_its_own_page(client):
    english = Client()
    english.post("/sprak/", {"language": "en", "next": "/"})
    for _ in range(2):
        assert '<html lang="sv">' in client.get("/mal/").content.decode()
        response = english.get("/mal/")
        assert '<html lang="en">' in response.content.decode()
        assert response["Content-Language"] == "en"


def test_a_visitors_message_is_theirs_alone(client):
    other = Client()
    client.get("/forslag/")  # stored for visitors
    client.post("/tillganglighet/", {"kind": "other", "message": "Knappen syns inte."})
    assert "sessionid" in client.cookies  # the message waits in the visitor's session
    mine = client.get("/forslag/").content.decode()
    assert "Tack! Vi har tagit emot ditt meddelande." in mine
    for _ in range(2):
        theirs = other.get("/forslag/").content.decode()
        assert "Tack! Vi har tagit emot ditt meddelande." not in theirs
    assert (
        "Tack! Vi har tagit emot ditt meddelande." not in client.get("/forslag/").content.decode()
    )


def test_signed_in_people_are_never_served_nor_stored_for_visitors(client, resident):
    signed_in = Client()
    signed_in.force_login(resident)
    first, n = queries(signed_in, "/forslag/")
    assert "Min profil" in first.content.decode() and n > 0
    for _ in range(2):
        content = client.get("/forslag/").content.decode()
        assert "Min profil" not in content and resident.display_name not in content
    again, n = queries(signed_in, "/forslag/")
    assert "Min profil" in again.content.decode() and n > 0
    assert "csrfmiddlewaretoken" in again.content.decode()  # their own token, for log out


def test_with_the_cache_down_pages_answer_and_are_fresh(client, author, settings):
    cache_unreachable(settings)
    proposal = make_proposal(author, title="Första rubriken")
    assert "Första rubriken" in client.get("/forslag/").content.decode()
    services.proposal_edit(proposal=proposal, by=author, title="Ny rubrik", body="Ny")
    assert "Ny rubrik" in client.get("/forslag/").content.decode()


# -- the language switch ---------------------------------------------------------------


def test_a_visitor_switches_language_without_a_token(db):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post("/sprak/", {"language": "en", "next": "/forslag/?ort=tuna"})
    assert response.status_code == 302 and response["Location"] == "/forslag/?ort=tuna"
    assert visitor.cookies["django_language"].value == "en"
    response = visitor.post("/sprak/", {"language": "sv", "next": "//evil.example/"})
    assert response["Location"] == "/"


def test_a_signed_in_persons_switch_still_needs_the_token(resident):
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(resident)
    assert signed_in.post("/sprak/", {"language": "en", "next": "/"}).status_code == 403
    resident.refresh_from_db()
    assert resident.language == "sv"


# -- what is never stored ----------------------------------------------------------------

RENDERED = []


@cached_for_visitors
def _with_token(request):
    RENDERED.append(request.path)
    template = engines["django"].from_string("<form>{% csrf_token %}</form>")
    return HttpResponse(template.render({}, request))


@cached_for_visitors
def _private(request):
    RENDERED.append(request.path)
    response = HttpResponse("mine")
    response["Cache-Control"] = "private"
    return response


@cached_for_visitors
def _stored(request):
    RENDERED.append(request.path)
    return HttpResponse("the same for all")


urlpatterns = [
    path("token/", _with_token),
    path("private/", _private),
    path("stored/", _stored),
    path("", include("allas.urls")),
]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("path", "renders"), [("/token/", 3), ("/private/", 3), ("/stored/", 1)])
def test_a_page_with_a_token_or_marked_private_is_never_stored(path, renders):
    RENDERED.clear()
    pages = [Client().get(path) for _ in range(3)]
    assert [path] * renders == RENDERED
    if path == "/token/":
        assert all("csrftoken" in page.cookies for page in pages)
        assert len({page.content for page in pages}) == 3  # each visitor their own token


def test_the_stale_content_checks_hold_with_whole_pages_cached(author, coordinator):
    from tests.proposals.test_finding import (
        test_cached_cards_and_comments_never_show_stale_content as proposal_pages,
    )
    from tests.test_ort_page import test_the_cached_ort_page_follows_every_change as ort_page

    proposal_pages(Client(), author, UserFactory(display_name="Stöd Stödjare"))
    ort_page(Client(), author, coordinator)


def test_a_page_not_opted_in_never_waits_for_the_cache(client, monkeypatch):
    from allas import page_cache

    def fail(*args, **kwargs):
        raise AssertionError("the cache was asked")

    monkeypatch.setattr(page_cache.cache, "get_many", fail)
    assert client.get("/tillganglighet/").status_code == 200
    assert client.get("/finns-inte/").status_code == 404


# -- which addresses are stored ----------------------------------------------------------


def test_a_page_is_stored_once_for_its_own_parameters_in_any_order(client, author):
    make_proposal(author)
    first, n = queries(client, "/forslag/?sort=newest&ort=storebro")
    assert n > 0
    again, n = queries(client, "/forslag/?ort=storebro&sort=newest")
    assert n == 0 and again.content == first.content
    other, n = queries(client, "/forslag/?ort=tuna&sort=newest")
    assert n > 0 and other.content != first.content


@pytest.mark.parametrize(
    "path",
    [
        "/forslag/?utm_source=nyhetsbrev",  # a parameter the page does not read
        "/forslag/?ort=storebro&ort=tuna",  # its own, twice
        "/?q=cykel",  # the search's parameter on another page
        "/mal/?ar=2026&fbclid=abc",
    ],
)
def test_an_address_with_other_parameters_is_neither_served_nor_stored(
    client, author, path, monkeypatch
):
    # The public parts kept for rendered pages off, so that a render shows as queries.
    monkeypatch.setattr(page_cache_module, "cached_public", lambda name, make: make())
    make_proposal(author)
    plain = path.split("?")[0]
    queries(client, plain)
    assert queries(client, plain)[1] == 0  # the page itself is stored
    for _ in range(2):
        response, n = queries(client, path)
        assert n > 0  # rendered for this address, not the stored page
    assert response.content.decode().count(path.split("?")[1].replace("&", "&amp;")) >= 1


def test_a_year_on_the_goal_pages_is_a_page_of_its_own(client):
    for address in ("/mal/?ar=2025", "/mal/?ar=2026"):
        assert queries(client, address)[1] > 0
        assert queries(client, address)[1] == 0


@pytest.fixture
def redis_cache(settings):
    """The visitors' page cache in the real Redis, under keys of this test's own."""
    url = redis_url()
    prefix = f"{redis_key_prefix()}page-cache-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "allas.cache.DegradingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield url, prefix
    redis_delete_own_keys(url, prefix)
    caches["default"].close()


def _stored_pages(url, prefix) -> set[str]:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        keys = client.scan_iter(match=f"{prefix}:*visitor-page:*", count=1000)
        # One page is two keys, the plain and the gzipped.
        return {key.decode().rsplit(":", 1)[0] for key in keys}
    finally:
        client.close()


@pytest.mark.services
def test_a_thousand_made_up_parameters_store_no_more_than_the_page(redis_cache, author):
    url, prefix = redis_cache
    make_proposal(author)
    english = Client()
    english.post("/sprak/", {"language": "en", "next": "/"})
    visitor = Client()
    for n in range(1000):
        who = english if n % 10 == 0 else visitor
        assert who.get(f"/forslag/?utm_source=flood{n}").status_code == 200
    assert _stored_pages(url, prefix) == set()
    for who in (visitor, english):
        who.get("/forslag/")
        who.get("/forslag/?utm_source=flood1")
        who.get("/forslag/?sida=1&utm_source=flood2")
    stored = _stored_pages(url, prefix)
    assert len(stored) == 2  # /forslag/ in Swedish and in English
    assert {key.split("visitor-page:")[1].split(":")[0] for key in stored} == {"sv", "en"}
