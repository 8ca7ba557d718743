"""A group message's confirmation says who gets it now, who in the weekly digest and who
chose never, with each count's own plural form: never "sent to 4 people" when all four
get it next week."""

import pytest
from django.utils import translation

from groups.message_views import told_sentence
from groups.models import GroupMessage
from notifications import preferences
from notifications.models import Delivery
from tests.factories import UserFactory, membership
from tests.words import Kind

pytestmark = pytest.mark.django_db

URL = "/orter/storebro/grupp/meddelande/"
TEXT = {"subject": "Städdag på lördag", "body": "Vi ses vid skolan kl. 10."}


def members(*deliveries):
    """One member of Storebro's group per delivery given (None: the default, the digest)."""
    people = []
    for delivery in deliveries:
        person = UserFactory()
        membership(person)
        if delivery is not None:
            preferences.settings_save(user=person, choices={Kind.GROUP_MESSAGES: delivery})
        people.append(person)
    return people


def in_english(client, coordinator):
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    client.force_login(coordinator)


def send(client, coordinator):
    """Sends the message as the coordinator, in English, and returns the page shown after."""
    in_english(client, coordinator)
    response = client.post(URL, {**TEXT, "send": "1"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_service_tells_how_each_was_told(coordinator):
    from groups.message_services import group_message_send

    members(Delivery.DIRECT, None, Delivery.NEVER)
    message = group_message_send(group=coordinator.memberships.get().group, by=coordinator, **TEXT)
    assert message.delivered == {"direct": 1, "digest": 1, "never": 1}
    assert message.recipient_count == 2


def test_all_direct_says_everyone_gets_it_now(client, coordinator):
    members(Delivery.DIRECT, Delivery.DIRECT, Delivery.DIRECT, Delivery.DIRECT)
    page = send(client, coordinator)
    assert "4 people get the message by e-mail now." in page
    assert "weekly digest." not in page and "never" not in page
    assert GroupMessage.objects.get().recipient_count == 4


def test_all_in_the_digest_is_not_called_sent(client, coordinator):
    members(None, Delivery.DIGEST, None, Delivery.DIGEST)
    page = send(client, coordinator)
    assert "4 people get the message in their weekly digest." in page
    assert "by e-mail now" not in page and "has been sent" not in page
    assert GroupMessage.objects.get().recipient_count == 4


def test_mixed_counts_each_way_with_its_own_plural(client, coordinator):
    members(Delivery.DIRECT, Delivery.DIGEST, Delivery.DIGEST, Delivery.NEVER)
    page = send(client, coordinator)
    assert "1 person gets the message by e-mail now." in page
    assert "2 people get the message in their weekly digest." in page
    assert "1 person has chosen never to get the group&#x27;s messages." in page


def test_nobody_gets_it_says_so(client, coordinator):
    members(Delivery.NEVER, Delivery.NEVER)
    page = send(client, coordinator)
    assert "Nobody gets the message." in page
    assert "2 people have chosen never to get the group&#x27;s messages." in page


def test_nobody_at_all_when_the_coordinator_is_alone(client, coordinator):
    page = send(client, coordinator)
    assert "Nobody gets the message." in page and "never" not in page


def test_the_preview_names_those_who_chose_never(client, coordinator):
    members(Delivery.DIRECT, Delivery.NEVER, Delivery.NEVER)
    in_english(client, coordinator)
    page = client.post(URL, {**TEXT, "preview": "1"}).content.decode()
    assert "1 person gets the message" in page
    assert "2 people have chosen never to get the group's messages." in page
    assert not GroupMessage.objects.exists()


def test_a_follower_who_chose_never_counts_only_when_followers_are_included(client, coordinator):
    from allas.models import Locality
    from notifications import follows

    follower = UserFactory()
    follows.follow_toggle(user=follower, locality=Locality.objects.get(slug="storebro"))
    preferences.settings_save(user=follower, choices={Kind.GROUP_MESSAGES: Delivery.NEVER})
    members(Delivery.DIRECT)
    in_english(client, coordinator)
    page = client.post(URL, {**TEXT, "preview": "1"}).content.decode()
    assert "never" not in page
    page = client.post(URL, {**TEXT, "include_followers": "on", "preview": "1"}).content.decode()
    assert "1 person has chosen never to get the group's messages." in page


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"direct": 1, "digest": 0, "never": 0}, "1 person gets the message by e-mail now."),
        (
            {"direct": 0, "digest": 1, "never": 1},
            "1 person gets the message in their weekly digest. "
            "1 person has chosen never to get the group's messages.",
        ),
        (
            {"direct": 3, "digest": 2, "never": 0},
            "3 people get the message by e-mail now. "
            "2 people get the message in their weekly digest.",
        ),
        ({"direct": 0, "digest": 0, "never": 0}, "Nobody gets the message."),
    ],
)
def test_the_sentence_names_only_the_ways_someone_is_told(counts, expected):
    with translation.override("en"):
        assert told_sentence(counts) == expected
