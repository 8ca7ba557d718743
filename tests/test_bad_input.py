"""Odd input gets a clear answer, never a server error: `next` is only ever a path on this
site (a bare word is not looked up as a URL name, another site is not followed) and a bad
one falls back to the page the form belongs to; a NUL byte, which PostgreSQL cannot store,
gets a 400 before any view runs."""

import pytest
from django.urls import reverse

from allas.models import Locality
from allas.redirects import is_local_path
from notifications.models import Follow
from proposals import services as proposal_services
from proposals.models import ProposalFollow
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# What a scanner puts in `next`: URL names, bare words, other sites, tricks browsers undo.
BAD_NEXT = [
    "id",
    "account_logout",
    "home",
    "//evil.example",
    "https://evil.example/",
    "/\\evil.example",
    "/\t/evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/" + "x" * 10_000,
    "",
]

REFUSED_PAGE = "Sidan kunde inte visas"


def storebro():
    return Locality.objects.get(slug="storebro")


@pytest.fixture
def proposal(db):
    return proposal_services.proposal_create(
        author=UserFactory(), locality=storebro(), title="Fler bänkar", body="Vid ån."
    )


# -- is_local_path --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["/", "/forslag/", "/forslag/?ort=storebro&sida=2", "/orter/storebro/#folj"]
)
def test_a_path_on_this_site_is_local(rf, target):
    assert is_local_path(target, rf.get("/"))


@pytest.mark.parametrize("target", [*BAD_NEXT, "/a\nb", "/a\x00b", None, 5])
def test_anything_else_is_not(rf, target):
    assert not is_local_path(target, rf.get("/"))


# -- the language switch --------------------------------------------------------------------


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("target", BAD_NEXT)
def test_the_language_switch_with_a_bad_next_goes_to_the_home_page(
    client, resident, signed_in, target
):
    if signed_in:
        client.force_login(resident)
    response = client.post("/sprak/", {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
    # The choice itself still counts.
    assert response.cookies["django_language"].value == "en"
    if signed_in:
        resident.refresh_from_db()
        assert resident.language == "en"


def test_the_language_switch_goes_back_to_a_page_of_this_site(client):
    response = client.post("/sprak/", {"language": "en", "next": "/forslag/?ort=storebro"})
    assert response["Location"] == "/forslag/?ort=storebro"


# -- following ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", BAD_NEXT)
def test_following_an_ort_with_a_bad_next_lands_on_the_ort_and_follows_once(
    client, resident, target
):
    client.force_login(resident)
    response = client.post("/orter/storebro/folj/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/orter/storebro/"
    follows = Follow.objects.filter(user=resident, locality=storebro())
    assert [f.is_active for f in follows] == [True]


@pytest.mark.parametrize("target", BAD_NEXT)
def test_following_a_proposal_with_a_bad_next_lands_on_it_and_follows_once(
    client, resident, proposal, target
):
    client.force_login(resident)
    response = client.post(f"/forslag/{proposal.pk}/folj/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    follows = ProposalFollow.objects.filter(user=resident, proposal=proposal)
    assert [f.is_active for f in follows] == [True]


def test_following_goes_back_to_the_page_the_button_was_on(client, resident, proposal):
    client.force_login(resident)
    response = client.post(f"/forslag/{proposal.pk}/folj/", {"next": "/forslag/?sida=2"})
    assert response["Location"] == "/forslag/?sida=2"
    response = client.post("/orter/storebro/folj/?next=/orter/")
    assert response["Location"] == "/orter/"


# -- allauth's `next` -----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["account_logout", "id", "//evil.example", "account_email"])
def test_logging_in_with_a_bad_next_goes_to_the_home_page(client, resident, target):
    response = client.post(
        reverse("account_login") + f"?next={target}",
        {"login": resident.email, "password": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.session.get("_auth_user_id") == str(resident.pk)


@pytest.mark.parametrize("target", ["account_email", "profile", "id", "//evil.example"])
def test_logging_out_with_a_bad_next_goes_to_the_home_page(client, resident, target):
    client.force_login(resident)
    response = client.post(reverse("account_logout"), {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_logging_in_goes_back_to_the_page_that_asked(client, resident):
    response = client.post(
        reverse("account_login") + "?next=/forslag/nytt/%3Fort%3Dtuna",
        {"login": resident.email, "password": PASSWORD},
    )
    assert response["Location"] == "/forslag/nytt/?ort=tuna"


# -- NUL bytes ------------------------------------------------------------------------------


def test_a_nul_in_the_ort_of_a_new_proposal_is_a_clear_400(client, resident):
    client.force_login(resident)
    response = client.get("/forslag/nytt/?ort=abc%00")
    assert response.status_code == 400
    assert REFUSED_PAGE in response.content.decode()
    assert '<html lang="sv"' in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/forslag/?q=a%00b",
        "/forslag/?a%00b=1",
        "/sok/?q=%00",
        "/natverksmoten/svar/abc%00/",
        "/konto/notiser/avsluta/abc%00/",
        "/konto/confirm-email/abc%00/",
    ],
)
def test_a_nul_in_the_address_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400 and REFUSED_PAGE in response.content.decode()


def test_the_400_speaks_the_visitors_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/forslag/?q=%00")
    assert response.status_code == 400
    assert "The page could not be shown" in response.content.decode()


@pytest.mark.parametrize(
    "body",
    ["display_name=Ny%00&age_band=&language=sv", "display_name=Ny&age_band=&language=sv&x%00=1"],
)
def test_a_nul_in_a_form_field_is_a_400_and_changes_nothing(client, resident, body):
    client.force_login(resident)
    before = resident.display_name
    response = client.post(
        reverse("profile"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and REFUSED_PAGE in response.content.decode()
    resident.refresh_from_db()
    assert resident.display_name == before


def test_a_nul_in_a_new_proposal_is_a_400_and_stores_nothing(client, resident):
    from proposals.models import Proposal

    client.force_login(resident)
    response = client.post(
        reverse("proposal_create"),
        {"locality": storebro().pk, "title": "Fler\x00 bänkar", "body": "Vid ån."},
    )
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_a_session_cookie_with_a_nul_is_ignored(client):
    # A quoted cookie may carry octal escapes; Django turns "\\000" into a NUL.
    response = client.get("/forslag/nytt/", HTTP_COOKIE='sessionid="abcdefghijkl\\000"')
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


def test_a_broken_form_upload_is_a_400(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("profile"), b"--x\r\nbroken", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400 and REFUSED_PAGE in response.content.decode()


def test_an_address_too_long_to_send_back_to_after_login_is_a_400(client):
    # The login redirect would carry the whole address in `next`.
    response = client.get("/forslag/nytt/?q=" + "x" * 20_000)
    assert response.status_code == 400 and REFUSED_PAGE in response.content.decode()


def test_another_host_is_a_400_with_the_portals_page(client):
    response = client.get("/forslag/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and REFUSED_PAGE in response.content.decode()


def test_every_400_is_the_portals_page_in_the_visitors_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/forslag/nytt/?q=" + "x" * 20_000)
    assert response.status_code == 400
    assert "The page could not be shown" in response.content.decode()


def test_invalid_utf8_is_read_as_replacement_characters(client):
    response = client.get("/forslag/?q=%ff%fe")
    assert response.status_code == 200
