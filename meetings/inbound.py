"""Answers from calendar programs (iMIP, RFC 6047): the REPLY that Outlook, Google Calendar
or Apple Calendar mails to the ORGANIZER when an invitee presses "Accept".

A reply is recorded only when everything agrees: its VEVENT names an invitation's own
calendar UID (which carries a key derived from the secret token, see
Invitation.calendar_uid), its ATTENDEE is the very address that was invited, the e-mail
comes from that address, and the answer deadline has not passed. Anything else changes
nothing, and every e-mail read is written to CalendarReply and the log with the reason."""

import email
import hmac
import logging
import re
from email.message import Message
from email.utils import getaddresses

from icalendar import Calendar

from . import permissions, services
from .models import CalendarReply, Invitation

logger = logging.getLogger(__name__)

PARTSTAT_ANSWERS = {
    "ACCEPTED": Invitation.Answer.YES,
    "DECLINED": Invitation.Answer.NO,
    "TENTATIVE": Invitation.Answer.MAYBE,
}
UID_PATTERN = re.compile(r"^natverksmote-(\d+)-(\d+)-[0-9a-f]{24}@allas-vimmerby$")
CALENDAR_TYPES = ("text/calendar", "application/ics")
Outcome = CalendarReply.Outcome


class Ignored(Exception):
    """The e-mail is not a reply the portal can record; the message says why."""


def _address(value) -> str:
    """ "MAILTO:Anna@Example.se" (Outlook), "mailto:anna@example.se" → "anna@example.se"."""
    return re.sub(r"^mailto:", "", str(value or "").strip(), flags=re.IGNORECASE).lower()


def _calendar_parts(message: Message) -> list[Calendar]:
    """Every calendar in the e-mail: Outlook sends one text/calendar part inline, Google
    one inline and one as invite.ics, Apple one as an attachment."""
    calendars = []
    for part in message.walk():
        if part.get_content_type() not in CALENDAR_TYPES:
            continue
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        try:
            calendars.append(Calendar.from_ical(payload))
        except Exception as exc:  # noqa: BLE001 - any parse error of untrusted input
            raise Ignored(f"the calendar part cannot be read: {exc}"[:300]) from exc
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
        return (
            str(event.get("UID", "")).strip(),
            _address(attendee),
            str(attendee.params.get("PARTSTAT", "")).upper(),
        )
    raise Ignored("the calendar is not a REPLY")


def _invitation(uid: str, attendee: str) -> Invitation:
    match = UID_PATTERN.match(uid)
    if not match:
        raise Ignored("unknown UID")
    meeting_id, invitation_id = int(match.group(1)), int(match.group(2))
    invitation = (
        Invitation.objects.select_related("meeting")
        .filter(pk=invitation_id, meeting_id=meeting_id)
        .first()
    )
    # Compared in constant time: the UID's key is a secret.
    if invitation is None or not hmac.compare_digest(invitation.calendar_uid, uid):
        raise Ignored("unknown UID")
    if attendee != invitation.email.lower():
        raise Ignored("the attendee is not the invited address")
    return invitation


def calendar_reply_receive(*, raw: bytes) -> CalendarReply:
    """Reads one e-mail and records the answer in it if it may be recorded. Returns the
    log row. Database errors are raised (the caller answers "try again later")."""
    message = email.message_from_bytes(raw)
    senders = [addr.lower() for _name, addr in getaddresses(message.get_all("From", [])) if addr]
    log = CalendarReply(
        sender=", ".join(senders)[:320], message_id=str(message.get("Message-ID", ""))[:300]
    )
    try:
        uid, attendee, partstat = _reply_of(message)
        log.uid, log.attendee, log.partstat = uid[:300], attendee[:320], partstat[:20]
        answer = PARTSTAT_ANSWERS.get(partstat)
        if answer is None:
            raise Ignored(f"PARTSTAT {partstat or '(none)'} is not an answer")
        invitation = _invitation(uid, attendee)
        log.invitation = invitation
        if senders != [attendee]:
            raise Ignored("the e-mail is not from the invited address")
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
        logger.info(
            "Calendar reply recorded: invitation %s %s (%s)", invitation.pk, answer, partstat
        )
    except Ignored as exc:
        log.outcome, log.reason = Outcome.IGNORED, str(exc)[:300]
        logger.warning(
            "Calendar reply ignored (%s): from %s, UID %s, attendee %s",
            log.reason,
            log.sender or "?",
            log.uid or "?",
            log.attendee or "?",
        )
    log.save()
    return log
