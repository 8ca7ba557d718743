"""The notifications' settings come from the environment through allas/settings.py, are read
when used (so a test's override_settings changes them) and refuse a value that makes no
sense; the apps' events are registered through settings.NOTICE_MODULES."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from freezegun import freeze_time

from notifications.digest import digest_cutoff
from notifications.notices import registered_events
from notifications.unsubscribe import unsubscribe_headers, unsubscribe_read, unsubscribe_token

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEDNESDAY_NOON = datetime(2026, 12, 2, 12, 0, tzinfo=STOCKHOLM)


def test_an_unsubscribe_link_works_as_many_days_as_unsubscribe_link_days_says(resident):
    with freeze_time("2026-01-01 12:00"):
        token = unsubscribe_token(user_id=resident.pk, kind="comments")
    with freeze_time("2026-01-04 12:00"):
        assert unsubscribe_read(token) == (resident, "comments")
        with override_settings(UNSUBSCRIBE_LINK_DAYS=2):
            assert unsubscribe_read(token) is None


def test_the_mailto_unsubscribe_goes_to_unsubscribe_mailto(resident):
    with override_settings(UNSUBSCRIBE_MAILTO="sluta@example.se"):
        headers = unsubscribe_headers(user_id=resident.pk, kind="comments")
    assert "<mailto:sluta@example.se?subject=unsubscribe%20" in headers["List-Unsubscribe"]


def test_the_digest_starts_at_digest_weekday_and_digest_hour():
    assert digest_cutoff(WEDNESDAY_NOON) == datetime(2026, 11, 30, 7, 0, tzinfo=STOCKHOLM)
    with override_settings(DIGEST_WEEKDAY=2):  # Wednesday, at 07:00 as before
        assert digest_cutoff(WEDNESDAY_NOON) == datetime(2026, 12, 2, 7, 0, tzinfo=STOCKHOLM)
    with override_settings(DIGEST_WEEKDAY=2, DIGEST_HOUR=18):  # not yet: last week's
        assert digest_cutoff(WEDNESDAY_NOON) == WEDNESDAY_NOON.replace(hour=18) - timedelta(days=7)


def _settings_in(env: dict) -> subprocess.CompletedProcess:
    names = ("UNSUBSCRIBE_LINK_DAYS", "UNSUBSCRIBE_MAILTO", "DIGEST_WEEKDAY", "DIGEST_HOUR")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*(getattr(settings, n) for n in {names!r}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "allas.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_environment_sets_them():
    result = _settings_in(
        {
            "UNSUBSCRIBE_LINK_DAYS": "30",
            "UNSUBSCRIBE_MAILTO": "sluta@example.se",
            "DIGEST_WEEKDAY": "4",
            "DIGEST_HOUR": "16",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["30", "sluta@example.se", "4", "16"]


@pytest.mark.parametrize(
    "name, value", [("UNSUBSCRIBE_LINK_DAYS", "0"), ("DIGEST_WEEKDAY", "7"), ("DIGEST_HOUR", "24")]
)
def test_a_value_out_of_range_stops_the_portal_from_starting(name, value):
    result = _settings_in({name: value})
    assert result.returncode != 0
    assert f"{name} must be" in result.stderr


def test_each_app_registers_its_own_events_and_no_event_twice():
    assert set(registered_events()) == {
        "proposal_new",
        "proposal_status",
        "proposal_lifted",
        "proposal_registered",
        "proposal_decided",
        "comment",
        "reply",
        "plan_published",
        "plan_updated",
        "group_message",
        "meeting_published",
        "dialogue_published",
    }
    twice = ["proposals.notices", "proposals.notices"]
    with (
        override_settings(NOTICE_MODULES=twice),
        pytest.raises(ImproperlyConfigured, match="proposal_new"),
    ):
        registered_events()
