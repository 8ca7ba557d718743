"""Every new view for every persona: the status code, and for a refused write, proof that
nothing changed."""

import pytest

from allas.models import OutboundEmail
from groups.models import GroupMessage
from notifications import unsubscribe
from notifications.models import Follow, Notice, NotificationSetting
from proposals.models import Proposal, ProposalFollow, Visibility
from tests.factories import UserFactory
from tests.notifications.conftest import propose
from tests.personas import NO_SECOND_FACTOR_PERSONAS

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "unverified",
    "resident",
    "member",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]
LOGIN = "login"


def state():
    return (
        sorted(Follow.objects.values_list("user_id", "locality_id", "is_active")),
        sorted(ProposalFollow.objects.values_list("user_id", "proposal_id", "is_active")),
        sorted(NotificationSetting.objects.values_list("user_id", "kind", "delivery")),
        Notice.objects.count(),
        GroupMessage.objects.count(),
        OutboundEmail.objects.count(),
    )


@pytest.fixture
def proposal(db):
    return propose(UserFactory())


def assert_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")


# Following is every resident's; staff without the second factor are residents here too.
FOLLOWERS = {
    "resident",
    "member",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("target", ["ort", "proposal"])
def test_follow_matrix(as_persona, request, proposal, persona, target):
    client = as_persona(persona)
    url = "/orter/storebro/folj/" if target == "ort" else f"/forslag/{proposal.pk}/folj/"
    assert client.get(url).status_code in (302, 405)  # never a GET that changes anything
    before = state()
    response = client.post(url)
    if persona == "visitor":
        assert_login(response)
    elif persona not in FOLLOWERS:
        assert response.status_code == 403
        assert "bekräfta din e-postadress" in response.content.decode()
    else:
        assert response.status_code == 302
        user = request.getfixturevalue(persona)  # the persona signed in above
        if target == "ort":
            assert Follow.objects.get(user=user, locality__slug="storebro").is_active
        else:
            assert ProposalFollow.objects.get(user=user, proposal=proposal).is_active
        return
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_hidden_proposal_cannot_be_followed_by_those_who_cannot_see_it(
    as_persona, proposal, persona
):
    Proposal.objects.filter(pk=proposal.pk).update(visibility=Visibility.REMOVED)
    client = as_persona(persona)
    before = state()
    response = client.post(f"/forslag/{proposal.pk}/folj/")
    expected = {"visitor": LOGIN, "coordinator": 302, "staff": 302}.get(persona, 404)
    if expected == LOGIN:
        assert_login(response)
    else:
        assert response.status_code == expected
    if expected != 302:
        assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_unknown_targets_are_404(as_persona, persona):
    client = as_persona(persona)
    for url in ("/orter/finns-inte/folj/", "/forslag/999999/folj/"):
        response = client.post(url)
        if persona == "visitor":
            assert_login(response)
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_settings_matrix(as_persona, request, persona):
    client = as_persona(persona)
    response = client.get("/konto/notiser/")
    data = {
        "new_proposals": "direct",
        "answers": "digest",
        "comments": "digest",
        "plans": "digest",
        "meetings": "never",
        "dialogue": "direct",
        "group_messages": "digest",
    }
    if persona == "visitor":
        assert_login(response)
        before = state()
        assert_login(client.post("/konto/notiser/", data))
        assert state() == before
        return
    user = request.getfixturevalue(persona)  # the persona signed in above
    assert response.status_code == 200
    assert client.post("/konto/notiser/", data).status_code == 302
    # Each person changes only their own settings.
    assert set(NotificationSetting.objects.values_list("user_id", flat=True)) == {user.pk}


@pytest.mark.parametrize("persona", PERSONAS)
def test_unsubscribe_matrix_the_token_decides_not_the_session(as_persona, persona):
    owner = UserFactory()
    client = as_persona(persona)
    token = unsubscribe.unsubscribe_token(user_id=owner.pk, kind="plans")
    url = f"/konto/notiser/avsluta/{token}/"
    before = state()
    assert client.get(url).status_code == 200
    assert state() == before
    tampered = url[:-2] + ("A" if url[-2] != "A" else "B") + "/"
    assert client.post(tampered).status_code == 400
    assert state() == before
    assert client.post(url).status_code == 200
    assert list(NotificationSetting.objects.values_list("user_id", "kind", "delivery")) == [
        (owner.pk, "plans", "never")
    ]


MESSAGE_GET = {
    "visitor": LOGIN,
    "unverified": 403,
    "resident": 403,
    "member": 403,
    "coordinator": 200,
    "other_coordinator": 403,
    "staff": 200,
    **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, 403),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_group_message_matrix(as_persona, persona):
    client = as_persona(persona)
    url = "/orter/storebro/grupp/meddelande/"
    response = client.get(url)
    expected = MESSAGE_GET[persona]
    if expected == LOGIN:
        assert_login(response)
    else:
        assert response.status_code == expected
    before = state()
    response = client.post(url, {"subject": "Hej", "body": "Text", "send": "1"})
    if expected == 200:
        assert response.status_code == 302
        assert GroupMessage.objects.count() == 1
    else:
        assert response.status_code in (302, 403)
        assert state() == before
