"""Answers from calendar programs (iMIP, RFC 6047): the REPLY that Outlook, Google Calendar
or Apple Calendar mails to the ORGANIZER when an invitee presses "Accept".

The same rules serve the network meeting's invitations and the sign-ups to the groups'
dialogue meetings (whose UIDs begin "mote-"): a sign-up's DECLINED cancels it as its
personal link does, and frees the seat for the first in line.

A reply is recorded only when its VEVENT names an invitation's own calendar UID (which
carries a key derived from the secret token, see Invitation.calendar_uid), its ATTENDEE is
the very address that was invited, and the answer deadline has not passed. The e-mail may
come from another address of the same person (Outlook through MAPI sends from the account's
primary address, not the invited alias): holding the personal UID proves the reply is the
invitation's own, and the confirmation goes to the invited address, so its owner sees an
answer they did not give. Anything else changes nothing, and every e-mail read is written
to CalendarReply and the log with the reason.

The e-mail is untrusted input: it is read within fixed bounds (size, MIME nesting, calendar
size) and anything that cannot be read is ignored with its reason, never raised, so that the
mail server does not retry it forever. Only a database that cannot be reached is raised."""

import email
import hmac
import logging
import re
import unicodedata
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from django.db import InterfaceError, OperationalError, transaction
from icalendar import Calendar

from . import permissions, services
from .dialogue import signups as dialogue_signups
from .models import CalendarReply, Invitation, SignUp

logger = logging.getLogger(__name__)

# Far larger than any calendar reply; a bigger e-mail is not read into memory whole.
MAX_BYTES = 5 * 1024 * 1024
# Calendar replies nest two levels at most (Google: mixed > alternative > text/calendar).
MAX_MIME_DEPTH = 8
# Parsing is recursive in the standard library: multipart and message/* parts are counted
# in the raw bytes first, so a message nested thousands deep is never parsed.
MAX_CONTAINERS = 20
MAX_PARTS = 100
MAX_CALENDAR_BYTES = 256 * 1024
MAX_CALENDARS = 4
# A reply holds VCALENDAR, VEVENT and a VTIMEZONE with a few rules; icalendar walks
# components recursively, so deeper nesting is refused before it is walked.
MAX_COMPONENTS = 50

# The database is down or unreachable: the only failure the mail server should retry.
TEMPORARY_ERRORS = (OperationalError, InterfaceError)

PARTSTAT_ANSWERS = {
    "ACCEPTED": Invitation.Answer.YES,
    "DECLINED": Invitation.Answer.NO,
    "TENTATIVE": Invitation.Answer.MAYBE,
}
UID_PATTERN = re.compile(
    r"^(natverksmote|mote)-([0-9]{1,18})-([0-9]{1,18})-[0-9a-f]{24}@allas-vimmerby$"
)
CALENDAR_TYPES = ("text/calendar", "application/ics")
# As the standard library's parser recognises a container: the first line of a
# Content-Type header, after any whitespace it strips, names multipart/ or message/.
CONTAINER = re.compile(rb"(?:^|[\r\n])content-type:[\s\x1c-\x1f]*(?:multipart|message)/", re.I)
COMPONENT = re.compile(rb"(?:^|[\r\n])begin:", re.I)
Outcome = CalendarReply.Outcome


class Ignored(Exception):
    """The e-mail is not a reply the portal can record; the message says why."""


def clean(value, limit: int) -> str:
    """Text from the e-mail as it may be stored and logged: without NUL and other control
    characters (PostgreSQL refuses NUL; line breaks would forge log lines) and without lone
    surrogates left by undecodable bytes."""
    text = "".join(
        ch for ch in str(value or "") if unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp")
    )
    return text.strip()[:limit]


def _address(value) -> str:
    """ "MAILTO:Anna@Example.se" (Outlook), "mailto:anna@example.se" → "anna@example.se"."""
    return re.sub(r"^mailto:", "", str(value or "").strip(), flags=re.IGNORECASE).lower()


def _headers(raw: bytes) -> Message:
    """The header block alone, so that who sent an e-mail that is not read further is
    still logged: the body is kept as text, whatever it holds."""
    return BytesHeaderParser().parsebytes(raw[:MAX_BYTES])


def _parse(raw: bytes) -> Message:
    if len(raw) > MAX_BYTES:
        raise Ignored(f"the e-mail is larger than {MAX_BYTES} bytes")
    if len(CONTAINER.findall(raw)) > MAX_CONTAINERS:
        raise Ignored(f"the e-mail has more than {MAX_CONTAINERS} multipart or message parts")
    return email.message_from_bytes(raw)


def _parts(message: Message) -> list[Message]:
    """Every part, depth first, without recursion."""
    found, stack = [], [(message, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_MIME_DEPTH:
            raise Ignored(f"the MIME parts are nested deeper than {MAX_MIME_DEPTH}")
        found.append(part)
        if len(found) > MAX_PARTS:
            raise Ignored(f"the e-mail has more than {MAX_PARTS} MIME parts")
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((sub, depth + 1) for sub in reversed(payload) if isinstance(sub, Message))
    return found


def _calendar_parts(message: Message) -> list[Calendar]:
    """Every calendar in the e-mail: Outlook sends one text/calendar part inline, Google
    one inline and one as invite.ics, Apple one as an attachment."""
    calendars = []
    for part in _parts(message):
        if part.get_content_type() not in CALENDAR_TYPES:
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        if len(payload) > MAX_CALENDAR_BYTES:
            raise Ignored(f"a calendar part is larger than {MAX_CALENDAR_BYTES} bytes")
        if len(COMPONENT.findall(payload)) > MAX_COMPONENTS:
            raise Ignored(f"a calendar part has more than {MAX_COMPONENTS} components")
        try:
            calendars.append(Calendar.from_ical(payload))
        except Exception as exc:  # noqa: BLE001 - any parse error of untrusted input
            raise Ignored(f"the calendar part cannot be read: {exc}") from exc
        if len(calendars) == MAX_CALENDARS:
            break
    return calendars


def _reply_of(message: Message) -> tuple[str, str, str]:
    """(uid, attendee, partstat) of the first REPLY in the e-mail."""
    calendars = _calendar_parts(message)
    if not calendars:
        raise Ignored("no text/calendar part")
    for cal in calendars:
        if str(cal.get("METHOD", "")).upper() != "REPLY":
            continue
        events = cal.walk("VEVENT")
        if len(events) != 1:
            raise Ignored("a reply must hold exactly one event")
        event = events[0]
        attendees = event.get("ATTENDEE")
        if not isinstance(attendees, list):
            attendees = [attendees] if attendees is not None else []
        if len(attendees) != 1:
            raise Ignored("a reply must name exactly one attendee")
        attendee = attendees[0]
        params = getattr(attendee, "params", None) or {}
        return (
            str(event.get("UID", "")).strip(),
            _address(attendee),
            str(params.get("PARTSTAT", "")).upper(),
        )
    raise Ignored("the calendar is not a REPLY")


def _addressee(uid: str, attendee: str) -> Invitation | SignUp:
    """The invitation or sign-up whose personal UID the reply names."""
    match = UID_PATTERN.match(uid)
    if not match:
        raise Ignored("unknown UID")
    model = Invitation if match.group(1) == "natverksmote" else SignUp
    meeting_id, row_id = int(match.group(2)), int(match.group(3))
    row = model.objects.select_related("meeting").filter(pk=row_id, meeting_id=meeting_id).first()
    # Compared in constant time: the UID's key is a secret.
    if row is None or not hmac.compare_digest(row.calendar_uid, uid):
        raise Ignored("unknown UID")
    if attendee != row.email.lower():
        raise Ignored("the attendee is not the invited address")
    return row


def _answer_signup(signup: SignUp, partstat: str, log: CalendarReply) -> None:
    log.signup = signup
    if not permissions.can_answer_signup(signup):
        raise Ignored("the meeting has started or is not open")
    try:
        changed = dialogue_signups.calendar_answer(signup=signup, partstat=partstat)
    except services.MeetingError as exc:
        raise Ignored(str(exc)) from exc
    log.outcome = Outcome.RECORDED if changed else Outcome.UNCHANGED
    log.reason = f"{partstat} → {signup.status if changed else 'unchanged'}"


def _read(raw: bytes, log: CalendarReply) -> None:
    """Fills in the log row and records the answer; raises Ignored with the reason."""
    headers = _headers(raw)
    senders = [
        _address(addr) for _name, addr in getaddresses(map(str, headers.get_all("From", [])))
    ]
    senders = [addr for addr in senders if addr]
    log.sender = clean(", ".join(senders), 320)
    log.message_id = clean(headers.get("Message-ID", ""), 300)
    message = _parse(raw)
    uid, attendee, partstat = _reply_of(message)
    log.uid, log.attendee, log.partstat = clean(uid, 300), clean(attendee, 320), clean(partstat, 20)
    answer = PARTSTAT_ANSWERS.get(partstat)
    if answer is None:
        raise Ignored(f"PARTSTAT {partstat or '(none)'} is not an answer")
    addressee = _addressee(uid, attendee)
    if isinstance(addressee, SignUp):
        _answer_signup(addressee, partstat, log)
        _log_recorded(log, addressee.pk, senders, attendee, partstat)
        return
    invitation = addressee
    log.invitation = invitation
    if not permissions.can_answer_invitation(invitation):
        raise Ignored("the answer deadline has passed or the meeting is not open")
    try:
        invitation = services.invitation_answer(
            invitation=invitation, answer=answer, source=Invitation.Source.CALENDAR
        )
    except services.MeetingError as exc:
        raise Ignored(str(exc)) from exc
    log.outcome = Outcome.RECORDED if invitation.changed else Outcome.UNCHANGED
    log.reason = f"{partstat} → {answer}"
    _log_recorded(log, invitation.pk, senders, attendee, partstat)


def _log_recorded(log: CalendarReply, row_id, senders, attendee, partstat) -> None:
    other_address = senders != [attendee]
    if other_address:
        log.reason += f", sent from another address than the invited {attendee}"
    logger.info(
        "Calendar reply recorded: %s %s (%s)%s",
        "sign-up" if log.signup_id else "invitation",
        row_id,
        partstat,
        f", sent from {log.sender or '?'}, not the invited address" if other_address else "",
    )


def calendar_reply_receive(*, raw: bytes) -> CalendarReply:
    """Reads one e-mail and records the answer in it if it may be recorded. Returns the
    log row. Only a database that cannot be reached is raised (the caller answers "try
    again later"); whatever the e-mail holds ends as a logged row."""
    log = CalendarReply(outcome=Outcome.IGNORED)
    try:
        # The answer and its log row are written together: neither without the other.
        with transaction.atomic():
            _read(raw, log)
            log.reason = clean(log.reason, 300)
            log.save()
        return log
    except TEMPORARY_ERRORS:
        raise
    except Ignored as exc:
        reason = str(exc)
    except Exception as exc:  # noqa: BLE001 - a retry would fail the same way
        logger.exception("Calendar reply could not be read")
        reason = f"the e-mail cannot be read: {type(exc).__name__}"
    log.pk, log.outcome, log.reason = None, Outcome.IGNORED, clean(reason, 300)
    logger.warning(
        "Calendar reply ignored (%s): from %s, UID %s, attendee %s",
        log.reason,
        log.sender or "?",
        log.uid or "?",
        log.attendee or "?",
    )
    try:
        log.save()
    except TEMPORARY_ERRORS:
        raise
    except Exception:  # noqa: BLE001 - the row without what the e-mail said
        logger.exception("Calendar reply log could not be saved")
        log = CalendarReply.objects.create(outcome=Outcome.IGNORED, reason=log.reason)
    return log
