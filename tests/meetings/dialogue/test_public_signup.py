"""Signing up on a meeting's page and everything after, as the person does it in the
browser: a resident gets a seat or a place in line at once; a visitor gets a link, and
only pressing its button (a POST) confirms; the personal page changes the needs and
cancels, and the first in line moves up with a calendar file; a second try and a try past
the rate limit change nothing."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from allas.models import OutboundEmail
from meetings.models import SignUp
from tests.dialogue_factories import dialogue_meeting, signup

Status = SignUp.Status
pytestmark = pytest.mark.django_db


def state():
    return (
        sorted(
            SignUp.objects.values_list(
                "id", "status", "email", "food_needs", "access_needs", "token", "version"
            )
        ),
        OutboundEmail.objects.count(),
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def mails(kind):
    return list(OutboundEmail.objects.filter(kind=f"meetings.dialogue_{kind}").order_by("id"))


def personal_link(mail) -> str:
    """The path of the personal page in an e-mail's text."""
    start = mail.body_text.index("/moten/anmalan/")
    return mail.body_text[start:].split()[0]


@pytest.fixture
def meeting(db):
    return dialogue_meeting(title="Bygdemöte om skolan", capacity=2, asks_food=True)


def sign_up(client, meeting, source=None, **data):
    """The meeting page's sign-up form, sent from `source` (an IP address) if given."""
    extra = {"REMOTE_ADDR": source} if source else {}
    return client.post(f"/moten/{meeting.pk}/anmal/", data, **extra)


# -- a signed-in resident --------------------------------------------------------------


def test_a_resident_gets_a_seat_in_one_step_and_sees_it_on_the_page(client, meeting, resident):
    client.force_login(resident)
    page = client.get(f"/moten/{meeting.pk}/").content.decode()
    # One button and the needs the meeting asks about; no name or address to type.
    assert 'name="food_needs"' in page
    assert 'name="email"' not in page and 'name="access_needs"' not in page
    response = sign_up(client, meeting, food_needs="Glutenfritt")
    assert response.status_code == 302
    made = SignUp.objects.get(meeting=meeting)
    assert (made.user, made.status, made.food_needs) == (resident, Status.SIGNED_UP, "Glutenfritt")
    [message] = messages_of(response)
    assert "e-post" in message or "e-mail" in message
    page = client.get(f"/moten/{meeting.pk}/")
    assert page.context["mine"] == made
    assert page.context["form"] is None
    assert made.get_answer_url() in page.content.decode()
    [mail] = mails("confirmation")
    assert mail.to == resident.email


def test_a_resident_at_a_full_meeting_is_told_the_place_in_line(client, meeting, resident):
    signup(meeting)
    signup(meeting)
    signup(meeting, status=Status.WAITING)
    client.force_login(resident)
    assert client.get(f"/moten/{meeting.pk}/").context["seats"].left == 0
    response = sign_up(client, meeting)
    made = SignUp.objects.get(meeting=meeting, user=resident)
    assert made.status == Status.WAITING
    [message] = messages_of(response)
    assert "2" in message
    page = client.get(f"/moten/{meeting.pk}/")
    assert page.context["mine"].place == 2
    assert [m.to for m in mails("waiting")] == [resident.email]


def test_a_second_sign_up_shows_the_reason_and_changes_nothing(client, meeting, resident):
    client.force_login(resident)
    sign_up(client, meeting, food_needs="Glutenfritt")
    before = state()
    response = sign_up(client, meeting, food_needs="Laktosfritt")
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors()
    assert error
    assert state() == before


# -- a visitor -------------------------------------------------------------------------


def test_a_visitor_confirms_by_the_button_and_opening_the_link_changes_nothing(client, meeting):
    page = client.get(f"/moten/{meeting.pk}/").content.decode()
    assert 'name="name"' in page and 'name="email"' in page
    response = sign_up(
        client, meeting, name="Gäst Gustavsson", email="Gast@Example.se", food_needs="Vegansk"
    )
    assert response.status_code == 302
    [message] = messages_of(response)
    assert "gast@example.se" in message and "24" in message
    made = SignUp.objects.get(meeting=meeting)
    assert made.status == Status.UNCONFIRMED
    [mail] = mails("verify")
    assert mail.to == "gast@example.se"
    link = personal_link(mail)
    assert link == made.get_answer_url()

    # A mail scanner or the person opens the link: it shows the button, nothing more.
    before = state()
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["can_confirm"]
    assert f'action="{link}bekrafta/"' in page.content.decode()
    assert client.get(link + "bekrafta/").status_code == 405
    assert state() == before
    assert client.get(f"/moten/{meeting.pk}/").context["seats"].seated == 0

    response = client.post(link + "bekrafta/")
    assert response.status_code == 302 and response["Location"] == link
    made.refresh_from_db()
    assert made.status == Status.SIGNED_UP
    [confirmation] = mails("confirmation")
    assert confirmation.to == "gast@example.se"
    page = client.get(link)
    assert not page.context["can_confirm"]
    assert "kalender.ics" in page.content.decode()
    # Pressed again (a double click): nothing more happens.
    before = state()
    client.post(link + "bekrafta/")
    assert state() == before


def test_a_link_to_confirm_works_for_24_hours(client, meeting):
    sign_up(client, meeting, name="Gäst Gustavsson", email="gast@example.se")
    link = personal_link(mails("verify")[0])
    before = state()
    with freeze_time(timezone.now() + datetime.timedelta(hours=25)):
        page = client.get(link)
        assert page.status_code == 200
        assert page.context["link_expired"]
        assert not page.context["can_confirm"]
        response = client.post(link + "bekrafta/")
        assert response.status_code == 302
        [message] = messages_of(response)
        assert "24" in message
    assert state() == before


def test_a_visitor_who_tries_twice_gets_one_link(client, meeting):
    sign_up(client, meeting, name="Gäst Gustavsson", email="gast@example.se")
    before = state()
    response = sign_up(client, meeting, name="Gäst Igen", email="gast@example.se")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert state() == before


def test_a_visitor_form_with_mistakes_is_shown_again_and_changes_nothing(client, meeting):
    before = state()
    response = sign_up(client, meeting, name="   ", email="inte-en-adress")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "email"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert state() == before


def test_the_needs_fields_are_only_those_the_meeting_asks_about(client):
    plain = dialogue_meeting()
    page = client.get(f"/moten/{plain.pk}/").content.decode()
    assert 'name="food_needs"' not in page and 'name="access_needs"' not in page
    sign_up(client, plain, name="Gäst", email="gast@example.se", food_needs="Smuggel")
    assert SignUp.objects.get().food_needs == ""


# -- the personal page -----------------------------------------------------------------


@pytest.fixture
def full(db):
    """One seat: Anna has it, Bo waits first and Cecilia second."""
    meeting = dialogue_meeting(capacity=1, asks_food=True, asks_access=True)
    anna = signup(meeting, name="Anna", email="anna@example.se", food_needs="Nötter")
    bo = signup(meeting, name="Bo", email="bo@example.se", status=Status.WAITING)
    cecilia = signup(
        meeting,
        name="Cecilia",
        email="cecilia@example.se",
        status=Status.WAITING,
        queued_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    return meeting, anna, bo, cecilia


def test_the_personal_page_changes_the_needs(client, full):
    _meeting, anna, _bo, _cecilia = full
    link = anna.get_answer_url()
    page = client.get(link)
    assert page.context["needs_form"].initial["food_needs"] == "Nötter"
    assert page["Cache-Control"] == "private, no-store"
    response = client.post(link + "behov/", {"food_needs": "Inga", "access_needs": "Hörslinga"})
    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.food_needs, anna.access_needs, anna.status) == ("Inga", "Hörslinga", "signed_up")


def test_a_waiting_person_sees_the_place_in_line(client, full):
    _meeting, _anna, _bo, cecilia = full
    page = client.get(cecilia.get_answer_url())
    assert page.context["place"] == 2
    # No calendar file until there is a seat.
    assert client.get(cecilia.get_answer_url() + "kalender.ics").status_code == 404


def test_cancelling_moves_the_first_in_line_up_with_a_calendar_file(client, full):
    meeting, anna, bo, cecilia = full
    response = client.post(anna.get_answer_url() + "avanmal/")
    assert response.status_code == 302
    anna.refresh_from_db()
    bo.refresh_from_db()
    cecilia.refresh_from_db()
    assert (anna.status, anna.food_needs) == (Status.CANCELLED, "")
    assert bo.status == Status.SIGNED_UP
    assert cecilia.status == Status.WAITING
    [moved] = mails("moved_up")
    assert moved.to == "bo@example.se"
    [attachment] = moved.attachments
    cal = Calendar.from_ical(attachment["content"])
    [event] = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == bo.calendar_uid
    assert client.get(cecilia.get_answer_url()).context["place"] == 1
    # The cancelled page offers nothing more to change, and cancelling again changes nothing.
    page = client.get(anna.get_answer_url())
    assert not page.context["open_to_change"]
    before = state()
    client.post(anna.get_answer_url() + "avanmal/")
    assert state() == before
    assert client.get(f"/moten/{meeting.pk}/").context["seats"].seated == 1


def test_the_personal_calendar_file_is_the_persons_own(client, full):
    _meeting, anna, _bo, _cecilia = full
    response = client.get(anna.get_answer_url() + "kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == anna.calendar_uid
    assert "anna@example.se" in str(event["ATTENDEE"])


def test_after_the_start_nothing_can_be_changed(client, full):
    meeting, anna, _bo, _cecilia = full
    before = state()
    with freeze_time(meeting.starts_at + datetime.timedelta(minutes=5)):
        page = client.get(anna.get_answer_url())
        assert not page.context["open_to_change"]
        for action, data in [("behov/", {"food_needs": "Sent"}), ("avanmal/", {})]:
            response = client.post(anna.get_answer_url() + action, data)
            assert response.status_code == 302
            assert messages_of(response)
    assert state() == before


def test_a_link_of_a_meeting_long_past_is_a_friendly_404(client, full):
    meeting, anna, _bo, _cecilia = full
    with freeze_time(meeting.ends_at + datetime.timedelta(days=31)):
        response = client.get(anna.get_answer_url())
    assert response.status_code == 404
    assert response.templates[0].name == "meetings/dialogue/link_not_found.html"
    assert 'href="/moten/"' in response.content.decode()


# -- the rate limit --------------------------------------------------------------------


def test_too_many_sign_ups_for_one_address_are_refused_and_change_nothing(
    client, settings, meeting
):
    settings.DIALOGUE_SIGNUP_RATE = "2/h/key,10/h/ip"
    other = dialogue_meeting(title="Workshop")
    third = dialogue_meeting(title="Vandring")
    sign_up(client, meeting, name="Gäst", email="gast@example.se")
    sign_up(client, other, name="Gäst", email="gast@example.se")
    before = state()
    response = sign_up(client, third, name="Gäst", email="GAST@example.se")
    assert response.status_code == 429
    assert response.context["form"].non_field_errors()
    assert state() == before
    # Another address from the same place still gets through.
    assert sign_up(client, third, name="Värd", email="vard@example.se").status_code == 302


def test_too_many_sign_ups_from_one_source_are_refused_and_change_nothing(
    client, settings, meeting
):
    settings.DIALOGUE_SIGNUP_RATE = "5/h/key,2/h/ip"
    sign_up(client, meeting, name="Ett", email="ett@example.se")
    sign_up(client, meeting, name="Två", email="tva@example.se")
    before = state()
    response = sign_up(client, meeting, name="Tre", email="tre@example.se")
    assert response.status_code == 429
    assert state() == before
    # From another source the same address is welcome.
    other = sign_up(client, meeting, source="192.0.2.7", name="Tre", email="tre@example.se")
    assert other.status_code == 302


def test_a_resident_is_counted_by_the_account_address(client, settings, meeting, resident):
    settings.DIALOGUE_SIGNUP_RATE = "1/h/key,10/h/ip"
    client.force_login(resident)
    other = dialogue_meeting(title="Workshop")
    sign_up(client, meeting)
    before = state()
    assert sign_up(client, other).status_code == 429
    assert state() == before
