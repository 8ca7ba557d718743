"""Every e-mail that is not required carries one-click unsubscribe headers (RFC 8058), and
digests the headers of bulk mail; required e-mails carry none."""

from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from freezegun import freeze_time

from allas.models import Locality, OutboundEmail
from notifications import follows, preferences, unsubscribe
from notifications.digest import digest_send_due
from notifications.models import Delivery
from proposals import services as proposal_services
from tests.factories import UserFactory
from tests.notifications.conftest import propose
from tests.words import Kind

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def _https_site(settings):
    settings.SITE_URL = "https://allas.vimmerby.se"


def follower(direct=()):
    user = UserFactory()
    follows.follow_toggle(user=user, locality=Locality.objects.get(slug="storebro"))
    preferences.settings_save(user=user, choices=dict.fromkeys(direct, Delivery.DIRECT))
    return user


def assert_one_click(headers, kind):
    https, mailto = (part.strip().strip("<>") for part in headers["List-Unsubscribe"].split(","))
    assert https.startswith("https://allas.vimmerby.se/konto/notiser/avsluta/")
    token = https.rstrip("/").rsplit("/", 1)[1]
    assert unsubscribe.unsubscribe_read(token)[1] == kind
    assert mailto.startswith("mailto:") and token in unquote(mailto)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Auto-Submitted"] == "auto-generated"


def test_a_direct_notification_carries_one_click_unsubscribe(author):
    person = follower(direct=[Kind.NEW_PROPOSALS])
    propose(author)
    email = OutboundEmail.objects.get(to=person.email)
    assert_one_click(email.headers, Kind.NEW_PROPOSALS)
    assert "Precedence" not in email.headers


def test_the_digest_carries_one_click_unsubscribe_and_bulk_headers(author):
    person = follower()
    with freeze_time(datetime(2026, 12, 2, 12, tzinfo=STOCKHOLM)):
        propose(author)
    with freeze_time(datetime(2026, 12, 7, 8, tzinfo=STOCKHOLM)):
        digest_send_due()
    digest = OutboundEmail.objects.get(to=person.email, kind="notifications.digest")
    assert_one_click(digest.headers, "digest")
    assert digest.headers["Precedence"] == "bulk"


def test_the_headers_reach_the_sent_message(author, django_capture_on_commit_callbacks):
    person = follower(direct=[Kind.NEW_PROPOSALS])
    with django_capture_on_commit_callbacks(execute=True):
        propose(author)
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://")


def test_a_coordinators_message_can_be_unsubscribed(coordinator, member):
    from groups.message_services import group_message_send

    preferences.settings_save(user=member, choices={Kind.GROUP_MESSAGES: Delivery.DIRECT})
    group_message_send(
        group=coordinator.memberships.get().group, by=coordinator, subject="Hej", body="Text"
    )
    email = OutboundEmail.objects.get(to=member.email)
    assert_one_click(email.headers, Kind.GROUP_MESSAGES)


def test_required_emails_carry_no_unsubscribe(author, coordinator):
    """The author must hear of each status change of their proposal."""
    proposal = propose(author)
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="under_review", answer=""
    )
    email = OutboundEmail.objects.get(to=author.email)
    assert "List-Unsubscribe" not in email.headers
