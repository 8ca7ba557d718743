"""The register extract and deleting an account: personal data goes, public records stay."""

import json

import pytest

from allas.models import OutboundEmail, User
from groups.models import Membership
from meetings import services as meeting_services
from meetings.models import Invitation
from proposals import services as proposal_services
from proposals.models import Comment, Proposal
from tests.factories import PASSWORD, UserFactory, membership
from tests.meetings.conftest import make_meeting
from tests.proposals.conftest import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_resident(coordinator, staff):
    """A resident with a membership, a proposal, a comment, a support and an invitation."""
    person = UserFactory(display_name="Aktiv Andersson")
    membership(person, slug="storebro", is_delegate=True)
    own = make_proposal(person, title="Mitt förslag")
    other = make_proposal(UserFactory(), title="Någon annans förslag")
    proposal_services.support_toggle(proposal=other, user=person)
    proposal_services.comment_create(proposal=other, author=person, body="Min kommentar")
    meeting = make_meeting()
    meeting_services.invitations_build(meeting=meeting, by=staff)
    invitation = meeting.invitations.get(email=person.email)
    meeting_services.invitation_answer(invitation=invitation, answer="yes", dietary_needs="Vegan")
    return {"person": person, "own": own, "other": other, "invitation": invitation}


def test_a_visitor_is_sent_to_login(client):
    for path in ["/konto/mina-data/", "/konto/radera/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_register_extract_has_everything_kept_about_the_person(client, active_resident):
    person = active_resident["person"]
    client.force_login(person)
    response = client.get("/konto/mina-data/")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == person.email
    assert data["memberships"][0]["group"] == "Utvecklingsgruppen i Storebro"
    assert [p["title"] for p in data["proposals"]] == ["Mitt förslag"]
    assert data["comments"][0]["text"] == "Min kommentar"
    assert data["supports"] == [active_resident["other"].pk]
    assert data["invitations"][0]["dietary_needs"] == "Vegan"
    # Nothing about anyone else.
    assert "Någon annans förslag" not in response.content.decode()


def test_deleting_an_account_keeps_public_records_as_former_user(client, active_resident):
    person = active_resident["person"]
    email = person.email
    client.force_login(person)
    assert client.get("/konto/radera/").status_code == 200
    response = client.post("/konto/radera/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email=email).exists()
    assert not Membership.objects.filter(user_id=person.pk).exists()
    own = Proposal.objects.get(pk=active_resident["own"].pk)
    assert own.author is None and own.title == "Mitt förslag"
    assert Comment.objects.get(body="Min kommentar").author is None
    assert Proposal.objects.get(pk=active_resident["other"].pk).support_count == 0
    invitation = Invitation.objects.get(pk=active_resident["invitation"].pk)
    assert (invitation.name, invitation.dietary_needs, invitation.user) == (
        "Tidigare användare",
        "",
        None,
    )
    assert email not in invitation.email
    assert not OutboundEmail.objects.filter(to=email).exists()
    page = client.get(f"/forslag/{own.pk}/").content.decode()
    assert "Tidigare användare" in page and "Aktiv Andersson" not in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "fel", "confirm": "on"}, "Lösenordet är fel."),
        ({"password": PASSWORD}, "Fyll i fältet."),
    ],
)
def test_a_wrong_password_or_no_confirmation_deletes_nothing(client, resident, data, message):
    client.force_login(resident)
    response = client.post("/konto/radera/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.filter(pk=resident.pk).exists()


def test_the_only_coordinator_of_a_group_cannot_delete_the_account(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/konto/radera/", {"password": PASSWORD, "confirm": "on"})
    assert "enda samordnare för Utvecklingsgruppen i Storebro" in response.content.decode()
    assert User.objects.filter(pk=coordinator.pk).exists()
    assert Membership.objects.filter(user=coordinator).exists()
