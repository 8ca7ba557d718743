"""`make run` prints each e-mail as a person reads it, and keeps the whole message."""

import email
import io
import os
import subprocess
import sys
from pathlib import Path

from django.core.mail import EmailMultiAlternatives

from allas.mail_printer import EmailBackend

ROOT = Path(__file__).resolve().parent.parent


def _message():
    message = EmailMultiAlternatives(
        subject="Bekräfta din e-postadress för Allas – Södra Vi",
        body="Hej!\n\nKlicka på länken för att bekräfta:\nhttp://127.0.0.1:8000/konto/confirm-email/abc123/\n",
        to=["åsa@example.se"],
    )
    message.attach_alternative("<p>Hej! <a href='http://x/'>Bekräfta</a></p>", "text/html")
    message.attach("inbjudan.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return message


def test_the_terminal_shows_the_decoded_subject_the_text_and_its_links(tmp_path):
    out = io.StringIO()
    assert EmailBackend(stream=out, directory=tmp_path).send_messages([_message()]) == 1
    printed = out.getvalue()
    assert "Ämne: Bekräfta din e-postadress för Allas – Södra Vi" in printed
    assert "E-post till: åsa@example.se" in printed
    assert "Länkar:\n  http://127.0.0.1:8000/konto/confirm-email/abc123/" in printed
    assert "Bilagor: inbjudan.ics" in printed
    # No MIME in the terminal: no encoded words, no base64, no HTML part.
    assert "=?utf-8?" not in printed
    assert "Content-Transfer-Encoding" not in printed
    assert "<p>" not in printed


def test_the_whole_message_is_kept_under_var_mail(tmp_path):
    out = io.StringIO()
    EmailBackend(stream=out, directory=tmp_path).send_messages([_message()])
    (saved,) = tmp_path.glob("*.eml")
    assert f"Hela meddelandet: {saved}" in out.getvalue()
    parsed = email.message_from_bytes(saved.read_bytes())
    types = [part.get_content_type() for part in parsed.walk()]
    assert "text/html" in types and "text/calendar" in types


def test_the_console_transport_of_make_run_is_the_readable_one():
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "allas.settings", "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "allas.mail_printer.EmailBackend", result.stderr
