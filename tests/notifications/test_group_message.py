"""A coordinator's message to the group: recipients and preview, through the outbox, kept
for the coordinators, at most 4 a month."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from allas.models import Locality, OutboundEmail
from groups.models import GroupMessage
from notifications import follows, preferences
from notifications.models import Delivery, Notice
from tests.factories import UserFactory, membership
from tests.words import Kind

pytestmark = pytest.mark.django_db

URL = "/orter/storebro/grupp/meddelande/"
TEXT = {"subject": "Städdag på lördag", "body": "Vi ses vid skolan kl. 10.\nTa med handskar."}


@pytest.fixture
def audience(coordinator, member):
    """Storebro's coordinator and member, two more members (one direct, one never) and a
    follower of the ort who is not a member."""
    direct, never = UserFactory(), UserFactory()
    membership(direct)
    membership(never)
    preferences.settings_save(user=direct, choices={Kind.GROUP_MESSAGES: Delivery.DIRECT})
    preferences.settings_save(user=never, choices={Kind.GROUP_MESSAGES: Delivery.NEVER})
    follower = UserFactory()
    follows.follow_toggle(user=follower, locality=Locality.objects.get(slug="storebro"))
    preferences.settings_save(user=follower, choices={Kind.GROUP_MESSAGES: Delivery.DIRECT})
    return {"direct": direct, "never": never, "follower": follower, "member": member}


def test_the_coordinator_sees_the_number_of_recipients_and_a_preview(client, coordinator, audience):
    client.force_login(coordinator)
    page = client.post(URL, {**TEXT, "preview": "1"}).content.decode()
    # The member (digest) and the direct member; not "never", not the writer.
    assert "2 personer får meddelandet" in page
    assert "1 direkt och 1 i sin veckosammanfattning" in page
    assert "Meddelande från gruppen i Storebro: Städdag på lördag" in page
    assert "Vi ses vid skolan kl. 10.<br>Ta med handskar." in page
    page = client.post(URL, {**TEXT, "include_followers": "on", "preview": "1"}).content.decode()
    assert "3 personer får meddelandet" in page
    assert not GroupMessage.objects.exists() and not OutboundEmail.objects.exists()


def test_sending_goes_through_the_outbox_and_is_kept_for_the_coordinators(
    client, coordinator, audience
):
    client.force_login(coordinator)
    response = client.post(URL, {**TEXT, "include_followers": "on", "send": "1"}, follow=True)
    content = response.content.decode()
    assert "2 personer får meddelandet med e-post nu." in content
    assert "1 person får meddelandet i sin veckosammanfattning." in content
    assert "1 person har valt att aldrig få gruppens meddelanden." in content
    message = GroupMessage.objects.get()
    assert message.recipient_count == 3 and message.to_followers
    emails = OutboundEmail.objects.filter(kind="notifications.group_messages")
    assert sorted(e.to for e in emails) == sorted(
        [audience["direct"].email, audience["follower"].email]
    )
    email = emails.get(to=audience["follower"].email)
    assert "Ta med handskar." in email.body_text
    assert "för att du följer Storebro" in email.body_text
    member_email = emails.get(to=audience["direct"].email)
    assert "för att du är medlem i gruppen i Storebro" in member_email.body_text
    assert Notice.objects.get(user=audience["member"]).text == message.body
    assert not OutboundEmail.objects.filter(to=audience["never"].email).exists()
    page = client.get("/orter/storebro/grupp/").content.decode()
    assert "Städdag på lördag" in page and "till 3 personer" in page


def test_at_most_four_messages_a_month_and_a_fifth_changes_nothing(client, coordinator, audience):
    client.force_login(coordinator)
    stockholm = ZoneInfo("Europe/Stockholm")
    with freeze_time(datetime(2026, 12, 3, 12, tzinfo=stockholm)):
        for _ in range(4):
            client.post(URL, {**TEXT, "send": "1"})
        before = (
            GroupMessage.objects.count(),
            OutboundEmail.objects.count(),
            Notice.objects.count(),
        )
        response = client.post(URL, {**TEXT, "send": "1"}, follow=True)
        assert "högst 4 meddelanden i månaden" in response.content.decode()
        after = (
            GroupMessage.objects.count(),
            OutboundEmail.objects.count(),
            Notice.objects.count(),
        )
        assert before == after == (4, 4, 4)
    with freeze_time(datetime(2027, 1, 1, 0, 30, tzinfo=stockholm)):
        client.force_login(coordinator)  # the session of December has run out
        client.post(URL, {**TEXT, "send": "1"})
    assert GroupMessage.objects.count() == 5


def test_empty_text_is_refused_in_swedish(client, coordinator, audience):
    client.force_login(coordinator)
    response = client.post(URL, {"subject": "  ", "body": "", "send": "1"})
    assert response.status_code == 200
    assert "Fyll i fältet." in response.content.decode()
    assert not GroupMessage.objects.exists()
