"""The yearly meeting's invitations through the real stack: a Celery worker on Redis
delivering to an SMTP server on loopback."""

import re
import signal
import time

import pytest
from icalendar import Calendar

from allas.models import OutboundEmail
from allas.tasks import deliver_email, outbox_sweep
from groups.models import DevelopmentGroup, Membership
from meetings import services
from meetings.models import Invitation
from tests.factories import UserFactory
from tests.integration.conftest import wait_for
from tests.meetings.conftest import make_meeting

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def network_of(n):
    users = UserFactory.create_batch(n, verified=False)
    groups = list(DevelopmentGroup.objects.all())
    Membership.objects.bulk_create(
        Membership(
            user=u, group=groups[i % 10], status="active", sector="resident", is_delegate=True
        )
        for i, u in enumerate(users)
    )
    return users


def sent_count(kind="meetings.invitation"):
    return OutboundEmail.objects.filter(kind=kind, status="sent").count()


def drain(smtp_server):
    """Waits until the queue is empty: a marker e-mail queued last has been sent."""
    from allas import services as outbox

    marker = outbox.email_queue(
        to="marker@example.se", subject=f"Markör {time.time()}", body_text="."
    )
    wait_for(
        lambda: OutboundEmail.objects.get(pk=marker.pk).status == "sent",
        timeout=120,
        what="the queue to drain",
    )


def test_300_invitations_are_delivered_once_with_calendar_files_and_working_links(
    client, smtp_server, start_worker
):
    network_of(300)
    meeting = make_meeting()
    services.invitations_build(meeting=meeting, by=None)
    start_worker()
    assert services.invitations_send(meeting=meeting, by=None) == 300
    wait_for(lambda: sent_count() == 300, timeout=180, what="300 invitations to be sent")

    invitations = [m for m in smtp_server.messages if "Inbjudan" in m["Subject"]]
    assert len(invitations) == 300
    assert len({m["To"] for m in invitations}) == 300
    tokens = set(Invitation.objects.values_list("token", flat=True))
    for message in invitations:
        [ics] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        cal = Calendar.from_ical(ics.get_payload(decode=True))
        assert cal["METHOD"] == "REQUEST"
        [event] = cal.walk("VEVENT")
        # Each invitee's own event (Invitation.calendar_uid), replies go to the portal.
        assert str(event["UID"]).startswith(f"natverksmote-{meeting.pk}-")
        assert str(event["ORGANIZER"]) == "mailto:natverksmote@vimmerby.se"
        assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
        token = re.search(r"/natverksmoten/svar/(\S+)/", text.get_content()).group(1)
        assert token in tokens
    for token in list(tokens)[:300]:
        assert client.get(f"/natverksmoten/svar/{token}/").status_code == 200

    # Sending again, and redelivering every task, sends nothing more.
    assert services.invitations_send(meeting=meeting, by=None) == 0
    for email_id in OutboundEmail.objects.values_list("pk", flat=True):
        deliver_email.delay(email_id)
    drain(smtp_server)
    assert len([m for m in smtp_server.messages if "Inbjudan" in m["Subject"]]) == 300


def test_a_worker_killed_halfway_and_restarted_finishes_with_no_duplicates(
    smtp_server, start_worker
):
    network_of(120)
    meeting = make_meeting()
    services.invitations_build(meeting=meeting, by=None)
    smtp_server.hold_after = 50
    env = {"OUTBOX_CLAIM_SECONDS": "2"}
    worker = start_worker(**env)
    services.invitations_send(meeting=meeting, by=None)
    # The worker is stuck in its 51st SMTP session, before any message data: kill it.
    assert smtp_server.holding.wait(timeout=120)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    smtp_server.release()
    assert len(smtp_server.messages) == 50
    assert sent_count() == 50

    start_worker(**env)
    time.sleep(3)  # the dead worker's claim on its row runs out
    outbox_sweep.delay()
    wait_for(lambda: sent_count() == 120, timeout=180, what="the rest to be sent")
    recipients = [m["To"] for m in smtp_server.messages if "Inbjudan" in m["Subject"]]
    assert len(recipients) == 120 and len(set(recipients)) == 120


def test_with_smtp_down_nothing_is_lost_and_all_is_delivered_once_it_is_back(
    smtp_server, start_worker
):
    network_of(20)
    meeting = make_meeting()
    services.invitations_build(meeting=meeting, by=None)
    smtp_server.stop()
    start_worker()
    services.invitations_send(meeting=meeting, by=None)
    wait_for(
        lambda: (
            OutboundEmail.objects.filter(
                kind="meetings.invitation", status="retrying", attempts=3
            ).count()
            == 20
        ),
        timeout=120,
        what="every delivery to fail while SMTP is down",
    )
    assert smtp_server.messages == []
    smtp_server.start()
    outbox_sweep.delay()
    wait_for(lambda: sent_count() == 20, timeout=120, what="delivery once SMTP is back")
    outbox_sweep.delay()
    drain(smtp_server)
    recipients = [m["To"] for m in smtp_server.messages if "Inbjudan" in m["Subject"]]
    assert len(recipients) == 20 and len(set(recipients)) == 20
