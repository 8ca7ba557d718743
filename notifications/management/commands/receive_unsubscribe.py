"""The mailto: half of List-Unsubscribe (RFC 2369): one e-mail on standard input, as an
MTA's pipe transport delivers it to the unsubscribe address. For example, in Postfix's
aliases:

    avregistrera: "|/srv/allas/.venv/bin/python /srv/allas/manage.py receive_unsubscribe"

The subject is "unsubscribe <token>", as the header's mailto: link writes it; a valid token
turns that kind of e-mail off, exactly as the one-click link does. A forged, tampered or
expired token, or an e-mail without one, changes nothing and is logged. Exit status 0 when
the e-mail was handled or deliberately ignored, 75 (EX_TEMPFAIL) when it could not be
handled now (the database is down): the MTA then keeps it and tries again."""

import email
import email.policy
import logging
import sys

from django.core.management.base import BaseCommand, CommandError

from notifications import services

logger = logging.getLogger(__name__)

EX_TEMPFAIL = 75
# An unsubscribe request is a few lines; nothing bigger is read into memory whole.
MAX_BYTES = 256 * 1024


def token_of(raw: bytes) -> str | None:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    words = str(message.get("Subject", "")).split()
    if len(words) == 2 and words[0].lower() == "unsubscribe":
        return words[1]
    return None


class Command(BaseCommand):
    help = "Turns a kind of e-mail off from an unsubscribe e-mail on standard input."
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin.buffer
        raw = stream.read(MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode()
        token = token_of(raw[:MAX_BYTES])
        try:
            found = services.unsubscribe_read(token) if token else None
            if found is None:
                logger.warning("Unsubscribe e-mail ignored: no valid token in its subject")
                return
            user, kind = found
            kinds = services.unsubscribe_apply(user=user, kind=kind)
        except Exception as exc:
            logger.exception("Unsubscribe e-mail could not be handled now")
            raise CommandError(
                f"temporary failure: {type(exc).__name__}: {exc}", returncode=EX_TEMPFAIL
            ) from exc
        logger.info("Unsubscribed user %s from %s by e-mail", user.pk, ", ".join(kinds))
