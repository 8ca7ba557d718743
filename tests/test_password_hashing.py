"""Passwords are stored with Argon2id, and a password stored with the PBKDF2 the portal used
before is stored again with Argon2id when its owner logs in (allas.passwords). The rest of
the suite uses a fast hasher; these tests use the portal's own list."""

import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

import allas.settings
from allas.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Tre-ord-om-Stangaan-31"
WRONG = "fel-losenord-123"
WRONG_PASSWORD = "E-postadressen eller lösenordet är fel"
# OWASP's minimum for Argon2id: memory in KiB, passes, lanes.
OWASP_MINIMUM = {"m": 19 * 1024, "t": 2, "p": 1}


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = allas.settings.PASSWORD_HASHERS


@pytest.fixture
def pbkdf2_account():
    """An account whose password was stored before Argon2 (a lower iteration count than
    Django's today, as older hashes have, so that the test is quick)."""
    user = UserFactory()
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


def log_in(client, email, password):
    return client.post(
        "/konto/login/", {"login": email, "password": password}, REMOTE_ADDR="198.51.100.20"
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_new_account_stores_its_password_with_argon2id_at_least_owasps_minimum(
    client, production_hashers
):
    response = client.post(
        "/konto/signup/",
        {
            "email": "ny.boende@example.se",
            "display_name": "Ny Boende",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "home_locality": "",
            "age_band": "30_49",
        },
    )
    assert response.status_code == 302
    stored = User.objects.get(email="ny.boende@example.se").password
    assert stored.startswith("argon2$argon2id$")
    cost = {k: int(v) for k, v in re.findall(r"([mtp])=(\d+)", stored)}
    assert all(cost[k] >= minimum for k, minimum in OWASP_MINIMUM.items()), cost


def test_a_pbkdf2_password_logs_in_and_is_then_stored_with_argon2id(
    client, production_hashers, pbkdf2_account
):
    assert log_in(client, pbkdf2_account.email, PASSWORD).status_code == 302
    assert logged_in(client)
    pbkdf2_account.refresh_from_db()
    assert pbkdf2_account.password.startswith("argon2$argon2id$")

    client.logout()
    assert log_in(client, pbkdf2_account.email, PASSWORD).status_code == 302
    assert logged_in(client)


def test_a_wrong_password_leaves_the_pbkdf2_hash_as_it_was(
    client, production_hashers, pbkdf2_account
):
    before = pbkdf2_account.password
    response = log_in(client, pbkdf2_account.email, WRONG)
    assert WRONG_PASSWORD in response.content.decode()
    assert not logged_in(client)
    pbkdf2_account.refresh_from_db()
    assert pbkdf2_account.password == before
    # The right one still works afterwards.
    assert log_in(client, pbkdf2_account.email, PASSWORD).status_code == 302
