"""What of an outgoing e-mail anyone but its recipient may read. The outbox keeps what it
must send; staff see each row with its secrets taken out, and once a row is sent (or given
up) its stored copy is reduced to the same redacted version, so a secret is kept only as
long as the message may still go out.

Secrets are recognised by what they are, not from a list of e-mails:
- a link whose path resolves to a view of the portal that takes a secret-looking argument
  (key, token, uid, code, ...) or that carries a secret-looking query parameter: a password
  reset, an e-mail confirmation, an answer to an invitation, an unsubscribe. A new view is
  covered by its argument's name (tests/test_secrets.py walks every URL pattern);
- a mailto: link with a subject or body, a command to a robot (unsubscribe by e-mail);
- the account e-mails that carry a code (allas.email_kinds.hides_whole_body);
- the UID of a calendar file, a personal key that matches calendar replies;
- and everywhere in the row, each secret value found in one of the above, so the same
  token in a header or an attachment goes too."""

import html
import re
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext

from .email_kinds import hides_whole_body

# The names under which a view or a link takes a secret.
SECRET_NAME = re.compile(
    r"key|token|uid|code|secret|sig|hash|pass|otp|nonce|pin|cred", re.IGNORECASE
)

# Absolute links and mailto: anywhere; relative ones inside an HTML attribute.
_LINK = re.compile(r"""(?:https?://|mailto:)[^\s<>"'`]+|(?<=["'])/[^\s<>"'`]*""", re.IGNORECASE)
# Punctuation that ends a sentence rather than a link (as urlize reads it).
_TRAILING = ".,;:!?)]}>"
# A calendar property line's value: UID:... (after unfolding, RFC 5545 3.1).
_CALENDAR_UID = re.compile(r"^(UID(?:;[^:\r\n]*)?:)([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
_FOLD = re.compile(r"\r?\n[ \t]")
# The key in a personal UID (meetings.models.Invitation.calendar_uid), or any long run of
# hex in a UID from elsewhere.
_KEY_IN_UID = re.compile(r"[0-9a-fA-F]{16,}")
# Shorter values (a user id in base 36) say nothing on their own; the link they were in
# is gone already.
_MIN_SECRET_LENGTH = 8


def link_placeholder() -> str:
    return gettext("[personal link hidden]")


def value_placeholder() -> str:
    return gettext("[hidden]")


def body_placeholder() -> str:
    return gettext(
        "[Hidden: this e-mail carries a personal link or code that only its recipient may see.]"
    )


def personal_values(link: str) -> list[str] | None:
    """The secret values of a link that acts for one person, or None for any other link."""
    parts = urlsplit(html.unescape(link))
    if parts.scheme.lower() == "mailto":
        if not parts.query:
            return None
        return [value for _name, value in parse_qsl(parts.query, keep_blank_values=True)]
    values = [
        value
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if SECRET_NAME.search(name)
    ]
    secret_query = bool(values)
    # Any host: allauth builds its links from the request's host, not SITE_URL, and a
    # foreign link that happens to look like a personal one loses nothing by being hidden.
    try:
        match = resolve(unquote(parts.path) or "/")
    except Resolver404:
        match = None
    secret_path = False
    if match is not None:
        for name, value in match.kwargs.items():
            if SECRET_NAME.search(name):
                secret_path = True
                values.append(str(value))
    return values if secret_query or secret_path else None


def _without_links(text: str, found: set[str]) -> str:
    def replace(match):
        link = match.group(0)
        core = link.rstrip(_TRAILING)
        values = personal_values(core)
        if values is None:
            return link
        found.update(v for v in values if len(v) >= _MIN_SECRET_LENGTH)
        return link_placeholder() + link[len(core) :]

    return _LINK.sub(replace, text)


def _without_calendar_uids(content: str, found: set[str]) -> str:
    if "BEGIN:VCALENDAR" not in content.upper():
        return content

    def replace(match):
        found.add(match.group(2).strip())
        return match.group(1) + value_placeholder()

    return _CALENDAR_UID.sub(replace, _FOLD.sub("", content))


def _forms(value: str) -> set[str]:
    """The ways a value is written in an e-mail: as it is, URL-quoted, HTML-escaped."""
    return {value, quote(value), quote(value, safe=""), quote_plus(value), html.escape(value)}


def _without_values(text: str, found: set[str]) -> str:
    # Longest first, so a value that contains another is replaced whole.
    for form in sorted({f for v in found for f in _forms(v)}, key=len, reverse=True):
        if len(form) >= _MIN_SECRET_LENGTH:
            text = text.replace(form, value_placeholder())
    return text


def redacted_calendar_uid(uid: str) -> str:
    """A calendar UID as a reply carried it, without the key that makes it personal: what
    it names (the meeting, the invitation) stays readable."""
    return _KEY_IN_UID.sub(value_placeholder(), uid)


def redacted_text(text: str) -> str:
    """One text (a subject, say) without its personal links."""
    found: set[str] = set()
    return _without_values(_without_links(text, found), found)


def redacted(email) -> dict:
    """The row's body, headers, attachments and error as anyone but the recipient may read
    them. Takes an OutboundEmail (or anything with its fields); changes nothing."""
    found: set[str] = set()
    whole_body = hides_whole_body(email.kind)
    body_text = _without_links(email.body_text or "", found)
    body_html = _without_links(email.body_html or "", found)
    headers = {}
    for name, value in (email.headers or {}).items():
        value = str(value)
        headers[name] = (
            value_placeholder() if SECRET_NAME.search(name) else _without_links(value, found)
        )
    attachments = []
    for attachment in email.attachments or []:
        content = attachment.get("content", "")
        if isinstance(content, str):
            content = _without_links(_without_calendar_uids(content, found), found)
        else:
            content = ""
        attachments.append({**attachment, "content": content})
    last_error = _without_links(email.last_error or "", found)
    if whole_body:
        body_text = body_placeholder()
        body_html = html.escape(body_placeholder()) if email.body_html else ""
        attachments = [{**a, "content": ""} for a in attachments]
    return {
        "body_text": _without_values(body_text, found),
        "body_html": _without_values(body_html, found),
        "headers": {name: _without_values(value, found) for name, value in headers.items()},
        "attachments": [
            {**a, "content": _without_values(a["content"], found)} for a in attachments
        ],
        "last_error": _without_values(last_error, found),
    }


def scrubbed(email) -> dict:
    """The fields to store once the row has gone out, or been given up: the redacted
    version of each field that held a secret, nothing for a row that held none. Written
    in the portal's own language, as the outbox is read by staff."""
    with translation.override(settings.LANGUAGE_CODE):
        shown = redacted(email)
    # The error is the mail server's answer, recorded with the outcome itself.
    shown.pop("last_error")
    return {name: value for name, value in shown.items() if getattr(email, name) != value}
