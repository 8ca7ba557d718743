"""E-mails `receive_mail` cannot use: NUL bytes, undecodable text, nesting thousands deep,
parts far too large. Each is ignored with its reason in the log and exit status 0, so that
the mail server does not keep retrying it; only a database that cannot be reached gives 75."""

import io
import logging
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DataError, connection

from allas.models import OutboundEmail
from meetings import inbound
from meetings.models import CalendarReply, Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegate_inv(invited, network):
    return invited.invitations.get(email=network["delegate"].email)


def ics(*, uid: str, attendee: str, partstat: str = "ACCEPTED", extra: str = "") -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nPRODID:-//Apple Inc.//macOS 14.4//EN\r\n"
        "VERSION:2.0\r\nBEGIN:VEVENT\r\n"
        f"ATTENDEE;CN=Ombud Olsson;PARTSTAT={partstat}:mailto:{attendee}\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261117T084110Z\r\nSEQUENCE:0\r\n{extra}"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def reply(
    *, calendar: bytes, sender: str, message_id: str = "<svar-1@example.se>", prefix=b""
) -> bytes:
    """A reply with the calendar as its only part, sent 8bit as some programs do."""
    return (
        f"From: Ombud Olsson <{sender}>\r\nTo: natverksmote@vimmerby.se\r\n"
        f"Subject: Accepted\r\nMessage-ID: {message_id}\r\nMIME-Version: 1.0\r\n".encode()
        + prefix
        + b'Content-Type: text/calendar; method=REPLY; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + calendar
    )


def nested(body: bytes, depth: int) -> bytes:
    """`body` (a part with its headers) inside `depth` multipart/mixed levels."""
    head = b"From: ombud@example.se\r\nMIME-Version: 1.0\r\n"
    for level in range(depth):
        head += b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (level, level)
    tail = b"".join(b"\r\n--b%d--\r\n" % level for level in reversed(range(depth)))
    return head + body + tail


def state():
    return (
        sorted(Invitation.objects.values_list("id", "answer", "answered_at", "answer_version")),
        OutboundEmail.objects.count(),
    )


def receive(raw: bytes) -> None:
    # Exit status 0: call_command raises CommandError(returncode=75) otherwise.
    call_command("receive_mail", stdin=io.BytesIO(raw))


def assert_clean(log: CalendarReply, caplog) -> None:
    """Neither the stored row nor the log lines hold NUL or other control characters."""
    texts = [log.sender, log.message_id, log.uid, log.attendee, log.partstat, log.reason]
    texts += [record.getMessage() for record in caplog.records]
    for text in texts:
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text), repr(text)


def test_a_nul_in_the_message_id_of_a_valid_reply_is_recorded_and_logged(delegate_inv, caplog):
    raw = reply(
        calendar=ics(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email),
        sender=delegate_inv.email,
        message_id="<svar\x00-1@example.se>",
    )
    with caplog.at_level(logging.INFO, logger="meetings.inbound"):
        receive(raw)
    delegate_inv.refresh_from_db()
    assert delegate_inv.answer == "yes"
    log = CalendarReply.objects.get()
    assert (log.outcome, log.message_id, log.invitation_id) == (
        "recorded",
        "<svar-1@example.se>",
        delegate_inv.pk,
    )
    assert_clean(log, caplog)


@pytest.mark.parametrize(
    ("where", "reason"),
    [("attendee", "the attendee is not the invited address"), ("uid", "unknown UID")],
)
def test_a_nul_in_the_attendee_or_uid_is_ignored_and_logged(delegate_inv, where, reason, caplog):
    uid, attendee = delegate_inv.calendar_uid, delegate_inv.email
    if where == "uid":
        uid = uid[:20] + "\x00" + uid[20:]
    else:
        attendee = attendee[:3] + "\x00" + attendee[3:]
    before = state()
    with caplog.at_level(logging.INFO, logger="meetings.inbound"):
        receive(reply(calendar=ics(uid=uid, attendee=attendee), sender=delegate_inv.email))
    assert state() == before
    log = CalendarReply.objects.get()
    assert (log.outcome, log.reason) == ("ignored", reason)
    assert (log.uid if where == "uid" else log.attendee) == (
        delegate_inv.calendar_uid if where == "uid" else delegate_inv.email
    )
    assert f"Calendar reply ignored ({reason})" in caplog.text
    assert_clean(log, caplog)


def test_undecodable_bytes_and_control_characters_in_headers_are_not_stored(delegate_inv, caplog):
    raw = reply(
        calendar=ics(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email),
        sender=delegate_inv.email,
        message_id="<svar-1@example.se>",
    ).replace(b"<svar-1@", b"<sv\xff\xfe\xed\xa0\x80\x1b[31mar\r\n\t-1\x07@")
    with caplog.at_level(logging.INFO, logger="meetings.inbound"):
        receive(raw)
    log = CalendarReply.objects.get()
    assert log.outcome == "recorded"
    assert_clean(log, caplog)


def test_a_multipart_nested_2000_deep_is_ignored_without_being_parsed(delegate_inv, caplog):
    calendar = ics(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email)
    part = b'Content-Type: text/calendar; method=REPLY; charset="utf-8"\r\n\r\n' + calendar
    before = state()
    with caplog.at_level(logging.WARNING, logger="meetings.inbound"):
        receive(nested(part, 2000))
    assert state() == before
    log = CalendarReply.objects.get()
    assert log.outcome == "ignored"
    assert log.reason == "the e-mail has more than 20 multipart or message parts"
    assert log.sender == "ombud@example.se"
    assert "Calendar reply ignored" in caplog.text


def test_a_valid_reply_nested_deeper_than_the_limit_is_ignored(delegate_inv):
    calendar = ics(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email)
    part = b'Content-Type: text/calendar; method=REPLY; charset="utf-8"\r\n\r\n' + calendar
    before = state()
    receive(nested(part, inbound.MAX_MIME_DEPTH + 1))
    assert state() == before
    assert CalendarReply.objects.get().reason == "the MIME parts are nested deeper than 8"
    # Within the limit the same reply counts.
    receive(nested(part, inbound.MAX_MIME_DEPTH))
    assert CalendarReply.objects.filter(outcome="recorded").count() == 1


def test_calendar_components_nested_2000_deep_are_ignored(delegate_inv):
    deep = "BEGIN:X-DEEP\r\n" * 2000 + "END:X-DEEP\r\n" * 2000
    raw = reply(
        calendar=ics(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, extra=deep),
        sender=delegate_inv.email,
    )
    before = state()
    receive(raw)
    assert state() == before
    assert CalendarReply.objects.get().reason == "a calendar part has more than 50 components"


def test_an_e_mail_larger_than_the_limit_is_logged_as_ignored(delegate_inv):
    raw = reply(
        calendar=ics(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email),
        sender=delegate_inv.email,
        prefix=b"X-Padding: " + b"x" * inbound.MAX_BYTES + b"\r\n",
    )
    before = state()
    receive(raw)
    assert state() == before
    log = CalendarReply.objects.get()
    assert (log.outcome, log.reason) == ("ignored", "the e-mail is larger than 5242880 bytes")


def test_a_huge_calendar_part_is_ignored(delegate_inv):
    comment = "COMMENT:" + "Hej! " * 60_000 + "\r\n"
    raw = reply(
        calendar=ics(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email, extra=comment),
        sender=delegate_inv.email,
    )
    before = state()
    receive(raw)
    assert state() == before
    assert CalendarReply.objects.get().reason == "a calendar part is larger than 262144 bytes"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00" * 100,
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n",  # a part never ends
        b"Content-Type: text/calendar\r\nContent-Transfer-Encoding: base64\r\n\r\n!!not base64",
        b"Content-Type: text/calendar; charset=utf-8\r\n\r\nBEGIN:VCALENDAR\r\n\xff\xfe\x00",
        b"Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\n"
        b"BEGIN:VEVENT\r\nATTENDEE:\r\nUID:\x00\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    ],
    ids=["empty", "only NUL", "unfinished multipart", "bad base64", "bad UTF-8", "empty fields"],
)
def test_garbage_is_ignored_and_logged(db, raw, caplog):
    with caplog.at_level(logging.WARNING, logger="meetings.inbound"):
        receive(raw)
    log = CalendarReply.objects.get()
    assert log.outcome == "ignored" and log.reason
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert_clean(log, caplog)


def test_an_unexpected_error_while_recording_is_logged_as_ignored_not_retried(
    delegate_inv, monkeypatch, caplog
):
    """Whatever else goes wrong with one e-mail would go wrong again on every retry."""

    def fails(**kwargs):
        raise DataError("invalid byte sequence")

    monkeypatch.setattr(inbound.services, "invitation_answer", fails)
    raw = reply(
        calendar=ics(uid=delegate_inv.calendar_uid, attendee=delegate_inv.email),
        sender=delegate_inv.email,
    )
    before = state()
    receive(raw)
    assert state() == before
    log = CalendarReply.objects.get()
    assert (log.outcome, log.reason) == ("ignored", "the e-mail cannot be read: DataError")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("malformed", [False, True])
def test_only_a_database_that_cannot_be_reached_gives_75(monkeypatch, malformed):
    raw = (
        b"From: a@example.se\r\n\r\n\x00"
        if malformed
        else reply(
            calendar=ics(uid="natverksmote-1-1-" + "0" * 24 + "@allas-vimmerby", attendee="a@b.se"),
            sender="a@b.se",
        )
    )
    connection.close()
    # Nothing listens on port 9.
    monkeypatch.setitem(connection.settings_dict, "PORT", "9")
    try:
        with pytest.raises(CommandError) as failure:
            receive(raw)
    finally:
        connection.close()
        monkeypatch.undo()
    assert failure.value.returncode == 75
    assert CalendarReply.objects.count() == 0
