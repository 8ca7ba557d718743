"""Every e-mail the portal writes links to what caused it by a real relation, so staff can
follow a row in the outbox back to the proposal, membership, invitation or account."""

import pytest

from allas.models import OutboundEmail
from groups import services as group_services
from meetings import services as meeting_services
from proposals import services as proposal_services
from tests.factories import UserFactory
from tests.meetings.conftest import make_meeting
from tests.notifications.conftest import propose
from tests.words import Kind

pytestmark = pytest.mark.django_db


def cause_of(row):
    return row.cause_type.model_class().objects.get(pk=row.cause_id)


def test_proposal_emails_link_to_the_proposal_and_the_comment(coordinator, follower_direct):
    author = UserFactory()
    proposal = propose(author)
    new = OutboundEmail.objects.get(to=follower_direct.email)
    assert cause_of(new) == proposal
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="under_review", answer=""
    )
    status = OutboundEmail.objects.get(to=author.email, kind="proposals.status_changed")
    assert cause_of(status) == proposal
    # The author follows their proposal and hears of comments at once.
    from notifications.preferences import settings_save

    settings_save(user=author, choices={Kind.COMMENTS: "direct"})
    comment = proposal_services.comment_create(proposal=proposal, author=coordinator, body="Ja")
    about_comment = OutboundEmail.objects.get(to=author.email, kind="notifications.comments")
    assert cause_of(about_comment) == comment


def test_join_request_and_decision_link_to_the_membership(coordinator):
    from groups.models import DevelopmentGroup

    applicant = UserFactory()
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    membership = group_services.membership_request(
        user=applicant, group=group, sector="business", age_band="30_49", motivation=""
    )
    request_mail = OutboundEmail.objects.get(to=coordinator.email, kind="groups.join_request")
    assert cause_of(request_mail) == membership
    group_services.membership_approve(membership=membership, by=coordinator)
    decision = OutboundEmail.objects.get(to=applicant.email, kind="groups.join_decision")
    assert cause_of(decision) == membership


def test_invitations_link_to_the_invitation(staff):
    meeting = make_meeting()
    invitation = meeting_services.invitation_add_guest(
        meeting=meeting, name="Gäst", email="gast@example.se", by=staff
    )
    meeting_services.invitations_send(meeting=meeting, by=staff)
    row = OutboundEmail.objects.get(to="gast@example.se", kind="meetings.invitation")
    assert cause_of(row) == invitation


def test_account_emails_link_to_the_account(client, resident):
    client.post("/konto/password/reset/", {"email": resident.email})
    row = OutboundEmail.objects.get(to=resident.email)
    assert cause_of(row) == resident
    client.post("/konto/password/reset/", {"email": "ingen@example.se"})
    assert OutboundEmail.objects.get(to="ingen@example.se").cause_id is None


@pytest.fixture
def follower_direct(db):
    from allas.models import Locality
    from notifications.follows import follow_toggle
    from notifications.preferences import settings_save

    user = UserFactory()
    follow_toggle(user=user, locality=Locality.objects.get(slug="storebro"))
    settings_save(user=user, choices={Kind.NEW_PROPOSALS: "direct", Kind.COMMENTS: "direct"})
    return user
