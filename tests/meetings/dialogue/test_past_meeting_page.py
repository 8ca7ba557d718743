"""A dialogue meeting's page and a person's own sign-up page tell the truth once sign-up
has closed and once the meeting is over: no sign-up form, deadline, places, calendar file
or poster for a meeting that has started, ended, been held or been cancelled, and the
date it was held, with its minutes. For a visitor, a resident who signed up, the group's
coordinator and staff."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import override

from tests.dialogue_factories import dialogue_meeting, signup

pytestmark = pytest.mark.django_db

MINUTES = "Vi bestämde att ordna en städdag i maj."
PERSONAS = ["visitor", "resident", "coordinator", "staff"]
OFFERS = ("Sign up by", "Places", "Sign me up", "Add to your calendar", "Poster to print")


def meeting_in(state):
    now = timezone.now()
    if state == "coming":
        return dialogue_meeting(capacity=10)
    if state == "cancelled":
        return dialogue_meeting(status="cancelled", cancel_reason="Lokalen är inte ledig.")
    if state == "started":
        start = now - datetime.timedelta(minutes=30)
        return dialogue_meeting(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    if state == "closed":  # the deadline has passed, the meeting has not started
        return dialogue_meeting(capacity=10, signup_deadline=now - datetime.timedelta(hours=1))
    start = now - datetime.timedelta(days=10)
    fields = {"starts_at": start, "ends_at": start + datetime.timedelta(hours=2), "capacity": 10}
    if state == "held":
        fields |= {"status": "held", "attendance": 12}
    if state == "held_with_minutes":
        fields |= {"status": "held", "minutes": MINUTES, "minutes_published_at": now}
    return dialogue_meeting(**fields)


def visit(client, request, persona, meeting):
    """The meeting's page in English as the persona sees it; the resident signed up."""
    if persona == "visitor":
        client.cookies["django_language"] = "en"
    else:
        user = request.getfixturevalue(persona)
        user.language = "en"
        user.save(update_fields=["language"])
        if persona == "resident":
            signup(meeting, user=user)
        client.force_login(user)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def said(meeting, sentence):
    with override("en"):
        return sentence.format(date_format(timezone.localtime(meeting.starts_at), "j F Y"))


@pytest.mark.parametrize("persona", ["visitor", "coordinator", "staff"])
def test_a_coming_meeting_offers_sign_up_the_deadline_and_the_calendar(client, request, persona):
    meeting = meeting_in("coming")
    page = visit(client, request, persona, meeting)
    for offer in ("Places", "Sign me up", "Add to your calendar", "Poster to print"):
        assert offer in page
    assert "took place" not in page and "was held" not in page


def test_a_resident_signed_up_to_a_coming_meeting_sees_their_sign_up(client, resident):
    meeting = meeting_in("coming")
    page = visit(client, None, "visitor", meeting)  # first as a visitor: the form
    assert "Sign me up" in page
    resident.language = "en"
    resident.save(update_fields=["language"])
    signup(meeting, user=resident)
    client.force_login(resident)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "You are signed up for the meeting." in page and "Sign me up" not in page


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", ["started", "closed"])
def test_once_sign_up_has_closed_no_deadline_or_places_are_offered(client, request, persona, state):
    page = visit(client, request, persona, meeting_in(state))
    assert "Sign up by" not in page and "Places" not in page and "Sign me up" not in page
    assert "waiting list" not in page


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", ["over", "held", "held_with_minutes", "cancelled"])
def test_a_past_or_cancelled_meeting_offers_nothing_to_sign_up_for(client, request, persona, state):
    meeting = meeting_in(state)
    page = visit(client, request, persona, meeting)
    for offer in OFFERS:
        assert offer not in page, offer
    assert f"/moten/{meeting.pk}/kalender.ics" not in page
    assert f"/moten/{meeting.pk}/affisch/" not in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_ended_meeting_says_when_it_took_place(client, request, persona):
    meeting = meeting_in("over")
    page = visit(client, request, persona, meeting)
    assert said(meeting, "The meeting took place on {}.") in page
    assert "No minutes have been published yet." in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_held_meeting_says_when_it_was_held_and_who_came(client, request, persona):
    meeting = meeting_in("held")
    page = visit(client, request, persona, meeting)
    assert said(meeting, "The meeting was held on {}.") in page
    assert "12 people came." in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_held_meeting_shows_its_minutes(client, request, persona):
    meeting = meeting_in("held_with_minutes")
    page = visit(client, request, persona, meeting)
    assert said(meeting, "The meeting was held on {}.") in page
    assert MINUTES in page and "No minutes have been published yet." not in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_cancelled_meeting_says_so(client, request, persona):
    page = visit(client, request, persona, meeting_in("cancelled"))
    assert "The meeting is cancelled." in page and "Lokalen är inte ledig." in page


# -- the person's own sign-up page --------------------------------------------------------


def own_page(client, meeting, **fields):
    client.cookies["django_language"] = "en"
    row = signup(meeting, **fields)
    response = client.get(row.get_answer_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_own_page_of_a_coming_meeting_offers_the_calendar_and_cancelling(client):
    page = own_page(client, meeting_in("coming"))
    assert "You are signed up for the meeting." in page
    assert "Add the meeting to your calendar" in page and "Cancel my sign-up" in page


@pytest.mark.parametrize("state", ["over", "held", "held_with_minutes"])
def test_the_own_page_of_a_past_meeting_says_what_the_sign_up_was(client, state):
    meeting = meeting_in(state)
    page = own_page(client, meeting)
    assert "You were signed up for the meeting." in page
    assert "You are signed up" not in page
    assert "Add the meeting to your calendar" not in page and "Cancel my sign-up" not in page
    if state == "over":
        assert said(meeting, "The meeting took place on {}.") in page
    else:
        assert said(meeting, "The meeting was held on {}.") in page
    assert ("Read the minutes" in page) == (state == "held_with_minutes")


def test_the_own_page_of_a_past_meeting_makes_no_promise_to_the_waiting_list(client):
    page = own_page(client, meeting_in("held"), status="waiting")
    assert "You were on the waiting list" in page
    assert "We will e-mail you" not in page and "Leave the waiting list" not in page


# -- what the page costs -----------------------------------------------------------------


@pytest.mark.parametrize("state", ["coming", "over", "held_with_minutes", "cancelled"])
def test_the_page_costs_the_same_in_every_state(
    client, request, state, resident, django_assert_max_num_queries
):
    meeting = meeting_in(state)
    visit(client, request, "resident", meeting)
    # session, user, the meeting with its group and ort, the own sign-up, its goals, the
    # seats, the raised proposals, the coordinator's check.
    with django_assert_max_num_queries(12):
        assert client.get(meeting.get_absolute_url()).status_code == 200


def test_the_list_offers_no_places_of_a_meeting_that_has_started(client):
    client.cookies["django_language"] = "en"
    coming, started = meeting_in("coming"), meeting_in("started")
    started.capacity = 5
    started.save(update_fields=["capacity"])
    page = client.get("/moten/").content.decode()
    assert coming.title in page and started.title in page
    assert page.count("places left") == 1
