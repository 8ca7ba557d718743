"""The dialogue meetings' workflows as the people in them notice: sign-up with and
without an account, the waiting list and who moves up, the e-mails with calendar files,
changes and cancellation, calendar replies through receive_mail, the reminder once, and
the personal data removed after the meeting."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from allas.models import AuditEvent, OutboundEmail
from groups.models import DevelopmentGroup, DialogueMeeting
from meetings.dialogue import lifecycle, retention, signups
from meetings.models import CalendarReply, SignUp
from meetings.services import MeetingError, send_due_reminders
from tests.factories import UserFactory
from tests.meetings.test_calendar_replies import PROGRAMS, receive

Status = SignUp.Status
pytestmark = pytest.mark.django_db


def make(days_ahead=10, capacity=None, status="published", slug="storebro", **fields):
    start = (timezone.now() + datetime.timedelta(days=days_ahead)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )
    return DialogueMeeting.objects.create(
        group=DevelopmentGroup.objects.get(locality__slug=slug),
        title="Bygdemöte om skolan",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        venue="Bygdegården",
        address="Storgatan 1, Storebro",
        capacity=capacity,
        status=status,
        **fields,
    )


def mails(kind):
    return list(OutboundEmail.objects.filter(kind=f"meetings.dialogue_{kind}").order_by("id"))


def ics_of(row):
    [attachment] = row.attachments
    return attachment, Calendar.from_ical(attachment["content"])


def event_of(row):
    attachment, cal = ics_of(row)
    [event] = cal.walk("VEVENT")
    return attachment, cal, event


def visitor_signup(meeting, email="gast@example.se", name="Gäst Gustavsson", **needs):
    return signups.signup_create(meeting=meeting, name=name, email=email, **needs)


@pytest.fixture
def meeting(db):
    return make(capacity=2, asks_food=True)


# -- signing up ---------------------------------------------------------------------


def test_a_resident_is_signed_up_at_once_with_a_personal_calendar_invitation(meeting, resident):
    signup = signups.signup_create(meeting=meeting, user=resident, food_needs="Glutenfritt")
    assert signup.status == Status.SIGNED_UP
    assert signup.food_needs == "Glutenfritt"
    [mail] = mails("confirmation")
    assert mail.to == resident.email
    assert signup.get_answer_url() in mail.body_text
    attachment, cal, event = event_of(mail)
    assert str(cal["METHOD"]) == "REQUEST"
    assert "method=REQUEST" in attachment["mimetype"]
    assert str(event["UID"]) == signup.calendar_uid
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{resident.email}"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"


def test_needs_not_asked_for_are_not_kept(resident):
    meeting = make(asks_food=False, asks_access=False)
    signup = signups.signup_create(
        meeting=meeting, user=resident, food_needs="Vegan", access_needs="Rullstol"
    )
    assert (signup.food_needs, signup.access_needs) == ("", "")


def test_a_visitor_gets_a_link_and_nothing_is_reserved_until_it_is_used(meeting):
    signup = visitor_signup(meeting)
    assert signup.status == Status.UNCONFIRMED
    assert signups.free_seats(meeting) == 2
    [mail] = mails("verify")
    assert mail.to == "gast@example.se"
    assert signup.get_answer_url() in mail.body_text
    assert "24" in mail.body_text
    assert not mail.attachments
    signups.signup_confirm(signup=signup)
    signup.refresh_from_db()
    assert signup.status == Status.SIGNED_UP
    assert signup.confirmed_at is not None
    assert len(mails("confirmation")) == 1


def test_a_confirmation_link_older_than_a_day_no_longer_confirms(meeting):
    signup = visitor_signup(meeting)
    later = freeze_time(timezone.now() + datetime.timedelta(hours=25))
    with later, pytest.raises(MeetingError, match="24"):
        signups.signup_confirm(signup=signup)
    signup.refresh_from_db()
    assert signup.status == Status.UNCONFIRMED
    assert not mails("confirmation")


def test_a_second_sign_up_for_the_same_address_says_so_and_changes_nothing(meeting, resident):
    first = signups.signup_create(meeting=meeting, user=resident)
    before = (list(SignUp.objects.values()), OutboundEmail.objects.count())
    with pytest.raises(MeetingError, match="redan anmäld|already signed up"):
        signups.signup_create(meeting=meeting, name="Någon", email=resident.email.upper())
    assert (list(SignUp.objects.values()), OutboundEmail.objects.count()) == before
    assert SignUp.objects.get().token == first.token


def test_a_second_visitor_sign_up_before_confirming_changes_nothing(meeting):
    visitor_signup(meeting)
    before = (list(SignUp.objects.values()), OutboundEmail.objects.count())
    with pytest.raises(MeetingError):
        visitor_signup(meeting, name="Annan")
    assert (list(SignUp.objects.values()), OutboundEmail.objects.count()) == before


def test_sign_up_is_closed_after_the_deadline_and_for_drafts(resident):
    closed = make(signup_deadline=timezone.now() - datetime.timedelta(hours=1))
    draft = make(status="draft")
    for meeting in (closed, draft):
        with pytest.raises(MeetingError):
            signups.signup_create(meeting=meeting, user=resident)
    assert not SignUp.objects.exists()


def test_bad_names_and_addresses_are_refused():
    meeting = make()
    for name, email in [("", "a@example.se"), ("Anna", "inte-en-adress")]:
        with pytest.raises(MeetingError):
            signups.signup_create(meeting=meeting, name=name, email=email)
    assert not SignUp.objects.exists()


# -- capacity and the waiting list ---------------------------------------------------


def test_a_full_meeting_puts_people_on_the_waiting_list_with_their_place(meeting):
    people = [UserFactory() for _ in range(4)]
    made = [signups.signup_create(meeting=meeting, user=p) for p in people]
    assert [s.status for s in made] == [Status.SIGNED_UP] * 2 + [Status.WAITING] * 2
    assert [signups.waiting_place(s) for s in made[2:]] == [1, 2]
    waiting_mails = mails("waiting")
    assert [m.to for m in waiting_mails] == [people[2].email, people[3].email]
    assert "2" in waiting_mails[1].body_text
    assert not waiting_mails[0].attachments


def test_a_cancellation_by_link_moves_the_first_in_line_up_and_tells_them(meeting):
    people = [UserFactory() for _ in range(4)]
    made = [signups.signup_create(meeting=meeting, user=p) for p in people]
    signups.signup_cancel(signup=made[0])
    statuses = dict(SignUp.objects.values_list("user_id", "status"))
    assert statuses[people[0].pk] == Status.CANCELLED
    assert statuses[people[2].pk] == Status.SIGNED_UP
    assert statuses[people[3].pk] == Status.WAITING
    assert signups.waiting_place(SignUp.objects.get(user=people[3])) == 1
    [moved] = mails("moved_up")
    assert moved.to == people[2].email
    _, cal, event = event_of(moved)
    assert str(cal["METHOD"]) == "REQUEST"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    # The person who cancelled gets a calendar file that removes the meeting.
    [cancelled] = mails("cancelled_signup")
    _, cal, _event = event_of(cancelled)
    assert str(cal["METHOD"]) == "CANCEL"


def test_cancelling_a_place_in_line_moves_no_one(meeting):
    people = [UserFactory() for _ in range(3)]
    made = [signups.signup_create(meeting=meeting, user=p) for p in people]
    signups.signup_cancel(signup=made[2])
    assert not mails("moved_up")
    assert SignUp.objects.seated().count() == 2


def test_more_places_give_the_waiting_their_seats(meeting, coordinator):
    people = [UserFactory() for _ in range(4)]
    for p in people:
        signups.signup_create(meeting=meeting, user=p)
    lifecycle.dialogue_edit(meeting=meeting, fields={"capacity": 3}, by=coordinator)
    assert SignUp.objects.seated().count() == 3
    assert [m.to for m in mails("moved_up")] == [people[2].email]


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_the_same_moment_never_both_get_it():
    from tests.concurrency import require_concurrent_database, run_twice_at_once

    require_concurrent_database()
    meeting = make(capacity=1)
    people = iter([UserFactory(), UserFactory()])
    pairs = [next(people), next(people)]
    turn = iter(pairs)

    def take():
        return signups.signup_create(meeting=meeting, user=next(turn)).status

    results = run_twice_at_once(take)
    assert sorted(results) == [Status.SIGNED_UP, Status.WAITING]
    assert SignUp.objects.seated().count() == 1


# -- publishing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "direct"), [("direct", True), ("digest", False), ("never", False)]
)
def test_followers_of_the_ort_hear_of_a_published_meeting_as_they_chose(
    coordinator, choice, direct
):
    from allas.models import Locality
    from notifications.follows import follow_toggle
    from notifications.preferences import settings_save

    reader = UserFactory()
    follow_toggle(user=reader, locality=Locality.objects.get(slug="storebro"))
    settings_save(user=reader, choices={"dialogue": choice})
    draft = make(status="draft")
    lifecycle.dialogue_publish(meeting=draft, by=coordinator)
    sent = OutboundEmail.objects.filter(kind="notifications.dialogue", to=reader.email)
    assert sent.exists() == direct
    if direct:
        assert "Bygdemöte om skolan" in sent.get().subject
    assert DialogueMeeting.objects.get().status == "published"
    assert AuditEvent.objects.filter(verb="meeting.dialogue_published").count() == 1


def test_only_a_draft_is_published_and_not_after_its_start(coordinator):
    started = make(status="draft", days_ahead=-1)
    with pytest.raises(MeetingError):
        lifecycle.dialogue_publish(meeting=started, by=coordinator)
    published = make()
    with pytest.raises(MeetingError):
        lifecycle.dialogue_publish(meeting=published, by=coordinator)
    assert not AuditEvent.objects.filter(verb="meeting.dialogue_published").exists()


# -- changes and cancellation of the meeting -----------------------------------------


def test_a_new_time_tells_everyone_what_changed_with_a_higher_sequence(meeting, coordinator):
    people = [UserFactory(language="sv") for _ in range(3)]
    for p in people:
        signups.signup_create(meeting=meeting, user=p)
    later = meeting.starts_at + datetime.timedelta(days=1)
    told = lifecycle.dialogue_edit(
        meeting=meeting,
        fields={"starts_at": later, "ends_at": later + datetime.timedelta(hours=2)},
        by=coordinator,
    )
    assert told == 3
    updates = mails("update")
    assert sorted(m.to for m in updates) == sorted(p.email for p in people)
    text = updates[0].body_text
    assert "Tid: " in text and "tidigare: " in text
    _, _cal, event = event_of(updates[0])
    assert int(event["SEQUENCE"]) == 1
    assert AuditEvent.objects.filter(verb="meeting.dialogue_edited").exists()


def test_a_new_description_tells_no_one(meeting, coordinator, resident):
    signups.signup_create(meeting=meeting, user=resident)
    assert (
        lifecycle.dialogue_edit(meeting=meeting, fields={"description": "Ny"}, by=coordinator) == 0
    )
    assert not mails("update")


def test_cancelling_asks_for_a_reason_and_tells_everyone_signed_up_and_waiting(
    meeting, coordinator
):
    people = [UserFactory() for _ in range(3)]
    for p in people:
        signups.signup_create(meeting=meeting, user=p)
    with pytest.raises(MeetingError):
        lifecycle.dialogue_cancel(meeting=meeting, reason="  ", by=coordinator)
    assert DialogueMeeting.objects.get().status == "published"
    assert lifecycle.dialogue_cancel(meeting=meeting, reason="Snöstorm", by=coordinator) == 3
    rows = mails("cancelled")
    assert sorted(m.to for m in rows) == sorted(p.email for p in people)
    assert "Snöstorm" in rows[0].body_text
    attachment, cal, _event = event_of(rows[0])
    assert str(cal["METHOD"]) == "CANCEL"
    assert "method=CANCEL" in attachment["mimetype"]


def test_held_not_before_it_starts_then_minutes_tell_those_signed_up(meeting, coordinator):
    person = UserFactory()
    signups.signup_create(meeting=meeting, user=person)
    with pytest.raises(MeetingError):
        lifecycle.dialogue_mark_held(meeting=meeting, attendance=12, by=coordinator)
    with freeze_time(meeting.starts_at + datetime.timedelta(minutes=5)):
        lifecycle.dialogue_mark_held(meeting=meeting, attendance=12, by=coordinator)
        assert (
            lifecycle.dialogue_minutes_publish(
                meeting=meeting, minutes="Vi pratade om skolan.", by=coordinator
            )
            == 1
        )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance) == ("held", 12)
    assert [m.to for m in mails("minutes")] == [person.email]


# -- calendar replies -----------------------------------------------------------------


@pytest.mark.parametrize("program", PROGRAMS)
def test_declined_in_a_calendar_cancels_and_moves_the_first_in_line_up(meeting, program):
    people = [UserFactory() for _ in range(3)]
    made = [signups.signup_create(meeting=meeting, user=p) for p in people]
    receive(
        PROGRAMS[program](uid=made[0].calendar_uid, attendee=people[0].email, partstat="DECLINED")
    )
    made[0].refresh_from_db()
    assert made[0].status == Status.CANCELLED
    assert made[0].changed_by == "calendar"
    assert SignUp.objects.get(user=people[2]).status == Status.SIGNED_UP
    log = CalendarReply.objects.get()
    assert (log.outcome, log.signup_id) == ("recorded", made[0].pk)


def test_accepted_from_a_calendar_changes_nothing(meeting, resident):
    signup = signups.signup_create(meeting=meeting, user=resident)
    receive(
        PROGRAMS["outlook"](uid=signup.calendar_uid, attendee=resident.email, partstat="ACCEPTED")
    )
    signup.refresh_from_db()
    assert signup.status == Status.SIGNED_UP
    assert CalendarReply.objects.get().outcome == "unchanged"


def test_a_reply_with_a_forged_uid_or_another_attendee_changes_nothing(meeting, resident):
    signup = signups.signup_create(meeting=meeting, user=resident)
    forged = signup.calendar_uid[:-30] + "0" * 24 + "@allas-vimmerby"
    receive(PROGRAMS["google"](uid=forged, attendee=resident.email, partstat="DECLINED"))
    receive(
        PROGRAMS["google"](
            uid=signup.calendar_uid, attendee="annan@example.se", partstat="DECLINED"
        )
    )
    signup.refresh_from_db()
    assert signup.status == Status.SIGNED_UP
    assert list(CalendarReply.objects.values_list("outcome", flat=True)) == ["ignored"] * 2


def test_a_reply_after_the_start_changes_nothing(meeting, resident):
    signup = signups.signup_create(meeting=meeting, user=resident)
    with freeze_time(meeting.starts_at + datetime.timedelta(minutes=1)):
        receive(
            PROGRAMS["apple"](uid=signup.calendar_uid, attendee=resident.email, partstat="DECLINED")
        )
    signup.refresh_from_db()
    assert signup.status == Status.SIGNED_UP


# -- the reminder ---------------------------------------------------------------------


def test_the_reminder_goes_once_to_those_with_a_seat_two_days_before(meeting, settings):
    settings.DIALOGUE_REMINDER_HOURS = 48
    people = [UserFactory() for _ in range(3)]
    for p in people:
        signups.signup_create(meeting=meeting, user=p)
    assert send_due_reminders() == 0
    with freeze_time(meeting.starts_at - datetime.timedelta(hours=47)):
        send_due_reminders()
        send_due_reminders()
        call_command("run_periodic", "--once")
    rows = mails("reminder")
    assert sorted(m.to for m in rows) == sorted(p.email for p in people[:2])
    assert rows[0].attachments


# -- personal data ----------------------------------------------------------------------


def test_visitors_and_needs_are_removed_after_the_meeting_and_the_count_stays(
    meeting, resident, settings
):
    settings.DIALOGUE_SIGNUP_RETENTION_DAYS = 90
    signups.signup_create(meeting=meeting, user=resident, food_needs="Laktosfritt")
    guest = visitor_signup(meeting, food_needs="Vegan")
    signups.signup_confirm(signup=guest)
    never = visitor_signup(meeting, email="aldrig@example.se")
    with freeze_time(meeting.ends_at + datetime.timedelta(days=89)):
        retention.signup_data_remove()
    assert SignUp.objects.count() == 2
    assert not SignUp.objects.filter(pk=never.pk).exists()
    with freeze_time(meeting.ends_at + datetime.timedelta(days=91)):
        assert retention.signup_data_remove() == 1
        assert retention.signup_data_remove() == 0
    meeting.refresh_from_db()
    assert meeting.kept_signup_count == 2
    [kept] = SignUp.objects.all()
    assert kept.user == resident
    assert kept.food_needs == ""


def test_deleting_the_account_deletes_the_sign_up(meeting, resident):
    signups.signup_create(meeting=meeting, user=resident)
    resident.delete()
    assert not SignUp.objects.exists()
