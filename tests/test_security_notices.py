"""Security notices: every change to how an account logs in (its password, its e-mail
addresses, its second factor) and every recovery code used to log in is told, through the
outbox, to each verified address of the account, in its language, with what to do if it
was not the owner."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.urls import reverse
from fido2.utils import websafe_decode

from allas.models import OutboundEmail
from tests.factories import (
    PASSWORD,
    UserFactory,
    give_second_factor,
    registration_response,
    totp_code,
    totp_code_for,
)
from tests.glossary import NEVER
from tests.test_login_limits import reset_password
from tests.test_second_factor_pages import confirm_password, log_in_with_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Min-nya-fras-om-hosten-44"
SPARE = "reserv@example.se"
UNVERIFIED = "overifierad@example.se"


@pytest.fixture
def owner(db):
    """An account with two verified addresses and one it never confirmed."""
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=SPARE, verified=True, primary=False)
    EmailAddress.objects.create(user=user, email=UNVERIFIED, verified=False, primary=False)
    return user


def notices(kind: str) -> dict[str, OutboundEmail]:
    return {row.to: row for row in OutboundEmail.objects.filter(kind=kind)}


def assert_told(kind: str, recipients: set[str], sentence: str, *, language: str = "sv"):
    """The notice went to exactly these addresses, says what happened, and what to do."""
    rows = notices(kind)
    assert set(rows) == recipients, kind
    contact = settings.MUNICIPALITY
    for row in rows.values():
        body = row.body_text
        assert row.language == language
        assert row.subject.startswith("Allas Vimmerby: ")
        assert sentence in body, body
        if language == "sv":
            assert "Den här ändringen gjordes på ditt konto på Allas Vimmerby:" in body
            assert "Var det du? Då behöver du inte göra något." in body
            assert "Var det inte du? Då kan någon annan känna till ditt lösenord." in body
            assert "Välj ett nytt lösenord: http://testserver/konto/password/reset/" in body
            assert (
                f"Kontakta {contact['name']}: ring {contact['phone']} eller skriv till "
                f"{contact['email']}." in body
            )
            assert re.search(r"Tid: \d+ \w+ 20\d\d \d\d:\d\d", body), body
            for word in NEVER:
                assert not re.search(word, row.subject + body, flags=re.IGNORECASE), word
        # A notice carries no secret: no link that acts for its reader.
        assert "/konto/password/reset/key/" not in body and "confirm-email" not in body
    return rows


def test_a_changed_password_is_told_to_every_verified_address(client, owner):
    log_in_with_password(client, owner)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert_told(
        "account.password_changed",
        {owner.email, SPARE},
        "Lösenordet till ditt konto har ändrats.",
    )


def test_a_refused_password_change_tells_nobody(client, owner):
    log_in_with_password(client, owner)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "fel-losenord-123", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert not OutboundEmail.objects.exists()


def test_a_password_reset_is_told_to_every_verified_address(client, owner):
    reset_password(client, owner, NEW_PASSWORD)
    assert_told(
        "account.password_reset",
        {owner.email, SPARE},
        "Lösenordet till ditt konto har ändrats med länken för att välja ett nytt lösenord.",
    )


def test_an_added_address_is_told_to_the_addresses_already_confirmed(client, owner):
    log_in_with_password(client, owner)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ny@example.se"})
    assert response.status_code == 302
    assert_told(
        "account.email_added",
        {owner.email, SPARE},
        "E-postadressen ny@example.se har lagts till på ditt konto.",
    )
    # The new address gets only the link to confirm it.
    assert set(OutboundEmail.objects.filter(to="ny@example.se").values_list("kind", flat=True)) == {
        "account.email_confirmation"
    }


def test_a_changed_address_is_told_to_the_old_and_the_new_one(client, owner):
    old = owner.email
    log_in_with_password(client, owner)
    response = client.post(reverse("account_email"), {"action_primary": "", "email": SPARE})
    assert response.status_code == 302
    assert_told(
        "account.email_changed",
        {old, SPARE},
        f"E-postadressen för ditt konto har ändrats från {old} till {SPARE}.",
    )


def test_a_removed_address_is_told_to_the_addresses_left(client, owner):
    log_in_with_password(client, owner)
    response = client.post(reverse("account_email"), {"action_remove": "", "email": SPARE})
    assert response.status_code == 302
    assert_told(
        "account.email_deleted",
        {owner.email},
        f"E-postadressen {SPARE} har tagits bort från ditt konto.",
    )


def test_two_step_verification_on_off_and_new_recovery_codes_are_told(
    client, owner, django_capture_on_commit_callbacks
):
    # allauth adds a second factor only to an account whose every address is confirmed.
    EmailAddress.objects.filter(email=UNVERIFIED).delete()
    log_in_with_password(client, owner)
    confirm_password(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    # allauth tells of it once the new authenticator is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert_told("account.totp_activated", {owner.email, SPARE}, "Nu är tvåstegsverifiering på")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    assert_told(
        "account.recovery_codes_generated",
        {owner.email, SPARE},
        "Nya reservkoder har skapats för ditt konto.",
    )

    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert_told("account.totp_deactivated", {owner.email, SPARE}, "Nu är tvåstegsverifiering av")


def test_a_passkey_added_or_removed_is_told(client, owner, settings):
    # The test client speaks plain HTTP to "testserver", which fido2 takes only when told.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    # allauth adds a second factor only to an account whose every address is confirmed.
    EmailAddress.objects.filter(email=UNVERIFIED).delete()
    log_in_with_password(client, owner)
    confirm_password(client)
    html = client.get(reverse("mfa_add_webauthn")).content.decode()
    options = json.loads(re.search(r'id="js_data"[^>]*>(.*?)</script>', html, re.S).group(1))
    challenge = websafe_decode(options["creation_options"]["publicKey"]["challenge"])
    response = client.post(
        reverse("mfa_add_webauthn"),
        {"name": "Telefonen", "credential": json.dumps(registration_response(challenge))},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert_told(
        "account.webauthn_added",
        {owner.email, SPARE},
        "En inloggningsnyckel (passkey) har lagts till på ditt konto.",
    )

    passkey = Authenticator.objects.get(user=owner, type=Authenticator.Type.WEBAUTHN)
    response = client.post(reverse("mfa_remove_webauthn", kwargs={"pk": passkey.pk}))
    assert response.status_code == 302
    assert_told(
        "account.webauthn_removed",
        {owner.email, SPARE},
        "Den fungerar inte längre när du loggar in.",
    )


def test_a_recovery_code_used_to_log_in_is_told(client, owner):
    give_second_factor(owner)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=owner, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    log_in_with_password(client, owner)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert_told(
        "account.recovery_code_used",
        {owner.email, SPARE},
        "Någon loggade in på ditt konto med en av dina reservkoder. Den koden fungerar inte "
        "längre. Du har 9 reservkoder kvar.",
    )


def test_a_code_from_the_app_tells_nobody(client, owner):
    give_second_factor(owner)
    log_in_with_password(client, owner)
    assert (
        client.post(reverse("mfa_authenticate"), {"code": totp_code_for(owner)}).status_code == 302
    )
    assert not OutboundEmail.objects.exists()


def test_the_notice_is_in_the_accounts_language_at_every_address(client, owner):
    owner.language = "en"
    owner.save()
    log_in_with_password(client, owner)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    rows = assert_told(
        "account.password_changed",
        {owner.email, SPARE},
        "The password for your account was changed.",
        language="en",
    )
    for row in rows.values():
        assert "Was it not you?" in row.body_text
        assert "http://testserver/konto/password/reset/" in row.body_text
