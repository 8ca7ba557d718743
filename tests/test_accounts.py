"""Signing up, verifying and logging in through allauth, with the e-mails in the outbox."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail as delivered

from allas.models import OutboundEmail, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "ny.boende@example.se",
    "display_name": "Ny Boende",
    "password1": "Sommar-i-Storebro-27",
    "password2": "Sommar-i-Storebro-27",
    "home_locality": "",
    "age_band": "30_49",
}


def signup(client, **changes):
    return client.post("/konto/signup/", {**GOOD, **changes})


def test_signup_creates_an_unverified_account_and_a_verification_email_in_swedish(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="ny.boende@example.se")
    assert (user.display_name, user.age_band, user.language) == ("Ny Boende", "30_49", "sv")
    assert not EmailAddress.objects.get(user=user).verified
    mail = OutboundEmail.objects.get(to="ny.boende@example.se")
    assert mail.status == OutboundEmail.Status.SENT
    assert mail.kind == "account.email_confirmation_signup"
    assert mail.language == "sv"
    # What was delivered: the outbox keeps the link only until then (tests/test_secrets.py).
    [sent] = delivered.outbox
    assert "Bekräfta" in sent.subject or "bekräfta" in sent.body.lower()
    assert sent.alternatives[0][0].startswith("<!DOCTYPE html>")
    assert re.search(r"http://testserver/konto/confirm-email/[^\s]+/", sent.body)


def test_the_verification_link_verifies_and_then_login_works(client):
    signup(client)
    body = OutboundEmail.objects.get(to="ny.boende@example.se").body_text
    link = re.search(r"http://testserver(/konto/confirm-email/[^\s]+/)", body).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="ny.boende@example.se").verified
    response = client.post(
        "/konto/login/", {"login": "ny.boende@example.se", "password": GOOD["password1"]}
    )
    assert response.status_code == 302
    assert client.get("/konto/profil/").status_code == 200


def test_an_unverified_account_cannot_log_in_and_is_told_to_verify(client, unverified):
    response = client.post("/konto/login/", {"login": unverified.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert client.get("/konto/profil/").status_code == 302


def test_an_english_visitor_gets_the_verification_email_in_english(client):
    client.post("/sprak/", {"language": "en", "next": "/"})
    signup(client)
    mail = OutboundEmail.objects.get(to="ny.boende@example.se")
    assert mail.language == "en"
    assert "confirm" in mail.body_text.lower()
    assert User.objects.get(email="ny.boende@example.se").language == "en"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"email": "inte-en-adress"},
            "email",
            "Skriv en e-postadress, till exempel namn@exempel.se.",
        ),
        ({"email": ""}, "email", "Fyll i fältet."),
        ({"display_name": ""}, "display_name", "Fyll i fältet."),
        ({"display_name": "   "}, "display_name", "Fyll i fältet."),
        ({"password1": "kort", "password2": "kort"}, "password1", "för kort"),
        ({"password2": "Något-annat-99"}, "password2", "samma lösenord"),
        ({"age_band": "ancient"}, "age_band", "Välj ett av alternativen"),
        ({"home_locality": "99999"}, "home_locality", "Välj ett av alternativen"),
    ],
)
def test_bad_signup_input_shows_a_swedish_error_by_the_field_and_creates_nothing(
    client, changes, field, message
):
    response = signup(client, **changes)
    assert response.status_code == 200
    content = response.content.decode()
    errors = re.search(
        rf'<div id="id_{field}_error" class="invalid-feedback">(.*?)</div>', content, re.S
    )
    assert errors, f"no error shown next to {field}"
    assert message in errors.group(1)
    assert f'aria-describedby="id_{field}' in content or field == "password1"
    assert not User.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_signup_with_an_email_already_in_use_shows_an_error_and_creates_nothing(client, resident):
    before = User.objects.count()
    response = signup(client, email=resident.email.upper())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Det finns redan ett konto med den här e-postadressen" in content
    assert User.objects.count() == before
    assert not OutboundEmail.objects.exists()


def test_repeated_failed_logins_are_rate_limited(client, resident):
    for _ in range(5):
        client.post("/konto/login/", {"login": resident.email, "password": "fel"})
    response = client.post("/konto/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_email_goes_through_the_outbox_in_the_users_language(
    client, resident, django_capture_on_commit_callbacks
):
    resident.language = "en"
    resident.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/konto/password/reset/", {"email": resident.email})
    mail = OutboundEmail.objects.get(to=resident.email)
    assert mail.status == OutboundEmail.Status.SENT
    assert mail.language == "en"
    assert "/konto/password/reset/key/" in delivered.outbox[0].body


def test_switching_language_is_remembered_for_a_logged_in_person(resident_client, resident):
    response = resident_client.post("/sprak/", {"language": "en", "next": "/orter/"})
    assert response.status_code == 302 and response["Location"] == "/orter/"
    resident.refresh_from_db()
    assert resident.language == "en"
    assert '<html lang="en">' in resident_client.get("/").content.decode()


def test_switching_to_an_unknown_language_changes_nothing(resident_client, resident):
    resident_client.post("/sprak/", {"language": "xx", "next": "/"})
    resident.refresh_from_db()
    assert resident.language == "sv"
    assert '<html lang="sv">' in resident_client.get("/").content.decode()


def test_the_language_switch_is_a_post_only_form(client):
    assert client.get("/sprak/").status_code == 405
    content = client.get("/").content.decode()
    assert 'action="/sprak/"' in content
    assert '<button type="submit" name="language" value="en"' in content
    assert 'lang="en">English</button>' in content


def test_an_unsafe_next_address_is_ignored_by_the_language_switch(client):
    response = client.post("/sprak/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_portal_is_swedish_whatever_the_browser_asks_for(client):
    response = client.get("/orter/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in response.content.decode()
    assert response["Content-Language"] == "sv"
    client.post("/sprak/", {"language": "en", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en-US")
    assert '<html lang="en">' in client.get("/orter/").content.decode()
