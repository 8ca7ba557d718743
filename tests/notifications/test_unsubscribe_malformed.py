"""Unsubscribe e-mails `receive_unsubscribe` cannot use: each is ignored with its reason in
the log and exit status 0, so the mail server does not retry it forever; only a database
that cannot be reached gives 75."""

import io
import logging
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection

from notifications import preferences, unsubscribe
from notifications.models import Delivery, NotificationSetting
from tests.words import Kind

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def unsubscribe_email(subject: bytes, body: bytes = b"Ta bort mig\r\n") -> bytes:
    return (
        b"From: Boende <boende@example.se>\r\nTo: avregistrera@vimmerby.se\r\n"
        b"Subject: " + subject + b"\r\nMIME-Version: 1.0\r\n" + body
    )


def settings_rows():
    return sorted(
        NotificationSetting.objects.values_list("user_id", "kind", "delivery", "changed_at")
    )


def receive(raw: bytes) -> None:
    call_command("receive_unsubscribe", stdin=io.BytesIO(raw))


def ignored_reasons(caplog) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if "Unsubscribe e-mail ignored" in r.getMessage()
    ]


def test_a_valid_request_is_read_from_the_headers_whatever_the_body_holds(resident):
    """A body nested 2,000 deep is never parsed: only the header block is read."""
    token = unsubscribe.unsubscribe_token(user_id=resident.pk, kind=Kind.COMMENTS)
    body = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (n, n)
        for n in range(2000)
    )
    receive(unsubscribe_email(b"unsubscribe " + token.encode(), body))
    assert preferences.settings_for(resident)[Kind.COMMENTS] == Delivery.NEVER


def test_a_subject_far_too_long_is_ignored_without_being_parsed(resident, caplog):
    """Decoding thousands of encoded words takes seconds; the length is checked first."""
    subject = b"unsubscribe " + b"=?utf-8?q?a?= " * 18_000
    before = settings_rows()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="notifications"):
        receive(unsubscribe_email(subject))
    assert time.monotonic() - started < 2
    assert settings_rows() == before
    assert ignored_reasons(caplog) == [
        "Unsubscribe e-mail ignored: the subject is longer than 1000 characters"
    ]


@pytest.mark.parametrize(
    "subject",
    [
        b"unsubscribe abc\x00:def",
        b"unsubscribe \xff\xfe\xed\xa0\x80:x",
        b"unsubscribe =?x-unknown?q?abc=FF=00:def?=",
        b"unsubscribe \x1b[31m:\x07",
    ],
    ids=["NUL", "bad UTF-8", "unknown charset", "terminal escape"],
)
def test_a_token_with_characters_no_token_has_is_ignored_and_logged_cleanly(
    resident, subject, caplog
):
    before = settings_rows()
    with caplog.at_level(logging.WARNING, logger="notifications"):
        receive(unsubscribe_email(subject))
    assert settings_rows() == before
    assert ignored_reasons(caplog) == [
        "Unsubscribe e-mail ignored: the token holds characters no token has"
    ]
    for record in caplog.records:
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in record.getMessage())


def test_an_error_a_retry_would_repeat_is_logged_and_exits_0(resident, monkeypatch, caplog):
    def fails(**kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(unsubscribe, "unsubscribe_apply", fails)
    token = unsubscribe.unsubscribe_token(user_id=resident.pk, kind=Kind.COMMENTS)
    with caplog.at_level(logging.WARNING, logger="notifications"):
        receive(unsubscribe_email(b"unsubscribe " + token.encode()))
    assert "Unsubscribe e-mail ignored: it cannot be read (IntegrityError)" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_with_the_database_unreachable_it_exits_75(monkeypatch):
    from tests.factories import UserFactory

    person = UserFactory()
    token = unsubscribe.unsubscribe_token(user_id=person.pk, kind=Kind.COMMENTS)
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "PORT", "9")  # nothing listens there
    try:
        with pytest.raises(CommandError) as failure:
            receive(unsubscribe_email(b"unsubscribe " + token.encode()))
    finally:
        connection.close()
        monkeypatch.undo()
    assert failure.value.returncode == 75
    assert preferences.settings_for(person)[Kind.COMMENTS] != Delivery.NEVER


def test_the_mail_server_sees_75_only_when_the_database_is_down():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/allas_nowhere"}
    token = unsubscribe.unsubscribe_token(user_id=1, kind=Kind.COMMENTS)
    done = [
        subprocess.run(
            [sys.executable, "manage.py", "receive_unsubscribe"],
            input=raw,
            cwd=ROOT,
            env={**env, "DEBUG": "true"},
            capture_output=True,
            timeout=60,
            check=False,
        )
        for raw in (
            unsubscribe_email(b"unsubscribe " + token.encode()),
            # Ignored before the database is needed: nothing to retry.
            unsubscribe_email(b"unsubscribe \x00"),
        )
    ]
    assert [d.returncode for d in done] == [75, 0], [d.stderr.decode()[-1000:] for d in done]
    assert b"temporary failure" in done[0].stderr
