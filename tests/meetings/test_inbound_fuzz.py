"""Both commands that read e-mail from the mail server, `receive_mail` and
`receive_unsubscribe`, on a seeded corpus of mangled real messages: the Outlook, Google,
Apple and Outlook-through-MAPI calendar replies the other tests use and an unsubscribe
e-mail, with NUL bytes, undecodable and control bytes, cuts, lost and repeated lines,
random headers, deep nesting, huge parts and broken calendars. Every one must end with
exit status 0 and a clean log entry, never a traceback or 75 (the mail server would retry
it forever), and nothing in the database may change but the log of calendar replies.

The corpus is the same on every run (a fixed seed): a failure names the message's number
and mutations, and `corpus()` rebuilds it."""

import base64
import io
import logging
import random
import time
import unicodedata
from email.message import EmailMessage

import pytest
from django.apps import apps
from django.core.management import call_command

from meetings import services
from meetings.models import CalendarReply
from notifications.unsubscribe import unsubscribe_token
from tests.factories import UserFactory
from tests.meetings.test_calendar_replies import apple, google, outlook
from tests.meetings.test_calendar_reply_other_address import mapi_reply, mapi_reply_ics
from tests.words import Kind

pytestmark = pytest.mark.django_db

SEED = 6047  # iMIP's RFC number: any fixed number keeps the corpus the same
MESSAGES = 600
# Whole corpus through both commands; generous for a slow, shared machine.
TIME_LIMIT = 60


# -- bases: real messages ---------------------------------------------------------------


def unsubscribe_email(token: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Följare Falk <foljare@example.se>"
    message["To"] = "avregistrera@vimmerby.se"
    message["Subject"] = f"unsubscribe {token}"
    message["Message-ID"] = "<avregistrera-1@example.se>"
    message.set_content("")
    return bytes(message)


def with_calendar(ics: bytes, rng: random.Random) -> bytes:
    """A calendar, however mangled, as the single part of an e-mail in a random transfer
    encoding."""
    encoding = rng.choice(["8bit", "base64", "quoted-printable", "7bit"])
    if encoding == "base64":
        body = base64.encodebytes(ics).replace(b"\n", b"\r\n")
    elif encoding == "quoted-printable":
        import quopri

        body = quopri.encodestring(ics)
    else:
        body = ics
    return (
        b"From: Ombud Olsson <ombud.olsson@bluemind.net>\r\nTo: natverksmote@vimmerby.se\r\n"
        b"Subject: Accepted\r\nMessage-ID: <kalender-1@bluemind.net>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/calendar; method=REPLY; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: " + encoding.encode() + b"\r\n\r\n" + body
    )


# -- mutations --------------------------------------------------------------------------

BAD_BYTES = [
    b"\x00",
    b"\xff",
    b"\xfe\xff",
    b"\xc3(",
    b"\xed\xa0\x80",  # an encoded surrogate
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"\xc0\xaf",  # overlong
    b"\x1b[2J",
    b"\x7f",
    b"\r",
    b"\x85",
    b"\xe2\x80\xae",  # right-to-left override
]


def _at(rng, raw: bytes) -> int:
    return rng.randrange(len(raw) + 1)


def nul_in_fields(rng, raw):
    for field in (b"Message-ID: <", b"From: ", b"Subject: ", b"UID:", b"mailto:", b"ATTENDEE"):
        if rng.random() < 0.6:
            raw = raw.replace(field, field + b"\x00", 1)
    return raw


def bad_bytes(rng, raw):
    for _ in range(rng.randint(1, 8)):
        at = _at(rng, raw)
        raw = raw[:at] + rng.choice(BAD_BYTES) + raw[at:]
    return raw


def flip(rng, raw):
    data = bytearray(raw)
    for _ in range(rng.randint(1, 20)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncate(rng, raw):
    return raw[: _at(rng, raw)]


def drop_lines(rng, raw):
    lines = raw.split(b"\n")
    return b"\n".join(line for line in lines if rng.random() > 0.2)


def repeat_lines(rng, raw):
    lines = raw.split(b"\n")
    out = []
    for line in lines:
        out.extend([line] * (rng.choice([2, 3, 50]) if rng.random() < 0.1 else 1))
    return b"\n".join(out)


RANDOM_HEADERS = [
    b"Content-Type: multipart/mixed",  # no boundary
    b'Content-Type: multipart/alternative; boundary=""',
    b"Content-Type: message/rfc822",
    b"Content-Type: text/calendar; charset=x-unknown",
    b"Content-Transfer-Encoding: base64",
    b"Content-Transfer-Encoding: x-uuencode",
    b"From: ",
    b'From: <>, <@>, "\x00" <a@b>, a@b@c, =?utf-8?b?AAAA?= <x@y>',
    b"From: " + b"a@b.se, " * 2000,
    b"Message-ID: " + b"<" * 5000,
    b"Subject: =?x-unknown?q?=FF=00?= =?utf-8?b?////?= =?utf-8?q?unsubscribe?=",
    b"Subject: unsubscribe " + b"=?utf-8?q?a?= " * 5000,
    b"Subject: unsubscribe \x00:\xff",
    b"X-Folded: a\r\n b\r\n\tc\r\n \r\n",
    b": no name",
    b"\x00: nul name",
    b"Date: Mon, 32 Foo 99999 25:61:61 +9999",
]


def random_headers(rng, raw):
    head = b"".join(rng.choice(RANDOM_HEADERS) + b"\r\n" for _ in range(rng.randint(1, 4)))
    return head + raw if rng.random() < 0.5 else raw.replace(b"\r\n\r\n", b"\r\n" + head, 1)


def replace_header(rng, raw):
    """An existing header's value replaced: one Subject, From or Message-ID, but a bad one."""
    name = rng.choice([b"Subject", b"From", b"Message-ID", b"Content-Type"])
    value = rng.choice(RANDOM_HEADERS).partition(b": ")[2] or b"\x00"
    head, separator, body = raw.partition(b"\r\n\r\n")
    lines = [
        name + b": " + value if line.split(b":")[0].lower() == name.lower() else line
        for line in head.split(b"\r\n")
    ]
    return b"\r\n".join(lines) + separator + body


def nest(rng, raw):
    depth = rng.choice([2, 7, 9, 19, 25, 300, 2000])
    kind = rng.choice([b"multipart/mixed", b"multipart/digest", b"message/rfc822"])
    head = b"From: ombud.olsson@bluemind.net\r\nMIME-Version: 1.0\r\n"
    for level in range(depth):
        if kind == b"message/rfc822":
            head += b"Content-Type: message/rfc822\r\n\r\n"
        else:
            head += b"Content-Type: %s; boundary=n%d\r\n\r\n--n%d\r\n" % (kind, level, level)
    return head + raw


def huge(rng, raw):
    size = rng.choice([300 * 1024, 5 * 1024 * 1024 + 10])
    where = rng.choice([b"X-Padding: ", b"COMMENT:"])
    filler = where + b"a" * size + b"\r\n"
    if where == b"COMMENT:" and b"UID:" in raw:
        return raw.replace(b"UID:", filler + b"UID:", 1)
    return filler + raw


def break_boundaries(rng, raw):
    return raw.replace(b"boundary=", rng.choice([b"boundary=x", b"boundary=\x00", b"x-b="]), 1)


MESSAGE_MUTATIONS = [
    nul_in_fields,
    bad_bytes,
    flip,
    truncate,
    drop_lines,
    repeat_lines,
    random_headers,
    replace_header,
    nest,
    huge,
    break_boundaries,
]


def ics_mutation(rng, ics: bytes) -> tuple[str, bytes]:
    """Mangles the calendar itself, before it is encoded into the e-mail."""
    choice = rng.randrange(9)
    if choice == 0:
        return "ics NUL", ics.replace(b"UID:", b"UID:\x00", 1).replace(b"mailto:", b"mail\x00to:")
    if choice == 1:  # digits of other scripts, and very long ids, in a UID of the right form
        return "ics odd UID", ics.replace(
            b"UID:natverksmote-",
            rng.choice(
                ["UID:natverksmote-\u0663\u0664-", "UID:natverksmote-" + "9" * 5000 + "-"]
            ).encode(),
            1,
        )
    if choice == 2:
        deep = b"BEGIN:X\r\n" * rng.choice([40, 2000]) + b"END:X\r\n" * rng.choice([0, 2000])
        return "ics deep", ics.replace(b"END:VEVENT", deep + b"END:VEVENT", 1)
    if choice == 3:
        line = next(line for line in ics.split(b"\r\n") if line.startswith(b"ATTENDEE"))
        return "ics attendees", ics.replace(line, b"\r\n".join([line] * rng.choice([2, 500])), 1)
    if choice == 4:
        return "ics params", ics.replace(
            b"PARTSTAT=", rng.choice([b'PARTSTAT="', b"PARTSTAT=;", b"X=\x00;PARTSTAT="]), 1
        )
    if choice == 5:
        return "ics no END", ics.replace(b"END:VCALENDAR", b"", 1)
    if choice == 6:
        return "ics two calendars", ics + ics
    if choice == 7:
        return "ics bad UTF-8", ics.replace(b"SUMMARY", b"SUMMARY;X=\xff\xfe", 1)
    return "ics folded", ics.replace(b"\r\n ", b"\r\n\x00 ").replace(b"UID:", b"UID:\r\n ", 1)


def corpus(bases: dict[str, bytes], calendars: list[bytes]) -> list[tuple[str, bytes]]:
    rng = random.Random(SEED)
    names = list(bases)
    messages = []
    for number in range(MESSAGES):
        steps = []
        if number < len(MESSAGE_MUTATIONS):  # each mutation alone at least once
            base = names[number % len(names)]
            raw, mutations = bases[base], [MESSAGE_MUTATIONS[number]]
        elif rng.random() < 0.3:
            base = "calendar"
            step, ics = ics_mutation(rng, rng.choice(calendars))
            raw, mutations = with_calendar(ics, rng), []
            steps.append(step)
        else:
            base = rng.choice(names)
            raw = bases[base]
            mutations = rng.sample(MESSAGE_MUTATIONS, rng.randint(1, 3))
        for mutation in mutations:
            raw = mutation(rng, raw)
            steps.append(mutation.__name__)
        messages.append((f"#{number} {base}: {', '.join(steps)}", raw))
    return messages


# -- the test -------------------------------------------------------------------------------


def database_except_log() -> dict:
    """Every row of every table but the calendar replies' log."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model is CalendarReply or not model._meta.managed or model._meta.proxy:
            continue
        rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


def is_clean(text: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text)


@pytest.fixture
def answered(invited, network, staff):
    """Every base reply says ACCEPTED for an invitation that already said yes, so even a
    mangled message that is still a valid reply changes nothing: the fuzzing shows only
    what malformed input does."""
    delegate = invited.invitations.get(email=network["delegate"].email)
    services.invitation_answer(invitation=delegate, answer="yes", source="calendar")
    guest = services.invitation_add_guest(
        meeting=invited, name="Ombud Olsson", email="ombud.olsson@blue-mind.net", by=staff
    )
    services.invitation_answer(invitation=guest, answer="yes", source="calendar")
    return delegate, guest


def test_mangled_e_mails_are_ignored_and_logged_never_retried(answered, caplog):
    delegate, guest = answered
    # An inactive account's token: its signature is valid, yet it turns nothing off.
    gone = UserFactory(is_active=False)
    token = unsubscribe_token(user_id=gone.pk, kind=Kind.COMMENTS)
    uid, email = delegate.calendar_uid, delegate.email
    bases = {
        "outlook": outlook(uid=uid, attendee=email, partstat="ACCEPTED"),
        "google": google(uid=uid, attendee=email, partstat="ACCEPTED"),
        "apple": apple(uid=uid, attendee=email, partstat="ACCEPTED"),
        "outlook-mapi": mapi_reply(uid=guest.calendar_uid),
        "unsubscribe": unsubscribe_email(token),
    }
    calendars = [mapi_reply_ics(uid=guest.calendar_uid, attendee=guest.email)]
    messages = corpus(bases, calendars)
    before = database_except_log()
    logs = CalendarReply.objects.count()
    started = time.monotonic()
    with caplog.at_level(logging.INFO):
        for name, raw in messages:
            for command in ("receive_mail", "receive_unsubscribe"):
                try:
                    call_command(command, stdin=io.BytesIO(raw))
                except BaseException as exc:  # noqa: BLE001 - report which message
                    pytest.fail(f"{command} on message {name}: {type(exc).__name__}: {exc}")
            logs += 1
            assert CalendarReply.objects.count() == logs, name
            log = CalendarReply.objects.order_by("-id").first()
            assert log.outcome in ("ignored", "unchanged"), (name, log.reason)
            assert log.reason, name
            fields = [log.sender, log.message_id, log.uid, log.attendee, log.partstat, log.reason]
            assert all(is_clean(text) for text in fields), (name, fields)
    elapsed = time.monotonic() - started
    assert database_except_log() == before
    # Every message was refused by a check of its own, not by an error caught at the end.
    unexpected = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not unexpected, unexpected[:5]
    assert all(is_clean(record.getMessage()) for record in caplog.records)
    ignored = CalendarReply.objects.filter(outcome="ignored").values_list("reason", flat=True)
    # The corpus reaches the limits, not only the parser's first complaint.
    reasons = set(ignored)
    for expected in (
        "the e-mail is larger than 5242880 bytes",
        "the e-mail has more than 20 multipart or message parts",
        "the MIME parts are nested deeper than 8",
        "a calendar part is larger than 262144 bytes",
        "a calendar part has more than 50 components",
        "unknown UID",
    ):
        assert expected in reasons, (expected, sorted(reasons)[:40])
    unsubscribe_ignored = [
        r.getMessage() for r in caplog.records if "Unsubscribe e-mail ignored" in r.getMessage()
    ]
    assert len(unsubscribe_ignored) == MESSAGES
    for expected in ("the subject is longer than 1000 characters", "larger than 262144 bytes"):
        assert any(expected in text for text in unsubscribe_ignored), expected
    assert elapsed < TIME_LIMIT, elapsed
