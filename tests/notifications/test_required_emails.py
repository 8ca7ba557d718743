"""E-mails a person must get are always sent, whatever the settings, and say why."""

import pytest
from django.core import mail

from allas.models import OutboundEmail
from allas.vocabulary import notice_kinds
from groups import services as group_services
from notifications import preferences
from notifications.models import Delivery
from proposals import services as proposal_services
from tests.factories import UserFactory, membership
from tests.meetings.conftest import make_meeting
from tests.notifications.conftest import propose

pytestmark = pytest.mark.django_db

ALL_OFF = dict.fromkeys(notice_kinds(), Delivery.NEVER)


def test_the_author_hears_of_each_status_change_even_with_everything_off(author, coordinator):
    preferences.settings_save(user=author, choices=ALL_OFF)
    proposal = propose(author)
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="under_review", answer=""
    )
    email = OutboundEmail.objects.get(to=author.email, kind="proposals.status_changed")
    assert "för att du har skrivit förslaget" in email.body_text
    assert "för att du har skrivit förslaget" in email.body_html


def test_the_answer_to_a_join_request_says_why(coordinator):
    applicant = UserFactory()
    preferences.settings_save(user=applicant, choices=ALL_OFF)
    pending = membership(applicant, status="pending")
    group_services.membership_approve(membership=pending, by=coordinator)
    email = OutboundEmail.objects.get(to=applicant.email, kind="groups.join_decision")
    assert "för att du bad om att bli medlem i gruppen" in email.body_text


def test_an_invitation_says_why(coordinator, staff):
    from meetings import services as meeting_services

    preferences.settings_save(user=coordinator, choices=ALL_OFF)
    meeting = make_meeting()
    meeting_services.invitations_build(meeting=meeting, by=staff)
    meeting_services.invitations_send(meeting=meeting, by=staff)
    email = OutboundEmail.objects.filter(to=coordinator.email, kind__startswith="meeting").first()
    assert email is not None
    assert "för att du är inbjuden" in email.body_text


def test_account_emails_say_why(client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "ny@example.se",
            "display_name": "Ny",
            "password1": "Ett-bra-losenord-2026",
            "password2": "Ett-bra-losenord-2026",
        },
    )
    assert response.status_code == 302
    body = OutboundEmail.objects.get(to="ny@example.se").body_text or mail.outbox[0].body
    assert "för att det gäller ditt konto" in body
