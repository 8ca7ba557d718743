"""The mailto: link of List-Unsubscribe: an e-mail to the unsubscribe address, piped into
`manage.py receive_unsubscribe` as the mail server delivers it."""

import io
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command

from notifications import preferences, unsubscribe
from notifications.models import Delivery
from tests.factories import UserFactory
from tests.words import Kind

pytestmark = pytest.mark.django_db


def reply_to_mailto(header: str, sender: str) -> bytes:
    """The e-mail a mail program writes when the reader picks the mailto: link."""
    mailto = next(part.strip("<> ") for part in header.split(",") if "mailto:" in part)
    url = urlsplit(mailto)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = url.path
    message["Subject"] = unquote(url.query.removeprefix("subject="))
    message.set_content("")
    return bytes(message)


def test_an_email_to_the_mailto_address_turns_that_kind_off(resident):
    headers = unsubscribe.unsubscribe_headers(user_id=resident.pk, kind=Kind.COMMENTS)
    call_command(
        "receive_unsubscribe",
        stdin=io.BytesIO(reply_to_mailto(headers["List-Unsubscribe"], resident.email)),
    )
    assert preferences.settings_for(resident)[Kind.COMMENTS] == Delivery.NEVER
    assert preferences.settings_for(resident)[Kind.ANSWERS] == Delivery.DIGEST


@pytest.mark.parametrize(
    "subject",
    ["unsubscribe", "unsubscribe not-a-token", "hej", "", "unsubscribe {token}x"],
)
def test_an_email_without_a_valid_token_changes_nothing(resident, subject):
    token = unsubscribe.unsubscribe_token(user_id=resident.pk, kind=Kind.COMMENTS)
    message = EmailMessage()
    message["From"] = resident.email
    message["To"] = "avregistrera@vimmerby.se"
    message["Subject"] = subject.format(token=token)
    message.set_content("Ta bort mig")
    before = preferences.settings_for(resident)
    call_command("receive_unsubscribe", stdin=io.BytesIO(bytes(message)))
    assert preferences.settings_for(resident) == before


@pytest.mark.django_db(transaction=True)
def test_the_mail_server_pipes_it_into_the_command_and_it_exits_0(settings):
    person = UserFactory()
    headers = unsubscribe.unsubscribe_headers(user_id=person.pk, kind=Kind.NEW_PROPOSALS)
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        url = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    done = subprocess.run(
        [sys.executable, "manage.py", "receive_unsubscribe"],
        input=reply_to_mailto(headers["List-Unsubscribe"], person.email),
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DATABASE_URL": url, "DEBUG": "true"},
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert preferences.settings_for(person)[Kind.NEW_PROPOSALS] == Delivery.NEVER
