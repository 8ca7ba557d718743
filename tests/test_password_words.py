"""Passwords made only of the portal's own words (Allas, Vimmerby, kommun, the ten orter)
are refused with a Swedish message that says why, wherever a password is chosen."""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from allas.models import OutboundEmail, User
from tests.factories import PASSWORD
from tests.test_second_factor_pages import log_in_with_password

pytestmark = pytest.mark.django_db

WHY = (
    "Lösenordet består bara av ord som hör till portalen, som Allas, Vimmerby eller namnet "
    "på en ort."
)
PORTAL_WORDS_ONLY = [
    "allasvimmerby",
    "kommunen2026",
    "Allas-Vimmerby-1",
    "Storebro2026!",
    "sodravi1234",
    "Södra Vi 2026",
    "FRÖDINGE!!2026",
    "Frodinge-2026",
    "Vimmerby kommun 2026",
    "gullringen gullringen",
    "Djursdala.Locknevi",
    "pelarne+rumskulla",
    "tuna-tuna-1234",
    "@llas-V1mmerby",
    "Vimmerby1!",
]
OWN_WORDS = [
    "Sommar-i-Storebro-27",
    "Storebro har världens bästa glass",
    "Vi cyklar till Tuna på lördag",
    "Ett-bra-losenord-2026",
]


@pytest.mark.parametrize("password", PORTAL_WORDS_ONLY)
def test_the_portals_own_words_are_refused_with_the_reason(password):
    # In the portal's language, whatever an earlier request left active in this thread.
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_portal_words" in [error.code for error in refused.value.error_list]
    assert any(WHY in message for message in refused.value.messages)


@pytest.mark.parametrize("password", OWN_WORDS)
def test_a_passphrase_with_one_of_them_among_others_is_accepted(password):
    validate_password(password)


def test_the_help_text_names_the_rule():
    from allas.passwords import PortalWordsPasswordValidator

    assert "Allas, Vimmerby" in PortalWordsPasswordValidator().get_help_text()


def signup(client, password):
    return client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.se",
            "display_name": "Ny",
            "password1": password,
            "password2": password,
            "age_band": "30_49",
        },
    )


@pytest.mark.parametrize("password", ["allasvimmerby", "kommunen2026", "Allas-Vimmerby-1"])
def test_signup_refuses_them_and_creates_nothing(client, password):
    response = signup(client, password)
    assert response.status_code == 200
    assert WHY in response.content.decode()
    assert not User.objects.filter(email="ny@example.se").exists()
    assert not OutboundEmail.objects.exists()


def test_signup_takes_a_passphrase_with_one_of_them(client):
    assert signup(client, "Storebro har världens bästa glass").status_code == 302
    assert User.objects.filter(email="ny@example.se").exists()


def test_a_password_change_refuses_them_and_changes_nothing(client, resident):
    log_in_with_password(client, resident)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Storebro2026!", "password2": "Storebro2026!"},
    )
    assert response.status_code == 200
    assert WHY in response.content.decode()
    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)
    assert not OutboundEmail.objects.exists()


def test_a_new_password_from_the_reset_link_refuses_them_too(client, resident):
    key = f"{user_pk_to_url_str(resident)}-{default_token_generator.make_token(resident)}"
    form = client.get(f"/konto/password/reset/key/{key}/")
    response = client.post(
        form["Location"], {"password1": "sodravi1234", "password2": "sodravi1234"}
    )
    assert response.status_code == 200
    assert WHY in response.content.decode()
    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)
    assert not OutboundEmail.objects.exists()
