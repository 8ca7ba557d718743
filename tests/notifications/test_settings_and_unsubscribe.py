"""Notification settings, one-click unsubscribe, the register extract and deleting an account."""

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from freezegun import freeze_time

from allas import services as core_services
from allas.models import Locality
from allas.vocabulary import notice_kinds
from notifications import follows, preferences, unsubscribe
from notifications.models import DIGEST, Delivery, Follow, Notice, NotificationSetting
from tests.factories import UserFactory
from tests.notifications.conftest import propose
from tests.words import Kind

pytestmark = pytest.mark.django_db


def chosen(user):
    return preferences.settings_for(user)


def test_the_settings_page_shows_every_kind_with_the_weekly_digest_as_the_default(client, resident):
    client.force_login(resident)
    page = client.get("/konto/notiser/").content.decode()
    for label in ("Direkt", "Veckosammanfattning", "Aldrig", "Nya förslag i orter du följer"):
        assert label in page
    assert page.count('value="digest" checked') == len(notice_kinds())
    assert "E-post som du alltid får" in page and "Den skyddar ditt konto." in page


def test_saving_the_settings(client, resident):
    client.force_login(resident)
    data = dict.fromkeys(notice_kinds(), "digest") | {
        "new_proposals": "direct",
        "meetings": "never",
    }
    response = client.post("/konto/notiser/", data, follow=True)
    assert "Dina notisinställningar är sparade." in response.content.decode()
    assert chosen(resident)["new_proposals"] == "direct"
    assert chosen(resident)["meetings"] == "never"
    assert chosen(resident)["answers"] == "digest"


def test_a_bad_choice_is_refused_in_swedish_and_changes_nothing(client, resident):
    client.force_login(resident)
    data = dict.fromkeys(notice_kinds(), "digest") | {"answers": "sometimes"}
    response = client.post("/konto/notiser/", data)
    assert response.status_code == 200
    assert "Välj ett av alternativen" in response.content.decode()
    assert not NotificationSetting.objects.exists()


def test_turning_a_kind_off_drops_what_waited_for_the_digest(resident):
    follows.follow_toggle(user=resident, locality=Locality.objects.get(slug="storebro"))
    propose(UserFactory())
    assert Notice.objects.filter(user=resident).exists()
    preferences.settings_save(user=resident, choices={Kind.NEW_PROPOSALS: Delivery.NEVER})
    assert not Notice.objects.filter(user=resident).exists()


def one_click(token):
    """A mail program's one-click POST (RFC 8058): no cookies, no CSRF token."""
    client = Client(enforce_csrf_checks=True)
    return client.post(
        f"/konto/notiser/avsluta/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def test_a_one_click_post_without_cookies_turns_the_kind_off_and_answers_200(resident):
    token = unsubscribe.unsubscribe_token(user_id=resident.pk, kind=Kind.COMMENTS)
    response = one_click(token)
    assert response.status_code == 200
    assert "Vi har stoppat e-posten om" in response.content.decode()
    assert chosen(resident)["comments"] == "never"
    assert chosen(resident)["answers"] == "digest"


def test_the_digests_link_turns_off_every_kind_that_went_to_the_digest(resident):
    preferences.settings_save(user=resident, choices={Kind.NEW_PROPOSALS: Delivery.DIRECT})
    assert (
        one_click(unsubscribe.unsubscribe_token(user_id=resident.pk, kind=DIGEST)).status_code
        == 200
    )
    settings = chosen(resident)
    assert settings.pop("new_proposals") == "direct"
    assert set(settings.values()) == {"never"}


def test_a_get_shows_a_page_to_confirm_without_logging_in_and_changes_nothing(client, resident):
    token = unsubscribe.unsubscribe_token(user_id=resident.pk, kind=Kind.PLANS)
    response = client.get(f"/konto/notiser/avsluta/{token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vill du sluta få e-post om: Utvecklingsplaner för orter du följer?" in page
    assert 'href="/konto/notiser/"' in page  # or choose other settings
    assert not NotificationSetting.objects.exists()


def test_the_confirm_pages_button_works_without_cookies(resident):
    token = unsubscribe.unsubscribe_token(user_id=resident.pk, kind=Kind.PLANS)
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/konto/notiser/avsluta/{token}/").status_code == 200
    assert chosen(resident)["plans"] == "never"


@pytest.mark.parametrize(
    "make",
    [
        lambda user: "not-a-token",
        # tampered: another person's id with the first one's signature
        lambda user: unsubscribe.unsubscribe_token(user_id=user.pk, kind="comments").replace(
            unsubscribe.unsubscribe_token(user_id=user.pk, kind="comments").split(":")[0],
            signing.dumps({"u": user.pk + 1, "k": "comments"}, compress=True).split(":")[0],
        ),
        lambda user: signing.dumps({"u": user.pk, "k": "comments"}, salt="another.salt"),
        lambda user: signing.dumps(
            {"u": user.pk, "k": "comments"}, key="forged-key", salt=unsubscribe.UNSUBSCRIBE_SALT
        ),
        lambda user: unsubscribe.unsubscribe_token(user_id=user.pk, kind="everything"),
    ],
    ids=["garbage", "tampered", "other-salt", "forged-key", "unknown-kind"],
)
def test_a_forged_or_tampered_token_changes_nothing(client, resident, make):
    other = UserFactory()
    token = make(resident)
    assert one_click(token).status_code == 400
    response = client.get(f"/konto/notiser/avsluta/{token}/")
    assert response.status_code == 400
    assert "Länken fungerar inte" in response.content.decode()
    assert not NotificationSetting.objects.filter(user__in=[resident, other]).exists()


def test_an_expired_token_changes_nothing(resident):
    with freeze_time("2026-01-01 12:00"):
        token = unsubscribe.unsubscribe_token(user_id=resident.pk, kind="comments")
    with freeze_time("2026-01-01 12:00") as frozen:
        frozen.tick(unsubscribe.unsubscribe_max_age() + timedelta(days=1))
        assert one_click(token).status_code == 400
    assert not NotificationSetting.objects.exists()


def test_follows_and_settings_are_in_the_register_extract(client, resident):
    follows.follow_toggle(user=resident, locality=Locality.objects.get(slug="tuna"))
    preferences.settings_save(user=resident, choices={Kind.MEETINGS: Delivery.NEVER})
    data = core_services.personal_data_export(user=resident)
    assert data["orter_du_följer"][0]["ort"] == "Tuna"
    [chosen] = data["notisinställningar"]
    assert (chosen["typ"]["kod"], chosen["hur"]["kod"]) == ("meetings", "never")
    client.force_login(resident)
    assert "notisinställningar" in client.get("/konto/mina-data/").content.decode()


def test_deleting_the_account_removes_follows_settings_and_waiting_items(resident):
    follows.follow_toggle(user=resident, locality=Locality.objects.get(slug="storebro"))
    preferences.settings_save(user=resident, choices={Kind.MEETINGS: Delivery.NEVER})
    propose(UserFactory())
    pk = resident.pk
    core_services.account_delete(user=resident)
    assert not Follow.objects.filter(user_id=pk).exists()
    assert not NotificationSetting.objects.filter(user_id=pk).exists()
    assert not Notice.objects.filter(user_id=pk).exists()


def test_the_profile_links_to_the_settings(client, resident):
    client.force_login(resident)
    page = client.get("/konto/profil/").content.decode()
    assert 'href="/konto/notiser/"' in page and "Välj hur ofta du får e-post" in page
