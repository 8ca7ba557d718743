"""Passkeys (inloggningsnycklar, allauth.mfa's WebAuthn) in the portal's Swedish: every page,
message and e-mail, for a resident and for staff; staff keep their last second factor.

The browser test (tests/browser/test_passkey.py) makes real passkeys with Chromium's virtual
authenticator. Here a passkey is a registration response built with fido2's own data types
(an ES256 key, "none" attestation), as allauth stores it: enough for the pages, which only read
it, and for the login page, which asks the browser for it."""

import json
import os
import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import PASSWORD, UserFactory, give_second_factor, registration_response
from tests.test_second_factor_pages import (
    NEVER,
    assert_swedish,
    confirm_password,
    log_in_with_password,
    staff_member,
    visible_text,
)

pytestmark = pytest.mark.django_db


def give_passkey(user, name: str = "Telefonen") -> Authenticator:
    """A passkey as allauth adds it; the first second factor brings recovery codes."""
    passkey = WebAuthn.add(user, name, registration_response(os.urandom(16))).instance
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES):
        RecoveryCodes.activate(user)
    return passkey


@pytest.fixture(params=["resident", "staff"])
def person(request):
    return UserFactory() if request.param == "resident" else staff_member()


def test_adding_a_passkey_is_explained_in_swedish_and_needs_javascript(client, person):
    log_in_with_password(client, person)
    text = assert_swedish(client.get(reverse("mfa_index")))
    assert "Inloggningsnycklar (passkeys)" in text
    assert "Lägg till en inloggningsnyckel" in text

    # Right after logging in, the password is not asked for again (WCAG 3.3.7).
    response = client.get(reverse("mfa_add_webauthn"))
    text = assert_swedish(response)
    html = response.content.decode()
    assert "En inloggningsnyckel (passkey) finns i din telefon" in text
    assert "En inloggningsnyckel kräver JavaScript." in text
    assert re.search(r"<noscript>.*kräver JavaScript", html, flags=re.S)
    assert "Namn på inloggningsnyckeln" in text and 'value="Inloggningsnyckel 1"' in html
    # No inline script runs: the page's data are JSON blocks read by the static scripts.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs or "application/json" in attrs for attrs in scripts)
    assert (
        json.loads(re.search(r'id="js_data"[^>]*>(.*?)</script>', html).group(1))[
            "creation_options"
        ]["publicKey"]["rp"]["id"]
        == "testserver"
    )


def test_a_post_without_a_passkey_adds_nothing(client, person):
    log_in_with_password(client, person)
    confirm_password(client)
    client.get(reverse("mfa_add_webauthn"))
    forged = registration_response(os.urandom(16))
    response = client.post(
        reverse("mfa_add_webauthn"), {"name": "Falsk", "credential": json.dumps(forged)}
    )
    text = assert_swedish(response)
    assert "Inloggningsnyckeln kunde inte läggas till." in text
    assert not Authenticator.objects.filter(user=person).exists()


def test_the_passkey_pages_of_an_account_with_a_passkey_are_swedish(client, person):
    log_in_with_password(client, person)
    passkey = give_passkey(person)
    text = assert_swedish(client.get(reverse("mfa_index")))
    assert "Du har lagt till 1 inloggningsnyckel." in text
    assert "Du använder en inloggningsnyckel (passkey) för tvåstegsverifiering." in text
    assert "Du arbetar i administrationen." not in text

    text = assert_swedish(client.get(reverse("mfa_list_webauthn")))
    today = timezone.localdate()
    with translation.override("sv"):
        assert f"Tillagd {today.day} " in text and "Inte använd än." in text
    assert "Telefonen" in text and "Ändra namnet" in text and "Ta bort" in text

    confirm_password(client)
    edit_url = reverse("mfa_edit_webauthn", kwargs={"pk": passkey.pk})
    text = assert_swedish(client.get(edit_url))
    assert "Ändra namnet på inloggningsnyckeln" in text
    response = client.post(edit_url, {"name": "Jobbdatorn"})
    assert response.status_code == 302
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Jobbdatorn"

    text = assert_swedish(client.get(reverse("mfa_reauthenticate_webauthn")))
    assert "Bekräfta med din inloggningsnyckel (passkey)" in text
    text = assert_swedish(client.get(reverse("account_reauthenticate")))
    assert "Använd din inloggningsnyckel i stället" in text


def test_the_login_page_offers_a_passkey_only_to_those_who_have_one(client, person):
    give_second_factor(person)
    log_in_with_password(client, person)
    html = client.get(reverse("mfa_authenticate")).content.decode()
    assert "inloggningsnyckel" not in html.lower() and "webauthn" not in html


def test_the_login_page_offers_the_passkey_in_swedish(client, person):
    give_passkey(person)
    response = log_in_with_password(client, person)
    assert response.url == reverse("mfa_authenticate")
    response = client.get(reverse("mfa_authenticate"))
    text = assert_swedish(response)
    assert "Logga in med din inloggningsnyckel (passkey) här nedanför." in text
    assert "Har du inte din inloggningsnyckel med dig?" in text
    assert "Använd din inloggningsnyckel" in text
    html = response.content.decode()
    # The passkey's own form has no submit button: the code form keeps the only one.
    main = html.split("<main")[1].split('id="logout-from-stage"')[0]
    assert len(re.findall(r'<button[^>]*type="submit"', main)) == 1
    options = json.loads(re.search(r'id="js_data"[^>]*>(.*?)</script>', html).group(1))
    assert len(options["request_options"]["publicKey"]["allowCredentials"]) == 1

    # With an app as well, the page asks for the code first and offers the passkey.
    client.logout()
    give_second_factor(person)
    log_in_with_password(client, person)
    text = assert_swedish(client.get(reverse("mfa_authenticate")))
    assert "Skriv koden som din autentiseringsapp visar nu." in text
    assert "Logga in med en inloggningsnyckel" in text


def test_staff_keep_their_last_passkey_but_a_resident_may_remove_it(client):
    staff = staff_member()
    log_in_with_password(client, staff)
    passkey = give_passkey(staff)
    confirm_password(client)
    remove_url = reverse("mfa_remove_webauthn", kwargs={"pk": passkey.pk})
    text = assert_swedish(client.get(remove_url))
    assert "Det här är din enda inloggningsnyckel" in text and "Ja, ta bort den" not in text
    response = client.post(remove_url, follow=True)
    text = assert_swedish(response)
    assert "Du kan inte stänga av den." in text
    assert Authenticator.objects.filter(pk=passkey.pk).exists()

    # With a second passkey the first may go; the last one stays.
    spare = give_passkey(staff, "Reservnyckeln")
    text = assert_swedish(client.get(remove_url))
    assert "Vill du ta bort inloggningsnyckeln?" in text
    response = client.post(remove_url, follow=True)
    assert "Inloggningsnyckeln är borttagen." in assert_swedish(response)
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()
    client.post(reverse("mfa_remove_webauthn", kwargs={"pk": spare.pk}))
    assert Authenticator.objects.filter(pk=spare.pk).exists()

    client.logout()
    resident = UserFactory()
    log_in_with_password(client, resident)
    own = give_passkey(resident)
    confirm_password(client)
    response = client.post(reverse("mfa_remove_webauthn", kwargs={"pk": own.pk}), follow=True)
    assert "Inloggningsnyckeln är borttagen." in assert_swedish(response)
    assert not Authenticator.objects.filter(user=resident).exists()


def test_nobody_removes_or_renames_someone_elses_passkey(client):
    owner = staff_member()
    passkey = give_passkey(owner)
    give_passkey(owner, "Reservnyckeln")
    other = UserFactory()
    log_in_with_password(client, other)
    confirm_password(client)
    for name in ("mfa_remove_webauthn", "mfa_edit_webauthn"):
        url = reverse(name, kwargs={"pk": passkey.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Min nu"}).status_code == 404
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Telefonen"


@pytest.mark.parametrize(
    "name",
    ["mfa_list_webauthn", "mfa_add_webauthn", "mfa_reauthenticate_webauthn"],
)
def test_a_visitor_is_sent_to_log_in_and_a_post_changes_nothing(client, name):
    assert client.get(reverse(name)).url.startswith(reverse("account_login"))
    response = client.post(reverse(name), {"name": "X", "credential": "{}"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not Authenticator.objects.exists()


@pytest.mark.parametrize(
    ("template", "subject", "sentence"),
    [
        (
            "mfa/email/webauthn_added",
            "En inloggningsnyckel har lagts till på ditt konto",
            "En inloggningsnyckel (passkey) har lagts till på ditt konto.",
        ),
        (
            "mfa/email/webauthn_removed",
            "En inloggningsnyckel har tagits bort från ditt konto",
            "Den fungerar inte längre när du loggar in.",
        ),
    ],
)
def test_the_passkey_emails_and_messages_are_swedish(rf, template, subject, sentence):
    request = rf.get("/")
    context = {"ip": "192.0.2.1", "user_agent": "Firefox", "timestamp": timezone.now()}
    with translation.override("sv"):
        message = get_adapter(request).render_mail(template, "a@example.se", context)
        from django.template.loader import render_to_string

        added = render_to_string("mfa/messages/webauthn_added.txt")
        removed = render_to_string("mfa/messages/webauthn_removed.txt")
    assert message.subject == "Allas Vimmerby: " + subject
    assert sentence in message.body and "IP-adress: 192.0.2.1" in message.body
    assert (
        "Inloggningsnyckeln är tillagd." in added and "Inloggningsnyckeln är borttagen." in removed
    )
    for word in NEVER:
        assert not re.search(word, message.subject + message.body + added + removed, re.I), word


def test_the_passkey_pages_stay_english_for_someone_who_chose_english(client):
    resident = UserFactory()
    log_in_with_password(client, resident)
    give_passkey(resident)
    client.post("/sprak/", {"language": "en", "next": "/"})
    text = visible_text(client.get(reverse("mfa_list_webauthn")).content.decode())
    assert "Passkeys for logging in" in text and "inloggningsnyckel" not in text.lower()
    assert PASSWORD not in text


@pytest.mark.parametrize("count", [1, 10])
def test_the_passkey_pages_read_a_fixed_number_of_queries(
    client, count, django_assert_max_num_queries
):
    """As many queries for one passkey as for ten (measured: 7, 3, 9, 7 and 9)."""
    staff = staff_member()
    log_in_with_password(client, staff)
    passkeys = [give_passkey(staff, f"Nyckel {n}") for n in range(count)]
    confirm_password(client)
    for url, budget in (
        (reverse("mfa_index"), 7),
        (reverse("mfa_list_webauthn"), 3),
        (reverse("mfa_remove_webauthn", kwargs={"pk": passkeys[0].pk}), 9),
        (reverse("mfa_edit_webauthn", kwargs={"pk": passkeys[0].pk}), 7),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
    client.logout()
    log_in_with_password(client, staff)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("mfa_authenticate")).status_code == 200
