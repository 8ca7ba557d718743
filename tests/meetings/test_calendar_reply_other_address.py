"""A calendar answer sent from another address of the invited person: Outlook working
through MAPI against a BlueMind server sends the REPLY from the account's primary address
(…@bluemind.net), while the invitation went to an alias (…@blue-mind.net). The reply carries
the invitation's personal UID and the invited address as ATTENDEE, so it counts, and the
confirmation goes to the invited address, where a forged answer would be seen."""

import base64
import io
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone

from allas.models import OutboundEmail
from meetings import services
from meetings.models import CalendarReply, Invitation
from tests.factories import UserFactory, membership

pytestmark = pytest.mark.django_db

INVITED = "ombud.olsson@blue-mind.net"
SENDER = "ombud.olsson@bluemind.net"
BOUNDARY = "_000_AM9PR07MB71384E2C6F0A1D5B9E3C47A1D2B80AM9PR07MB7138eurp_"


def fold(line: str) -> str:
    """RFC 5545 folding as Outlook does it: 75 octets, continued after CRLF and a space."""
    data, out = line.encode(), []
    while len(data) > 75:
        cut = 75
        while data[cut] & 0xC0 == 0x80:  # never inside a UTF-8 sequence
            cut -= 1
        out.append(data[:cut])
        data = b" " + data[cut:]
    out.append(data)
    return b"\r\n".join(out).decode()


def mapi_reply_ics(*, uid: str, attendee: str, partstat: str = "ACCEPTED") -> bytes:
    """The REPLY as Outlook 16 writes it through MAPI: a Windows time zone, the attendee
    with a quoted CN, Microsoft's own properties."""
    start = (timezone.now() + timezone.timedelta(days=30)).strftime("%Y%m%dT090000")
    end = (timezone.now() + timezone.timedelta(days=30)).strftime("%Y%m%dT160000")
    word = {"ACCEPTED": "Godkänd", "DECLINED": "Avböjd", "TENTATIVE": "Preliminär"}[partstat]
    lines = [
        "BEGIN:VCALENDAR",
        "METHOD:REPLY",
        "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
        "VERSION:2.0",
        "BEGIN:VTIMEZONE",
        "TZID:W. Europe Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16010101T030000",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010101T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        f'ATTENDEE;CN="Ombud Olsson";PARTSTAT={partstat};RSVP=TRUE:mailto:{attendee}',
        "COMMENT;LANGUAGE=sv-SE:\\n",
        "ORGANIZER;CN=Vimmerby kommun:mailto:natverksmote@vimmerby.se",
        f"SUMMARY;LANGUAGE=sv-SE:{word}: Nätverksträff",
        f"DTSTART;TZID=W. Europe Standard Time:{start}",
        f"DTEND;TZID=W. Europe Standard Time:{end}",
        f"UID:{uid}",
        "CLASS:PUBLIC",
        "PRIORITY:5",
        f"DTSTAMP:{timezone.now().strftime('%Y%m%dT%H%M%SZ')}",
        "TRANSP:OPAQUE",
        "STATUS:CONFIRMED",
        "SEQUENCE:0",
        "LOCATION;LANGUAGE=sv-SE:Stadshuset",
        "X-MICROSOFT-CDO-APPT-SEQUENCE:0",
        "X-MICROSOFT-CDO-OWNERAPPTID:-1",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY",
        "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
        "X-MICROSOFT-CDO-IMPORTANCE:1",
        "X-MICROSOFT-CDO-INSTTYPE:0",
        "X-MICROSOFT-DISALLOW-COUNTER:FALSE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(f"{fold(line)}\r\n" for line in lines).encode()


def mapi_reply(*, uid: str, attendee: str = INVITED, sender: str = SENDER, **ics) -> bytes:
    """The whole e-mail as it reaches the portal's mail server."""
    calendar = base64.encodebytes(mapi_reply_ics(uid=uid, attendee=attendee, **ics))
    text = base64.encodebytes(b"Ombud Olsson har accepterat.\r\n")
    head = (
        f"Return-Path: <{sender}>\r\n"
        "Received: from mx1.bluemind.net (mx1.bluemind.net [203.0.113.25])\r\n"
        "\tby mx.vimmerby.se (Postfix) with ESMTPS id 4Xk2Lq0T3Zz9sWd\r\n"
        "\tfor <natverksmote@vimmerby.se>; Tue, 17 Nov 2026 09:41:12 +0100 (CET)\r\n"
        f"From: Ombud Olsson <{sender}>\r\n"
        'To: "Vimmerby kommun" <natverksmote@vimmerby.se>\r\n'
        "Subject: =?utf-8?Q?Godk=C3=A4nd:_N=C3=A4tverkstr=C3=A4ff?=\r\n"
        "Thread-Topic: =?utf-8?Q?N=C3=A4tverkstr=C3=A4ff?=\r\n"
        "Thread-Index: AQHbOJ2Xh0m8QnF1kE2y5c3V7pWq9g==\r\n"
        "Date: Tue, 17 Nov 2026 08:41:10 +0000\r\n"
        "Message-ID: <AM9PR07MB71384E2C6F0A1D5B9E3C47A1D2B80@AM9PR07MB7138.eurprd07.prod"
        ".outlook.com>\r\n"
        "Accept-Language: sv-SE, en-US\r\n"
        "Content-Language: sv-SE\r\n"
        "X-MS-Has-Attach:\r\n"
        "X-MS-TNEF-Correlator:\r\n"
        "X-Mailer: Microsoft Outlook 16.0\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/alternative;\r\n\tboundary="{BOUNDARY}"\r\n'
        "\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
    )
    middle = (
        f"\r\n--{BOUNDARY}\r\n"
        'Content-Type: text/calendar; charset="utf-8"; method=REPLY\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
    )
    return (
        head.encode()
        + text.replace(b"\n", b"\r\n")
        + middle.encode()
        + calendar.replace(b"\n", b"\r\n")
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


@pytest.fixture
def invitation(meeting, staff):
    """The delegate was invited at the alias their organisation gave the portal."""
    delegate = UserFactory(display_name="Ombud Olsson", email=INVITED)
    membership(delegate, slug="tuna", is_delegate=True)
    services.invitations_build(meeting=meeting, by=staff)
    services.invitations_send(meeting=meeting, by=staff)
    return meeting.invitations.get(email=INVITED)


def receive(raw: bytes) -> None:
    call_command("receive_mail", stdin=io.BytesIO(raw))


def state():
    return (
        sorted(Invitation.objects.values_list("id", "answer", "answered_at", "answer_version")),
        OutboundEmail.objects.count(),
    )


def test_an_outlook_reply_from_another_address_counts_and_is_confirmed_to_the_invited_one(
    invitation, caplog
):
    sent_before = set(OutboundEmail.objects.values_list("id", flat=True))
    with caplog.at_level(logging.INFO, logger="meetings.inbound"):
        receive(mapi_reply(uid=invitation.calendar_uid))
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.answered_by) == ("yes", "calendar")
    log = CalendarReply.objects.get()
    assert (log.outcome, log.invitation_id, log.sender, log.attendee) == (
        "recorded",
        invitation.pk,
        SENDER,
        INVITED,
    )
    assert f"another address than the invited {INVITED}" in log.reason
    assert f"sent from {SENDER}, not the invited address" in caplog.text
    # The one e-mail it causes goes to the invited address, never to the sender's.
    [confirmation] = OutboundEmail.objects.exclude(id__in=sent_before)
    assert (confirmation.kind, confirmation.to) == ("meetings.confirmation", INVITED)


def test_a_declined_answer_from_another_address_also_counts(invitation):
    receive(mapi_reply(uid=invitation.calendar_uid, partstat="DECLINED"))
    invitation.refresh_from_db()
    assert invitation.answer == "no"
    assert OutboundEmail.objects.filter(kind="meetings.confirmation", to=INVITED).count() == 1


@pytest.mark.parametrize(
    "uid",
    [
        # The meeting's public UID, found in the public calendar feed.
        "natverksmote-{meeting}@allas-vimmerby",
        # Outlook's own UID for an event it made itself.
        "040000008200E00074C5B7101A82E00800000000D0C3B5A1E2F0DC01000000000000000010000000"
        "7A3C5B1E9D4F2A46B8E1C0D9F7A6B5C4",
        # The invitation's ids with a guessed key.
        "natverksmote-{meeting}-{invitation}-" + "0" * 24 + "@allas-vimmerby",
    ],
)
def test_a_reply_from_another_address_without_the_personal_uid_is_ignored(invitation, uid):
    before = state()
    receive(mapi_reply(uid=uid.format(meeting=invitation.meeting_id, invitation=invitation.pk)))
    assert state() == before
    log = CalendarReply.objects.get()
    assert (log.outcome, log.reason, log.invitation_id) == ("ignored", "unknown UID", None)


@pytest.mark.parametrize("attendee", [SENDER, "someone.else@blue-mind.net"])
def test_a_reply_with_the_personal_uid_but_an_attendee_not_invited_is_ignored(invitation, attendee):
    before = state()
    receive(mapi_reply(uid=invitation.calendar_uid, attendee=attendee))
    assert state() == before
    log = CalendarReply.objects.get()
    assert (log.outcome, log.reason) == ("ignored", "the attendee is not the invited address")


def test_a_reply_from_the_invited_address_itself_is_not_marked_as_from_another(invitation):
    receive(mapi_reply(uid=invitation.calendar_uid, sender=INVITED))
    log = CalendarReply.objects.get()
    assert (log.outcome, log.reason) == ("recorded", "ACCEPTED → yes")
