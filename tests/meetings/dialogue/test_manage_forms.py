"""Bad input on the coordinators' forms for a dialogue meeting: the page comes back (200)
with what was typed, a Swedish message at the field it is about, and nothing changed."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from groups.models import DialogueMeeting
from tests.meetings.dialogue.test_manage_permissions import (
    base,
    db_state,
    make_world,
    meeting_form,
)
from tests.test_refused_forms import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


NEW = "/orter/storebro/grupp/moten/nytt/"


def in_swedish(text, **values):
    with translation.override("sv"):
        return gettext(text) % values if values else gettext(text)


@pytest.fixture
def refused(as_persona):
    """Posts as the coordinator; the page must come back and nothing be written."""
    client = as_persona("coordinator")

    def post(path, data):
        before = db_state()
        page = Page(client.post(path, data))
        assert db_state() == before, "a refused form changed the database"
        return page

    return post


def day(days):
    return (timezone.localtime() + datetime.timedelta(days=days)).date().isoformat()


def test_a_meeting_needs_a_title_and_a_place(refused):
    page = refused(NEW, meeting_form(title="", venue="   "))
    assert "Fyll i fältet" in page.error_of("id_title")
    assert "Fyll i fältet" in page.error_of("id_venue")
    assert page.value("id_address") == "Kyrkvägen 2, Storebro"
    assert page.value("id_asks_food") is True


def test_a_meeting_ends_after_it_starts(refused):
    page = refused(NEW, meeting_form(ends_at_1="17:00"))
    assert "Mötet måste sluta efter att det har börjat." in page.error_of("id_ends_at_0")
    assert page.value("id_ends_at_1") == "17:00"


def test_a_new_meeting_starts_in_the_future(refused):
    yesterday = day(-1)
    page = refused(NEW, meeting_form(starts_at_0=yesterday, ends_at_0=yesterday))
    assert "Välj en tid som inte har passerat." in page.error_of("id_starts_at_0")


def test_sign_up_closes_before_the_meeting_starts(refused):
    page = refused(NEW, meeting_form(signup_deadline_0=day(20), signup_deadline_1="19:00"))
    assert "Sista dagen att anmäla sig måste vara innan mötet börjar." in page.error_of(
        "id_signup_deadline_0"
    )


def test_half_a_sign_up_deadline_is_asked_for_in_full(refused):
    page = refused(NEW, meeting_form(signup_deadline_0=day(10)))
    # The time is what is missing.
    assert in_swedish("Enter a valid time.") in page.error_of("id_signup_deadline_0")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("starts_at_0", "12/13", "Enter a valid date."),
        ("starts_at_1", "halv sju", "Enter a valid time."),
        (
            "kind",
            "konsert",
            "Select a valid choice. %(value)s is not one of the available choices.",
        ),
        ("capacity", "0", "Ensure this value is greater than or equal to %(limit_value)s."),
        ("capacity", "många", "Enter a whole number."),
        ("online_link", "inte en länk", "Enter a valid URL."),
        ("goals", "9999", "Select a valid choice. %(value)s is not one of the available choices."),
    ],
)
def test_odd_values_are_refused_in_swedish(refused, field, value, message):
    values = {"value": value, "limit_value": 1}
    page = refused(NEW, meeting_form(**{field: value}))
    element = {
        "starts_at_0": "id_starts_at_0",
        "starts_at_1": "id_starts_at_0",
        "kind": "id_kind_0",
        "goals": "id_goals_0",
    }.get(field, f"id_{field}")
    assert in_swedish(message, **values) in page.error_of(element)


def test_a_time_that_does_not_exist_in_sweden_is_refused(refused):
    """The night the clocks go forward, 02.30 never happens in Stockholm."""
    year = timezone.localdate().year + 1
    march_31 = datetime.date(year, 3, 31)
    last_sunday = march_31 - datetime.timedelta(days=(march_31.weekday() + 1) % 7)
    date = last_sunday.isoformat()
    page = refused(
        NEW,
        meeting_form(starts_at_0=date, starts_at_1="02:30", ends_at_0=date, ends_at_1="04:00"),
    )
    assert "Europe/Stockholm" in page.error_of("id_starts_at_0")


def test_a_time_written_the_swedish_way_is_understood(as_persona):
    client = as_persona("coordinator")
    response = client.post(NEW, meeting_form(starts_at_1="18.15", ends_at_1="20.45"))
    assert response.status_code == 302
    meeting = DialogueMeeting.objects.get()
    assert timezone.localtime(meeting.starts_at).strftime("%H.%M") == "18.15"
    assert timezone.localtime(meeting.ends_at).strftime("%H.%M") == "20.45"


def test_a_change_to_a_published_meeting_without_a_place_tells_no_one(refused, world):
    meeting = world["published"]
    page = refused(base("published", world) + "redigera/", meeting_form(venue=""))
    assert "Fyll i fältet" in page.error_of("id_venue")
    meeting.refresh_from_db()
    assert meeting.venue == "Bygdegården"


@pytest.mark.parametrize("reason", ["", "   ", "\u200b"])
def test_a_meeting_is_not_cancelled_without_a_reason(refused, world, reason):
    page = refused(base("published", world) + "stall-in/", {"reason": reason})
    error = page.error_of("id_reason")
    assert "Fyll i fältet" in error or "Skriv" in error


def test_a_cancelled_meeting_is_not_cancelled_again(refused, world):
    meeting = world["published"]
    meeting.status = "cancelled"
    meeting.save()
    page = refused(base("published", world) + "stall-in/", {"reason": "Igen"})
    assert in_swedish("The meeting is already cancelled or held.") in page.error_of("id_reason")


@pytest.mark.parametrize("attendance", ["", "-1", "tolv", "1000001"])
def test_how_many_came_is_a_number(refused, world, attendance):
    page = refused(base("started", world) + "genomfort/", {"attendance": attendance})
    assert page.error_of("id_attendance")
    assert page.value("id_attendance") == attendance or attendance == ""


@pytest.mark.parametrize(("minutes", "message"), [("  ", "Fyll i fältet"), ("x" * 20001, "20000")])
def test_the_minutes_are_written_and_not_too_long(refused, world, minutes, message):
    page = refused(base("held", world) + "protokoll/", {"minutes": minutes})
    assert message in page.error_of("id_minutes")
