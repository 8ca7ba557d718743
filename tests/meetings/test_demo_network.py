"""The demo's network meetings: the coming one, and one held earlier this year whose
participation the year's account shows; a second run reports on the demo's own."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from allas.demo_days import is_workday
from meetings.models import Invitation, NetworkMeeting

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = io.StringIO()
    for command in ["load_demo", "load_demo_groups", "load_demo_meetings"]:
        call_command(command, stdout=out)
    return out.getvalue()


def test_the_demo_has_a_meeting_held_this_year_with_answers_and_minutes():
    _load()
    held = NetworkMeeting.objects.get(status=NetworkMeeting.Status.HELD)
    local = timezone.localtime(held.starts_at)
    assert local.year == timezone.localdate().year and is_workday(local.date())
    assert held.starts_at < timezone.now() and held.minutes and held.minutes_published_at
    invitations = held.invitations.all()
    assert invitations and all(i.sent_at for i in invitations)
    assert invitations.filter(answer=Invitation.Answer.YES).count() > invitations.count() / 2
    response = io.StringIO()
    call_command("load_demo_meetings", stdout=response)
    assert NetworkMeeting.objects.filter(status=NetworkMeeting.Status.HELD).count() == 1


def test_a_second_run_reports_on_the_demos_own_meeting_not_the_newest(staff):
    _load()
    NetworkMeeting.objects.create(
        title="Extra träff som personalen lade till",
        starts_at=timezone.now() + datetime.timedelta(days=200),
        ends_at=timezone.now() + datetime.timedelta(days=200, hours=2),
        venue="Stadshuset",
        rsvp_deadline=timezone.now() + datetime.timedelta(days=190),
        report_deadline=timezone.now() + datetime.timedelta(days=190),
    )
    out = io.StringIO()
    call_command("load_demo_meetings", stdout=out)
    assert "Meeting “Nätverksträff för Allas Vimmerby”" in out.getvalue()
    assert "Extra träff" not in out.getvalue()
