"""Building the list, sending invitations, answering by personal link, changes."""

import datetime
import re

import pytest
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from allas.models import OutboundEmail
from meetings import services
from meetings.models import Invitation, NetworkMeeting
from tests.meetings.conftest import make_meeting
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db


def ics_of(row: OutboundEmail) -> Calendar:
    [attachment] = row.attachments
    assert attachment["mimetype"].startswith("text/calendar")
    return Calendar.from_ical(attachment["content"])


def test_the_list_is_built_from_the_roster_one_invitation_per_person(meeting, network, staff):
    # A coordinator who is also an advisory board member is invited once, for the group.
    from meetings.models import NetworkRole
    from tests.factories import membership

    NetworkRole.objects.create(user=network["coordinator"], kind="advisory_board")
    membership(network["coordinator"], slug="tuna", is_delegate=True)
    assert services.invitations_build(meeting=meeting, by=staff) == 5
    rows = {i.email: i for i in meeting.invitations.all()}
    assert len(rows) == 5
    coord = rows[network["coordinator"].email]
    assert coord.represents == "group"
    assert coord.role_description == "Samordnare, Utvecklingsgruppen i Storebro"
    assert rows[
        network["board"].email
    ].role_description == "Ledamot, Styrgruppen, Näringslivet" or (
        "Ledamot" in rows[network["board"].email].role_description
    )
    assert rows[network["municipal"].email].represents == "municipality"
    # Building again adds only people new to the network.
    assert services.invitations_build(meeting=meeting, by=staff) == 0


def test_sending_invites_everyone_once_with_a_calendar_file_and_a_personal_link(
    client, invited, network
):
    rows = OutboundEmail.objects.filter(kind="meetings.invitation")
    assert rows.count() == 5
    row = rows.get(to=network["delegate"].email)
    assert "Inbjudan: Nätverksträff" in row.subject
    assert "Stadshuset" in row.body_text and "kl. 09.00 Välkommen" in row.body_text
    cal = ics_of(row)
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    invitation = invited.invitations.get(email=network["delegate"].email)
    # The invitee's own event: its UID carries a key only the invitation knows.
    assert str(event["UID"]) == invitation.calendar_uid
    assert str(event["UID"]).startswith(f"natverksmote-{invited.pk}-{invitation.pk}-")
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == invited.starts_at
    # iTIP: replies go to the portal's reply address; the invitee is asked to answer.
    assert str(event["ORGANIZER"]) == "mailto:natverksmote@vimmerby.se"
    assert str(event["ATTENDEE"]) == f"mailto:{network['delegate'].email}"
    assert event["ATTENDEE"].params["CN"] == "Ombud Olsson"
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"
    assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
    assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    link = re.search(r"http://127\.0\.0\.1:8000(/natverksmoten/svar/\S+/)", row.body_text).group(1)
    assert client.get(link).status_code == 200
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 0


def test_sending_again_reaches_only_people_added_since(invited, staff):
    assert services.invitations_send(meeting=invited, by=staff) == 0
    services.invitation_add_guest(
        meeting=invited, name="Gäst Gustafsson", email="gast@example.se", by=staff
    )
    assert services.invitations_send(meeting=invited, by=staff) == 1
    assert OutboundEmail.objects.filter(kind="meetings.invitation").count() == 6
    assert OutboundEmail.objects.filter(to="gast@example.se").count() == 1


@pytest.mark.parametrize("status", ["cancelled", "held", "draft"])
def test_sending_for_a_meeting_that_is_not_published_is_refused(network, staff, status):
    meeting = make_meeting(status="published")
    services.invitations_build(meeting=meeting, by=staff)
    NetworkMeeting.objects.filter(pk=meeting.pk).update(status=status)
    with pytest.raises(services.MeetingError):
        services.invitations_send(meeting=meeting, by=staff)
    assert not OutboundEmail.objects.exists()
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [
        ("Gäst", "inte-en-adress", "inte en giltig e-postadress"),
        ("", "gast@example.se", "Skriv gästens namn."),
        ("Gäst", "GAST@example.se", "redan inbjuden"),
    ],
)
def test_a_bad_guest_is_refused_and_changes_nothing(meeting, staff, name, email, message):
    services.invitation_add_guest(meeting=meeting, name="Gäst", email="gast@example.se", by=staff)
    with pytest.raises(services.MeetingError, match=message):
        services.invitation_add_guest(meeting=meeting, name=name, email=email, by=staff)
    assert meeting.invitations.count() == 1


# -- answering ---------------------------------------------------------------------


def invitation_of(meeting, user):
    return meeting.invitations.get(email=user.email)


def test_an_invitee_answers_yes_with_needs_without_logging_in(client, invited, network):
    inv = invitation_of(invited, network["delegate"])
    page = client.get(f"/natverksmoten/svar/{inv.token}/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert_valid_html(page.content)
    content = page.content.decode()
    assert "Hej Ombud Olsson!" in content and "Stadshuset" in content
    client.post(
        f"/natverksmoten/svar/{inv.token}/",
        {"answer": "yes", "dietary_needs": "Vegetarisk", "accessibility_needs": "Hörslinga"},
    )
    inv.refresh_from_db()
    assert (inv.answer, inv.dietary_needs, inv.accessibility_needs) == (
        "yes",
        "Vegetarisk",
        "Hörslinga",
    )
    client.post(f"/natverksmoten/svar/{inv.token}/", {"answer": "no"})
    inv.refresh_from_db()
    assert (inv.answer, inv.dietary_needs) == ("no", "")


def test_the_answer_page_reveals_nothing_about_other_invitees(client, invited, network):
    inv = invitation_of(invited, network["delegate"])
    content = client.get(f"/natverksmoten/svar/{inv.token}/").content.decode()
    for person in ("coordinator", "municipal", "board"):
        assert network[person].email not in content
        assert network[person].display_name not in content


def test_an_answer_after_the_deadline_is_refused_and_the_page_says_so(client, invited, network):
    inv = invitation_of(invited, network["delegate"])
    with freeze_time(invited.rsvp_deadline + datetime.timedelta(minutes=1)):
        content = client.get(f"/natverksmoten/svar/{inv.token}/").content.decode()
        assert "Sista dagen för att svara har passerat" in content
        assert "Stadshuset" in content
        response = client.post(f"/natverksmoten/svar/{inv.token}/", {"answer": "yes"}, follow=True)
    assert "Sista dagen för att svara har passerat" in response.content.decode()
    inv.refresh_from_db()
    assert inv.answer == "pending"


@pytest.mark.parametrize("mangle", ["wrong-selector", "wrong-verifier", "short", "empty"])
def test_a_forged_token_is_404(client, invited, network, mangle):
    token = invitation_of(invited, network["delegate"]).token
    forged = {
        "wrong-selector": "A" * 16 + token[16:],
        "wrong-verifier": token[:16] + "B" * 32,
        "short": token[:-1],
        "empty": "x",
    }[mangle]
    assert client.get(f"/natverksmoten/svar/{forged}/").status_code == 404
    before = list(Invitation.objects.values_list("answer", flat=True))
    assert client.post(f"/natverksmoten/svar/{forged}/", {"answer": "yes"}).status_code == 404
    assert list(Invitation.objects.values_list("answer", flat=True)) == before


def test_a_token_expires_a_month_after_the_meeting(client, invited, network):
    inv = invitation_of(invited, network["delegate"])
    with freeze_time(invited.ends_at + datetime.timedelta(days=31)):
        assert client.get(f"/natverksmoten/svar/{inv.token}/").status_code == 404


def test_tokens_are_long_and_random(invited):
    tokens = list(Invitation.objects.values_list("token", flat=True))
    assert all(len(t) == 48 for t in tokens)
    assert len(set(tokens)) == len(tokens)


# -- changes -----------------------------------------------------------------------


def test_moving_a_published_meeting_sends_an_update_with_a_higher_sequence(
    staff_client, invited, network
):
    decliner = invitation_of(invited, network["board"])
    services.invitation_answer(invitation=decliner, answer="no")
    new_start = invited.starts_at + datetime.timedelta(days=1)
    data = {
        "title": invited.title,
        "theme": "",
        "purpose": invited.purpose,
        "starts_at_0": timezone.localtime(new_start).strftime("%Y-%m-%d"),
        "starts_at_1": "09:00",
        "ends_at_0": timezone.localtime(new_start).strftime("%Y-%m-%d"),
        "ends_at_1": "16:00",
        "venue": "Bygdegården",
        "address": "",
        "online_link": "",
        "rsvp_deadline_0": timezone.localtime(invited.rsvp_deadline).strftime("%Y-%m-%d"),
        "rsvp_deadline_1": "12:00",
        "report_deadline_0": timezone.localtime(invited.report_deadline).strftime("%Y-%m-%d"),
        "report_deadline_1": "12:00",
        "capacity": "",
        "minutes": "",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(f"/admin/meetings/networkmeeting/{invited.pk}/change/", data)
    assert response.status_code == 302, response.content[:3000]
    invited.refresh_from_db()
    assert invited.sequence == 1 and invited.venue == "Bygdegården"
    updates = OutboundEmail.objects.filter(kind="meetings.update")
    assert sorted(updates.values_list("to", flat=True)) == sorted(
        network[p].email for p in ("coordinator", "other_coordinator", "delegate", "municipal")
    )
    cal = ics_of(updates.first())
    [event] = cal.walk("VEVENT")
    assert event["SEQUENCE"] == 1 and "Bygdegården" in str(event["LOCATION"])
    assert cal["METHOD"] == "REQUEST"


def test_cancelling_sends_method_cancel_to_everyone_told(invited, staff, network):
    services.invitation_answer(invitation=invitation_of(invited, network["board"]), answer="no")
    assert services.meeting_cancel(meeting=invited, reason="Lokalen brann.", by=staff) == 4
    row = OutboundEmail.objects.filter(kind="meetings.cancelled").first()
    assert "Lokalen brann." in row.body_text and "Lokalen brann." in row.body_html
    cal = ics_of(row)
    assert cal["METHOD"] == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    with pytest.raises(services.MeetingError):
        services.invitations_send(meeting=invited, by=staff)


def test_saving_without_changing_time_or_place_sends_nothing(invited, staff):
    before = {f: getattr(invited, f) for f in services.TIME_AND_PLACE}
    invited.purpose = "Ny text"
    invited.save()
    assert services.meeting_changed(meeting=invited, before=before, by=staff) == 0
    assert not OutboundEmail.objects.filter(kind="meetings.update").exists()


# -- calendar files ----------------------------------------------------------------


def test_calendar_files_for_one_and_all_published_meetings(client, invited):
    make_meeting(status="draft", title="Hemligt utkast")
    for path in [f"/natverksmoten/{invited.pk}/kalender.ics", "/natverksmoten/kalender.ics"]:
        response = client.get(path)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        cal = Calendar.from_ical(response.content)
        summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
        assert summaries == ["Nätverksträff"]
        assert cal["METHOD"] == "PUBLISH"
