"""Calendar replies to network meeting invitations, as an MTA's pipe transport delivers
them: one e-mail on standard input. For example, in Postfix's aliases:

    natverksmote: "|/srv/allas/.venv/bin/python /srv/allas/manage.py receive_mail"

Exit status 0 when the e-mail was handled or deliberately ignored (both are logged, and
listed in the admin under "Calendar replies"), also when it cannot be read at all (too large,
nested too deep, broken): retrying would fail the same way. 75 (EX_TEMPFAIL) only when the
database is down or unreachable: the MTA then keeps the e-mail and tries again.

With --imap, the command instead reads every unseen e-mail in the mailbox of
MEETING_IMAP_URL (imaps://user:password@host:993/INBOX, always over TLS) and marks each
one it handled as seen; one it could not handle stays unseen for the next run."""

import contextlib
import imaplib
import logging
import ssl
import sys
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings.inbound import MAX_BYTES, TEMPORARY_ERRORS, calendar_reply_receive

logger = logging.getLogger(__name__)

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Records calendar answers (iMIP REPLY) from one e-mail on standard input."
    # Tests hand the e-mail in as call_command(..., stdin=BytesIO(...)).
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--imap",
            action="store_true",
            help="fetch unseen e-mails from MEETING_IMAP_URL (TLS) instead of standard input",
        )

    def handle(self, *args, imap=False, **options):
        self.verbosity = options.get("verbosity", 1)
        if imap:
            return self._imap()
        stream = options.get("stdin") or sys.stdin.buffer
        # One byte more than allowed, so that a larger e-mail is seen and ignored as such.
        raw = stream.read(MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode(errors="replace")
        self._receive(raw)

    def _receive(self, raw: bytes) -> None:
        try:
            log = calendar_reply_receive(raw=raw)
        except TEMPORARY_ERRORS as exc:
            logger.exception("Calendar reply could not be handled now")
            raise CommandError(
                f"temporary failure: {type(exc).__name__}: {exc}", returncode=EX_TEMPFAIL
            ) from exc
        except Exception:
            # Even the log row could not be written; the same e-mail would fail again.
            logger.exception("Calendar reply ignored: it could not be handled")
            return
        if self.verbosity > 1:
            self.stdout.write(f"{log.outcome}: {log.reason}")

    def _imap(self) -> None:
        url = urlsplit(settings.MEETING_IMAP_URL)
        if url.scheme != "imaps" or not url.hostname:
            raise CommandError(
                "Set MEETING_IMAP_URL to imaps://user:password@host:993/INBOX (TLS only)."
            )
        mailbox = unquote(url.path.lstrip("/")) or "INBOX"
        try:
            client = imaplib.IMAP4_SSL(
                url.hostname, url.port or 993, ssl_context=ssl.create_default_context()
            )
        except (OSError, imaplib.IMAP4.error) as exc:
            raise CommandError(f"temporary failure: IMAP: {exc}", returncode=EX_TEMPFAIL) from exc
        failed = 0
        try:
            client.login(unquote(url.username or ""), unquote(url.password or ""))
            client.select(f'"{mailbox}"')
            _status, found = client.uid("SEARCH", None, "UNSEEN")
            for uid in (found[0] or b"").split():
                # PEEK: the e-mail is marked seen only once it is handled.
                _status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = next((part[1] for part in data if isinstance(part, tuple)), b"")
                try:
                    self._receive(raw)
                except CommandError:
                    failed += 1
                    continue
                client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise CommandError(f"temporary failure: IMAP: {exc}", returncode=EX_TEMPFAIL) from exc
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                client.logout()
        if failed:
            raise CommandError(f"{failed} e-mails could not be handled now", returncode=EX_TEMPFAIL)
