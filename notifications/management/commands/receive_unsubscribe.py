"""The mailto: half of List-Unsubscribe (RFC 2369): one e-mail on standard input, as an
MTA's pipe transport delivers it to the unsubscribe address. For example, in Postfix's
aliases:

    avregistrera: "|/srv/allas/.venv/bin/python /srv/allas/manage.py receive_unsubscribe"

The subject is "unsubscribe <token>", as the header's mailto: link writes it; a valid token
turns that kind of e-mail off, exactly as the one-click link does. A forged, tampered or
expired token, an e-mail without one, or one that cannot be read changes nothing and is
logged with the reason. Exit status 0 when the e-mail was handled or ignored, 75
(EX_TEMPFAIL) only when the database is down or unreachable: the MTA then keeps it and
tries again (any other failure would repeat on every retry)."""

import email.policy
import logging
import sys
import unicodedata
from email.parser import BytesHeaderParser

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from notifications import unsubscribe

logger = logging.getLogger(__name__)

EX_TEMPFAIL = 75
# An unsubscribe request is a few lines; nothing bigger is read into memory whole.
MAX_BYTES = 256 * 1024
# "unsubscribe <token>" is about a hundred characters. Parsing a header's encoded words
# takes time that grows faster than its length, so a longer subject is not parsed.
MAX_SUBJECT = 1000
TEMPORARY_ERRORS = (OperationalError, InterfaceError)


class Ignored(Exception):
    """The e-mail holds no request the portal can act on; the message says why."""


def clean(value, limit: int = 200) -> str:
    """Text from the e-mail as it may be logged: no NUL, control characters (they would
    forge log lines) or lone surrogates left by undecodable bytes."""
    text = "".join(
        ch for ch in str(value or "") if unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp")
    )
    return text.strip()[:limit]


def token_of(raw: bytes) -> str:
    """The token in the subject. Only the header block is parsed: the body is never read,
    however it is nested or encoded."""
    if len(raw) > MAX_BYTES:
        raise Ignored(f"the e-mail is larger than {MAX_BYTES} bytes")
    headers = BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
    # raw_items() does not parse the values: the length is checked first.
    subjects = [value for name, value in headers.raw_items() if name.lower() == "subject"]
    if len(subjects) != 1:
        raise Ignored("no subject" if not subjects else "more than one subject")
    if len(subjects[0]) > MAX_SUBJECT:
        raise Ignored(f"the subject is longer than {MAX_SUBJECT} characters")
    words = str(headers["Subject"]).split()
    if len(words) != 2 or words[0].lower() != "unsubscribe":
        raise Ignored("the subject is not 'unsubscribe <token>'")
    # A token is URL-safe ASCII: anything else cannot be one, and some of it (lone
    # surrogates) could not even be checked.
    if not words[1].isascii() or not words[1].isprintable():
        raise Ignored("the token holds characters no token has")
    return words[1]


class Command(BaseCommand):
    help = "Turns a kind of e-mail off from an unsubscribe e-mail on standard input."
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin.buffer
        # One byte more than allowed, so that a larger e-mail is seen and ignored as such.
        raw = stream.read(MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode(errors="replace")
        try:
            token = token_of(raw)
            found = unsubscribe.unsubscribe_read(token)
            if found is None:
                raise Ignored("no valid token in its subject")
            user, kind = found
            kinds = unsubscribe.unsubscribe_apply(user=user, kind=kind)
        except Ignored as exc:
            logger.warning("Unsubscribe e-mail ignored: %s", clean(exc, 300))
            return
        except TEMPORARY_ERRORS as exc:
            logger.exception("Unsubscribe e-mail could not be handled now")
            raise CommandError(
                f"temporary failure: {type(exc).__name__}: {exc}", returncode=EX_TEMPFAIL
            ) from exc
        except Exception as exc:  # noqa: BLE001 - a retry would fail the same way
            logger.exception(
                "Unsubscribe e-mail ignored: it cannot be read (%s)", type(exc).__name__
            )
            return
        logger.info("Unsubscribed user %s from %s by e-mail", user.pk, ", ".join(kinds))
