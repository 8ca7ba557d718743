"""Failed logins are limited per address and source, so that no stranger can lock an
account: after many failures from everywhere each try waits a little, never a lock, and a
password reset lets the owner in at once (allas.login_limits)."""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.core.cache import cache
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from tests.factories import PASSWORD, UserFactory
from tests.services import cache_unreachable, redis_delete_own_keys, redis_key_prefix, redis_url

pytestmark = pytest.mark.django_db

WRONG = "fel-losenord-123"
NEW_PASSWORD = "Min-nya-fras-om-hosten-44"
OWNER_IP = "198.51.100.7"
LIMITED = "Du har försökt logga in för många gånger"
MUST_WAIT = "Många felaktiga lösenord har provats för den här e-postadressen"
WRONG_PASSWORD = "E-postadressen eller lösenordet är fel"


def log_in(client, email, password, ip):
    return client.post("/konto/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_from_many_places(client, email, count, first=0):
    for n in range(first, first + count):
        response = log_in(client, email, WRONG, f"203.0.113.{n + 1}")
        assert WRONG_PASSWORD in response.content.decode(), n


def reset_password(client, user, password):
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    form = client.get(f"/konto/password/reset/key/{key}/", REMOTE_ADDR=OWNER_IP)
    assert form.status_code == 302
    done = client.post(
        form["Location"], {"password1": password, "password2": password}, REMOTE_ADDR=OWNER_IP
    )
    assert done.status_code == 302, done.content.decode()


def test_five_wrong_passwords_from_five_places_do_not_stop_the_owner(client, resident):
    fail_from_many_places(client, resident.email, 5)
    response = log_in(client, resident.email, PASSWORD, OWNER_IP)
    assert response.status_code == 302
    assert logged_in(client)


def test_five_wrong_passwords_from_one_place_stop_that_place_for_that_address(
    client, resident, settings
):
    other = UserFactory()
    for _ in range(5):
        assert (
            WRONG_PASSWORD in log_in(client, resident.email, WRONG, "203.0.113.9").content.decode()
        )
    refused = log_in(client, resident.email, PASSWORD, "203.0.113.9")
    assert LIMITED in refused.content.decode()
    assert not logged_in(client)
    # The owner, elsewhere, logs in as usual; and the place may still log in to another account.
    assert log_in(client, resident.email, PASSWORD, OWNER_IP).status_code == 302
    client.logout()
    assert log_in(client, other.email, PASSWORD, "203.0.113.9").status_code == 302


def test_a_right_password_does_not_give_a_place_fresh_tries(client, resident):
    for _ in range(4):
        log_in(client, resident.email, WRONG, "203.0.113.9")
    assert log_in(client, resident.email, PASSWORD, "203.0.113.9").status_code == 302
    client.logout()
    log_in(client, resident.email, WRONG, "203.0.113.9")
    assert LIMITED in log_in(client, resident.email, PASSWORD, "203.0.113.9").content.decode()
    assert not logged_in(client)


def test_one_place_still_cannot_try_many_addresses(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    users = UserFactory.create_batch(4)
    for user in users[:3]:
        log_in(client, user.email, WRONG, "203.0.113.9")
    assert LIMITED in log_in(client, users[3].email, PASSWORD, "203.0.113.9").content.decode()
    assert not logged_in(client)


def test_many_wrong_passwords_from_many_places_make_each_try_wait_longer_not_a_lock(
    client, resident
):
    with freeze_time() as clock:
        fail_from_many_places(client, resident.email, 20)
        # The owner's right password waits a second: refused with the reason, nothing done.
        refused = log_in(client, resident.email, PASSWORD, OWNER_IP).content.decode()
        assert MUST_WAIT in refused and "Försök igen om 1 sekund." in refused
        assert not logged_in(client)
        clock.tick(1)
        assert log_in(client, resident.email, PASSWORD, OWNER_IP).status_code == 302
        client.logout()
        # Each further failure doubles the wait, up to five minutes.
        for failures, wait in [(21, "2 sekunder"), (22, "4 sekunder"), (23, "8 sekunder")]:
            clock.tick(60)
            fail_from_many_places(client, resident.email, 1, first=failures)
            refused = log_in(client, resident.email, PASSWORD, OWNER_IP).content.decode()
            assert f"Försök igen om {wait}." in refused
        for failures in range(24, 32):
            clock.tick(300)
            fail_from_many_places(client, resident.email, 1, first=failures)
        refused = log_in(client, resident.email, PASSWORD, OWNER_IP).content.decode()
        assert "Försök igen om 5 minuter." in refused
        clock.tick(300)
        assert log_in(client, resident.email, PASSWORD, OWNER_IP).status_code == 302


def test_tries_sent_together_while_waiting_get_one_password_check(client, resident):
    from allas import login_limits

    with freeze_time() as clock:
        fail_from_many_places(client, resident.email, 20)
        clock.tick(1)
        # One try holds the way while its password is checked; the others wait.
        held = login_limits.attempt_start(_request("203.0.113.50"), resident.email)
        with pytest.raises(ValidationError) as refused:
            login_limits.attempt_start(_request("203.0.113.51"), resident.email)
        assert refused.value.code == "login_delayed"
        held.failed()
        assert cache.get(login_limits._address_key(resident.email, "failures")) == 21


def _request(ip):
    from django.test import RequestFactory

    return RequestFactory().post("/konto/login/", REMOTE_ADDR=ip)


def test_a_password_reset_lets_the_owner_in_at_once(client, resident):
    with freeze_time():
        for _ in range(5):
            log_in(client, resident.email, WRONG, OWNER_IP)
        fail_from_many_places(client, resident.email, 15)  # 20 in all
        assert LIMITED in log_in(client, resident.email, PASSWORD, OWNER_IP).content.decode()
        assert MUST_WAIT in log_in(client, resident.email, PASSWORD, "192.0.2.1").content.decode()
        reset_password(client, resident, NEW_PASSWORD)
        client.logout()
        # No time has passed: the reset alone lifts both the wait and the place's limit.
        assert log_in(client, resident.email, NEW_PASSWORD, OWNER_IP).status_code == 302
        assert logged_in(client)


def test_the_counts_are_kept_in_redis_for_every_process(client, resident, settings):
    url = redis_url()
    prefix = f"{redis_key_prefix()}login-limits:"
    settings.CACHES = {
        "default": {
            "BACKEND": "allas.cache.DegradingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        for _ in range(5):
            log_in(client, resident.email, WRONG, "203.0.113.9")
        # What another process would read: the counts are in Redis, not in this process.
        import redis

        with redis.Redis.from_url(url) as raw:
            keys = [k.decode() for k in raw.scan_iter(match=f"{prefix}*")]
        assert any("allas:login:" in key for key in keys)
        assert any("login_failed_from_source" in key for key in keys)
        assert LIMITED in log_in(client, resident.email, PASSWORD, "203.0.113.9").content.decode()
        assert log_in(client, resident.email, PASSWORD, OWNER_IP).status_code == 302
    finally:
        redis_delete_own_keys(url, prefix)


def test_with_the_cache_down_logins_are_not_limited(client, resident, settings):
    cache_unreachable(settings)
    for _ in range(6):
        log_in(client, resident.email, WRONG, "203.0.113.9")
    assert log_in(client, resident.email, PASSWORD, "203.0.113.9").status_code == 302
