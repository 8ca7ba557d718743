"""Answers from calendar programs (iTIP REPLY by e-mail, RFC 5546/6047), through the real
`receive_mail` command: REPLY messages shaped as Outlook, Google Calendar and Apple
Calendar send them, and the ones that must change nothing."""

import datetime
import io
import logging
import os
import subprocess
import sys
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar, Event, vCalAddress, vText

from allas.models import OutboundEmail
from meetings.models import CalendarReply, Invitation, NetworkMeeting

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REPLY_TO = "natverksmote@vimmerby.se"


# -- REPLY messages as the three big calendar programs send them ----------------------


def reply_ics(
    *, uid, attendee, partstat, prodid, name="Ombud Olsson", upper_mailto=False, method="REPLY"
):
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.now() + datetime.timedelta(days=30))
    event.add("sequence", 0)
    event.add("summary", "Nätverksträff")
    organizer = vCalAddress(f"mailto:{REPLY_TO}")
    event.add("organizer", organizer)
    who = vCalAddress(f"{'MAILTO' if upper_mailto else 'mailto'}:{attendee}")
    who.params["partstat"] = vText(partstat)
    who.params["cn"] = vText(name)
    event.add("attendee", who)
    cal.add_component(event)
    return cal.to_ical()


def headers(message, *, sender, subject):
    message["From"] = formataddr(("Ombud Olsson", sender))
    message["To"] = REPLY_TO
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="example.se")
    return message


def outlook(*, uid, attendee, partstat, sender=None, method="REPLY"):
    """Outlook: multipart/alternative, the REPLY inline as text/calendar; method=REPLY,
    base64, attendee written MAILTO:."""
    message = MIMEMultipart("alternative")
    word = {"ACCEPTED": "Godkänd", "DECLINED": "Avböjd", "TENTATIVE": "Preliminär"}[partstat]
    headers(message, sender=sender or attendee, subject=f"{word}: Nätverksträff")
    message.attach(MIMEText("", "plain", "utf-8"))
    ics = reply_ics(
        uid=uid,
        attendee=attendee,
        partstat=partstat,
        prodid="-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
        upper_mailto=True,
        method=method,
    )
    part = MIMEApplication(ics, "calendar", name="")
    part.replace_header("Content-Type", 'text/calendar; charset="utf-8"; method=REPLY')
    message.attach(part)
    return message.as_bytes()


def google(*, uid, attendee, partstat, sender=None):
    """Google Calendar: multipart/mixed holding multipart/alternative (text, HTML and the
    REPLY as text/calendar) and the same REPLY again as the attachment invite.ics."""
    ics = reply_ics(
        uid=uid,
        attendee=attendee,
        partstat=partstat,
        prodid="-//Google Inc//Google Calendar 70.9054//EN",
    )
    message = MIMEMultipart("mixed")
    word = {"ACCEPTED": "Accepted", "DECLINED": "Declined", "TENTATIVE": "Tentatively Accepted"}
    headers(
        message, sender=sender or attendee, subject=f"{word.get(partstat, partstat)}: Nätverksträff"
    )
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("Ombud Olsson has accepted this invitation.", "plain", "utf-8"))
    alternative.attach(MIMEText("<p>Ombud Olsson has accepted.</p>", "html", "utf-8"))
    inline = MIMEText(ics.decode(), "calendar", "utf-8")
    inline.set_param("method", "REPLY")
    alternative.attach(inline)
    message.attach(alternative)
    attachment = MIMEApplication(ics, "ics", name="invite.ics")
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(attachment)
    return message.as_bytes()


def apple(*, uid, attendee, partstat, sender=None):
    """Apple Calendar: a short text and the REPLY as an attached .ics, quoted-printable."""
    ics = reply_ics(
        uid=uid,
        attendee=attendee,
        partstat=partstat,
        prodid="-//Apple Inc.//macOS 14.4//EN",
    )
    message = MIMEMultipart("mixed")
    headers(message, sender=sender or attendee, subject="Inbjudan: Nätverksträff")
    message.attach(MIMEText("Ombud Olsson har svarat.", "plain", "utf-8"))
    from email import charset

    part = MIMEText("", "calendar")
    qp = charset.Charset("utf-8")
    qp.body_encoding = charset.QP
    part.set_payload(ics.decode(), qp)
    part.set_param("method", "REPLY")
    part.set_param("name", "iCal-20261201-095512.ics")
    part.add_header("Content-Disposition", "attachment", filename="iCal-20261201-095512.ics")
    message.attach(part)
    return message.as_bytes()


PROGRAMS = {"outlook": outlook, "google": google, "apple": apple}


def receive(raw: bytes):
    """Delivers the e-mail through the real command, as an MTA pipe would."""
    call_command("receive_mail", stdin=io.BytesIO(raw))


def state():
    return (
        sorted(
            Invitation.objects.values_list(
                "id", "answer", "answered_at", "dietary_needs", "answer_version"
            )
        ),
        OutboundEmail.objects.count(),
    )


@pytest.fixture
def delegate_inv(invited, network):
    return invited.invitations.get(email=network["delegate"].email)


def partstat_of(row: OutboundEmail, email: str) -> str:
    [attachment] = row.attachments
    cal = Calendar.from_ical(attachment["content"])
    [event] = cal.walk("VEVENT")
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{email}"
    return str(attendee.params["PARTSTAT"])


# -- recorded ------------------------------------------------------------------------


@pytest.mark.parametrize("program", PROGRAMS)
@pytest.mark.parametrize(
    ("partstat", "answer"),
    [("ACCEPTED", "yes"), ("DECLINED", "no"), ("TENTATIVE", "maybe")],
)
def test_a_calendar_reply_records_the_answer_and_sends_a_confirmation(
    delegate_inv, program, partstat, answer, caplog
):
    raw = PROGRAMS[program](
        uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat=partstat
    )
    with caplog.at_level(logging.INFO, logger="meetings.inbound"):
        receive(raw)
    delegate_inv.refresh_from_db()
    assert delegate_inv.answer == answer
    assert delegate_inv.answered_by == "calendar"
    log = CalendarReply.objects.get()
    assert (log.outcome, log.invitation_id, log.partstat) == ("recorded", delegate_inv.pk, partstat)
    assert "Calendar reply recorded" in caplog.text
    # The confirmation carries the invitee's own PARTSTAT back to the calendar.
    confirmation = OutboundEmail.objects.get(kind="meetings.confirmation")
    assert confirmation.to == delegate_inv.email
    assert partstat_of(confirmation, delegate_inv.email) == partstat
    assert "Du svarade från din kalender." in confirmation.body_text


def test_maybe_is_shown_to_staff(staff_client, delegate_inv):
    receive(
        google(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat="TENTATIVE")
    )
    content = staff_client.get(
        f"/admin/meetings/networkmeeting/{delegate_inv.meeting_id}/inbjudningar/"
    ).content.decode()
    assert '<td id="count-maybe">1</td>' in content
    assert "Kanske <span" in content and "(från kalendern)" in content


def test_the_same_reply_twice_changes_nothing_the_second_time(delegate_inv):
    raw = outlook(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat="ACCEPTED")
    receive(raw)
    before = state()
    receive(raw)
    assert state() == before
    assert list(CalendarReply.objects.values_list("outcome", flat=True)) == [
        "unchanged",
        "recorded",
    ]


def test_a_changed_answer_from_the_calendar_sends_an_updated_confirmation(delegate_inv):
    receive(apple(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat="ACCEPTED"))
    receive(apple(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat="DECLINED"))
    delegate_inv.refresh_from_db()
    assert delegate_inv.answer == "no"
    rows = OutboundEmail.objects.filter(kind="meetings.confirmation").order_by("id")
    assert [partstat_of(r, delegate_inv.email) for r in rows] == ["ACCEPTED", "DECLINED"]


def test_a_calendar_answer_keeps_the_needs_written_on_the_answer_page(delegate_inv):
    from meetings import services

    services.invitation_answer(invitation=delegate_inv, answer="yes", dietary_needs="Vegansk")
    receive(
        outlook(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat="TENTATIVE")
    )
    delegate_inv.refresh_from_db()
    assert (delegate_inv.answer, delegate_inv.dietary_needs) == ("maybe", "Vegansk")


# -- refused: nothing changes, and it is logged --------------------------------------


def _other(invited, network):
    return invited.invitations.get(email=network["municipal"].email)


REFUSED = {
    # (A reply from another address with the personal UID counts and is confirmed to the
    # invited address: see test_calendar_reply_other_address.py.)
    # The meeting's public UID (from the public .ics) is not an invitation's.
    "forged public UID": lambda inv, other: google(
        uid=f"natverksmote-{inv.meeting_id}@allas-vimmerby", attendee=inv.email, partstat="DECLINED"
    ),
    # A guessed key.
    "forged key": lambda inv, other: google(
        uid=f"natverksmote-{inv.meeting_id}-{inv.pk}-{'0' * 24}@allas-vimmerby",
        attendee=inv.email,
        partstat="DECLINED",
    ),
    "unknown UID": lambda inv, other: apple(
        uid="040000008200E00074C5B7101A82E008@outlook.com", attendee=inv.email, partstat="DECLINED"
    ),
    # Another invitee's event, answered for the delegate's address.
    "wrong attendee": lambda inv, other: outlook(
        uid=other.calendar_uid, attendee=inv.email, partstat="DECLINED"
    ),
    "malformed calendar": lambda inv, other: (
        b"From: person3@example.se\r\nTo: natverksmote@vimmerby.se\r\nSubject: x\r\n"
        b'Content-Type: text/calendar; method=REPLY; charset="utf-8"\r\n\r\n'
        b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nDTSTART:not-a-date\r\n"
    ),
    "no calendar at all": lambda inv, other: (
        b"From: person3@example.se\r\nSubject: Out of office\r\n\r\nI am away.\r\n"
    ),
    "not an e-mail": lambda inv, other: b"\x00\xff\xfe garbage \x00",
    "a REQUEST, not a REPLY": lambda inv, other: outlook(
        uid=inv.calendar_uid, attendee=inv.email, partstat="ACCEPTED", method="REQUEST"
    ),
    "no answer in it": lambda inv, other: google(
        uid=inv.calendar_uid, attendee=inv.email, partstat="DELEGATED"
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_reply_that_may_not_be_recorded_changes_nothing_and_is_logged(
    invited, network, delegate_inv, case, caplog
):
    raw = REFUSED[case](delegate_inv, _other(invited, network))
    before = state()
    with caplog.at_level(logging.WARNING, logger="meetings.inbound"):
        receive(raw)  # exit 0: deliberately ignored, the MTA must not bounce or retry
    assert state() == before
    log = CalendarReply.objects.get()
    assert log.outcome == "ignored" and log.reason
    assert "Calendar reply ignored" in caplog.text


def test_a_reply_after_the_answer_deadline_changes_nothing(delegate_inv):
    raw = outlook(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat="ACCEPTED")
    before = state()
    with freeze_time(delegate_inv.meeting.rsvp_deadline + datetime.timedelta(minutes=1)):
        receive(raw)
    assert state() == before
    assert CalendarReply.objects.get().reason.startswith("the answer deadline has passed")


def test_a_reply_to_a_cancelled_meeting_changes_nothing(delegate_inv, staff):
    from meetings import services

    services.meeting_cancel(meeting=delegate_inv.meeting, reason="Sjukdom", by=staff)
    before = state()
    receive(
        outlook(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat="ACCEPTED")
    )
    assert state() == before
    assert CalendarReply.objects.get().outcome == "ignored"


def test_imap_needs_a_tls_address(settings):
    settings.MEETING_IMAP_URL = "imap://user:secret@mail.example.se/INBOX"
    with pytest.raises(CommandError, match="TLS only"):
        call_command("receive_mail", "--imap")


# -- the command as the MTA runs it ----------------------------------------------------


def _run(raw: bytes, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    return subprocess.run(
        [sys.executable, "manage.py", "receive_mail"],
        input=raw,
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_an_mta_pipes_a_reply_into_the_command_and_it_exits_0(coordinator, staff):
    if connection.vendor != "postgresql":
        pytest.skip("the subprocess needs the same PostgreSQL test database")
    from meetings import services
    from tests.meetings.conftest import make_meeting

    meeting = make_meeting()
    services.invitations_build(meeting=meeting, by=staff)
    services.invitations_send(meeting=meeting, by=staff)
    inv = meeting.invitations.get()
    result = _run(
        outlook(uid=inv.calendar_uid, attendee=inv.email, partstat="ACCEPTED"), _database_url()
    )
    assert result.returncode == 0, result.stderr.decode()
    inv.refresh_from_db()
    assert inv.answer == "yes"
    assert NetworkMeeting.objects.get().invitations.get().answered_by == "calendar"


def test_with_the_database_down_the_command_exits_75_so_the_mta_tries_again(delegate_inv):
    # Nothing listens on port 9: the database cannot be reached.
    result = _run(
        outlook(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, partstat="ACCEPTED"),
        "postgres://postgres@127.0.0.1:9/allas_nowhere",
    )
    assert result.returncode == 75, result.stderr.decode()[-2000:]
    assert b"temporary failure" in result.stderr
