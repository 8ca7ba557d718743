"""The embedded default's periodic loop (`manage.py run_periodic`, as `make run` starts it):
every job of the beat schedule runs in its own process, with no broker."""

import os
import signal
import subprocess
import sys
import urllib.request
from datetime import timedelta
from email import message_from_string, policy

import pytest
from django.utils import timezone

from allas import services as outbox
from allas.models import OutboundEmail, PeriodicJobRun
from meetings import services as meetings
from proposals.models import Proposal
from tests.factories import UserFactory
from tests.integration.conftest import ROOT, _database_url, wait_for
from tests.meetings.conftest import make_meeting
from tests.proposals.conftest import make_proposal

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def run_periodic(database_url, mail_dir, *args, **popen):
    env = {
        **os.environ,
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        # django-environ drops one slash: four make an absolute path.
        "EMAIL_URL": f"filemail:///{mail_dir}",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_periodic", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )


def delivered(mail_dir) -> list:
    """The messages the file backend wrote, one file per connection."""
    messages = []
    for path in sorted(mail_dir.iterdir()):
        for part in path.read_text().split("-" * 79):
            if part.strip():
                messages.append(message_from_string(part.strip(), policy=policy.default))
    return messages


def test_the_loop_runs_every_job_in_process_and_the_reminders_arrive(
    settings, tmp_path, live_server, coordinator
):
    # A meeting whose answer deadline is near: the coordinator has not answered.
    meeting = make_meeting(days_ahead=10, rsvp_deadline=timezone.now() + timedelta(days=2))
    meetings.invitations_build(meeting=meeting, by=None)
    meetings.invitations_send(meeting=meeting, by=None)
    # A proposal left unanswered for 31 days.
    make_proposal(UserFactory())
    Proposal.objects.update(created_at=timezone.now() - timedelta(days=31))
    # An e-mail whose task was lost.
    lost = outbox.email_queue(to="borttappad@example.se", subject="Borttappad", body_text=".")
    OutboundEmail.objects.filter(pk=lost.pk).update(
        status="queued", sent_at=None, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    with urllib.request.urlopen(f"{live_server.url}/healthz") as response:
        assert b'"periodic": "never"' in response.read()

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    loop = run_periodic(_database_url(settings), mail_dir, "--interval", "1")
    try:
        kinds = ["meetings.reminder", "proposals.reminder"]
        wait_for(
            lambda: (
                set(OutboundEmail.objects.filter(status="sent").values_list("kind", flat=True))
                >= set(kinds)
                and OutboundEmail.objects.get(pk=lost.pk).status == "sent"
            ),
            timeout=60,
            what="the reminders and the lost e-mail to be sent by the loop",
        )
    finally:
        loop.send_signal(signal.SIGTERM)
        output = loop.communicate(timeout=30)[0]
    assert "NotRegistered" not in output and "failed" not in output, output
    subjects = {str(m["Subject"]).strip() for m in delivered(mail_dir)}
    reminded = OutboundEmail.objects.filter(kind__in=kinds)
    assert coordinator.email in {row.to for row in reminded}
    for row in reminded:
        assert row.subject in subjects
    assert "Borttappad" in subjects
    assert PeriodicJobRun.objects.filter(job="outbox-sweep").exists()
    with urllib.request.urlopen(f"{live_server.url}/healthz") as response:
        assert b'"periodic": "ok"' in response.read()


def test_once_exits_non_zero_and_logs_the_traceback_when_a_job_fails(tmp_path):
    # A database without tables: every job fails, each with its traceback.
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    process = run_periodic(f"sqlite:///{empty}", mail_dir, "--once")
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 1, output
    assert "Traceback (most recent call last)" in output
    assert "no such table" in output
    assert "Periodic jobs failed: outbox-sweep" in output


def test_once_exits_zero_when_every_job_ran(settings, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    process = run_periodic(_database_url(settings), mail_dir, "--once")
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 0, output
    assert "NotRegistered" not in output
    assert PeriodicJobRun.objects.filter(job="outbox-sweep").exists()
