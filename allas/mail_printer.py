"""The e-mail transport of `make run`: each message printed in the terminal as a person
reads it (subject, recipients, the text and its links), and the whole message kept as an
.eml file under var/mail/, so that a newcomer finds the verification link without
scrolling through MIME parts."""

import re
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

LINK = re.compile(r"https?://[^\s<>\"')\]]+")
RULE = "─" * 72


def readable(message, saved_as: str = "") -> str:
    """One message as the terminal shows it."""
    lines = [
        RULE,
        f"E-post till: {', '.join(message.to)}",
        f"Ämne: {message.subject}",
        "",
        message.body.rstrip(),
        "",
    ]
    links = list(dict.fromkeys(LINK.findall(message.body)))
    if links:
        lines.append("Länkar:")
        lines.extend(f"  {link}" for link in links)
    attachments = [a[0] if isinstance(a, tuple) else a.get_filename() for a in message.attachments]
    if attachments:
        lines.append(f"Bilagor: {', '.join(name or '–' for name in attachments)}")
    if saved_as:
        lines.append(f"Hela meddelandet: {saved_as}")
    lines.append(RULE)
    return "\n".join(lines) + "\n"


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, stream=None, directory=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self.directory = Path(directory or settings.MAIL_PRINTER_DIR)
        self._lock = threading.RLock()

    def _save(self, message, number: int) -> str:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            path = self.directory / f"{stamp}-{number}.eml"
            path.write_bytes(message.message().as_bytes())
            return str(path)
        except OSError:
            # The printed copy is enough to go on; a full disk must not stop the outbox.
            return ""

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        sent = 0
        with self._lock:
            for number, message in enumerate(email_messages):
                try:
                    self.stream.write(readable(message, self._save(message, number)))
                    self.stream.flush()
                    sent += 1
                except Exception:
                    if not self.fail_silently:
                        raise
        return sent
