"""Reminders by the periodic job, with the clock moved: each at its time, once, to
exactly the right people."""

import datetime

import pytest
from freezegun import freeze_time

from allas.models import OutboundEmail
from meetings import services
from meetings.models import GroupReport, ReminderSent
from tests.concurrency import require_concurrent_database, run_twice_at_once
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def sent(kind):
    return sorted(
        OutboundEmail.objects.filter(dedup_key__endswith=f":{kind}").values_list("to", flat=True)
    )


def answer(meeting, user, value):
    services.invitation_answer(invitation=meeting.invitations.get(email=user.email), answer=value)


@pytest.fixture
def answered(invited, network):
    answer(invited, network["delegate"], "yes")
    answer(invited, network["municipal"], "yes")
    answer(invited, network["board"], "no")
    return invited


def test_the_rsvp_reminder_goes_to_those_without_an_answer_once(answered, network, settings):
    settings.MEETING_RSVP_REMINDER_DAYS = 3
    deadline = answered.rsvp_deadline
    with freeze_time(deadline - datetime.timedelta(days=3, minutes=1)):
        services.send_due_reminders()
    assert sent("rsvp") == []
    with freeze_time(deadline - datetime.timedelta(days=3) + datetime.timedelta(minutes=1)):
        services.send_due_reminders()
        services.send_due_reminders()
    assert sent("rsvp") == sorted(
        [network["coordinator"].email, network["other_coordinator"].email]
    )
    with freeze_time(deadline - datetime.timedelta(hours=1)):
        services.send_due_reminders()
    assert len(sent("rsvp")) == 2


def test_those_coming_get_one_reminder_days_and_one_hours_before(answered, network, settings):
    settings.MEETING_REMINDER_DAYS_BEFORE = 2
    settings.MEETING_REMINDER_HOURS_BEFORE = 3
    start = answered.starts_at
    coming = sorted([network["delegate"].email, network["municipal"].email])
    with freeze_time(start - datetime.timedelta(days=2, minutes=-1)):
        services.send_due_reminders()
    assert sent("days_before") == coming and sent("hours_before") == []
    with freeze_time(start - datetime.timedelta(hours=2)):
        services.send_due_reminders()
        services.send_due_reminders()
    assert sent("days_before") == coming and sent("hours_before") == coming
    with freeze_time(start + datetime.timedelta(hours=1)):
        assert services.send_due_reminders() == 0


def test_no_reminder_ever_goes_to_someone_who_declined(answered, network):
    for moment in [
        answered.rsvp_deadline - datetime.timedelta(hours=1),
        answered.starts_at - datetime.timedelta(hours=1),
    ]:
        with freeze_time(moment):
            services.send_due_reminders()
    assert (
        not OutboundEmail.objects.filter(to=network["board"].email)
        .exclude(kind__in=["meetings.invitation", "meetings.confirmation"])
        .exists()
    )


def test_coordinators_whose_group_has_not_reported_are_reminded_before_the_report_deadline(
    answered, network, staff, settings
):
    settings.MEETING_REPORT_REMINDER_DAYS = 5
    from groups.models import DevelopmentGroup

    GroupReport.objects.create(
        meeting=answered,
        group=DevelopmentGroup.objects.get(locality__slug="sodra-vi"),
        experiences="x",
        plans="y",
    )
    with freeze_time(answered.report_deadline - datetime.timedelta(days=4)):
        services.send_due_reminders()
    # Storebro's coordinator, not Södra Vi's (reported), not the delegate (not a coordinator).
    assert sent("report") == [network["coordinator"].email]
    row = OutboundEmail.objects.get(dedup_key__endswith=":report")
    assert f"/natverksmoten/{answered.pk}/rapport/storebro/" in row.body_text


def test_moving_the_meeting_moves_the_reminders(answered, network, staff):
    with freeze_time(answered.starts_at - datetime.timedelta(days=3)):
        assert sent("days_before") == []
        before = {f: getattr(answered, f) for f in services.TIME_AND_PLACE}
        answered.starts_at -= datetime.timedelta(days=2)
        answered.ends_at -= datetime.timedelta(days=2)
        answered.rsvp_deadline -= datetime.timedelta(days=2)
        answered.report_deadline -= datetime.timedelta(days=2)
        answered.save()
        services.meeting_changed(meeting=answered, before=before, by=staff)
        services.send_due_reminders()
    assert len(sent("days_before")) == 2


def test_each_kind_is_sent_once_by_a_database_constraint(answered, network):
    from django.db import IntegrityError, transaction

    inv = answered.invitations.get(email=network["delegate"].email)
    ReminderSent.objects.create(invitation=inv, kind="days_before")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderSent.objects.create(invitation=inv, kind="days_before")


@pytest.mark.django_db(transaction=True)
def test_running_the_job_twice_at_the_same_time_sends_nothing_twice(
    coordinator, other_coordinator, staff
):
    require_concurrent_database()
    from tests.factories import UserFactory, membership

    for _ in range(30):
        membership(UserFactory(), slug="tuna", is_delegate=True)
    meeting = make_meeting(days_ahead=10)
    # The report deadline still ahead, so only the answer reminders are due.
    meeting.report_deadline = meeting.starts_at - datetime.timedelta(days=1)
    meeting.save()
    services.invitations_build(meeting=meeting, by=staff)
    services.invitations_send(meeting=meeting, by=staff)
    moment = meeting.rsvp_deadline - datetime.timedelta(hours=1)
    results = run_twice_at_once(lambda: services.send_due_reminders(now=moment))
    assert sum(results) == 32
    assert OutboundEmail.objects.filter(dedup_key__endswith=":rsvp").count() == 32
    assert ReminderSent.objects.filter(kind="rsvp").count() == 32


def test_staff_remind_everyone_without_an_answer_now(answered, network, staff):
    assert services.remind_unanswered_now(meeting=answered, by=staff) == 2
    assert OutboundEmail.objects.filter(dedup_key__contains=":manual:").count() == 2
