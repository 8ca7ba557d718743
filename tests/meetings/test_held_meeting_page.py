"""A network meeting's page tells the truth in every state: a coming meeting gives the
last day to answer and the calendar file; a meeting that has ended says when it was held
and shows its minutes; a cancelled one says so; none of them offers an answer or a
calendar file it can no longer use. For a visitor, an invited resident (on the meeting's
page and on the personal answer page) and staff."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import override

from meetings.models import Invitation
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

MINUTES = "Beslut: nästa nätverksträff hålls i Södra Vi."
PERSONAS = ["visitor", "invited", "staff"]


def meeting_in(state):
    """A meeting in the named state; its invitation list holds the invited resident."""
    if state == "coming":
        return make_meeting(days_ahead=30)
    if state == "cancelled":
        return make_meeting(days_ahead=30, status="cancelled", cancel_reason="För få anmälda.")
    if state == "draft":
        return make_meeting(days_ahead=30, status="draft")
    # Ended: 20 days ago. "over" is not yet marked held by staff.
    fields = {"status": "published" if state == "over" else "held"}
    if state == "held_with_minutes":
        fields |= {"minutes": MINUTES, "minutes_published_at": timezone.now()}
    return make_meeting(days_ahead=-20, **fields)


@pytest.fixture
def invited(resident):
    return resident


def visit(client, request, persona, meeting, *, english=False):
    """The meeting's page as the persona sees it (in English if asked)."""
    if persona != "visitor":
        user = request.getfixturevalue(persona)
        if persona == "invited":
            Invitation.objects.get_or_create(
                meeting=meeting,
                email=user.email,
                defaults={"user": user, "name": user.display_name, "represents": "guest"},
            )
        user.language = "en" if english else "sv"
        user.save(update_fields=["language"])
        client.force_login(user)
    elif english:
        client.cookies["django_language"] = "en"
    return client.get(meeting.get_absolute_url())


def held_on(meeting, sentence="The meeting was held on {}."):
    with override("en"):
        return sentence.format(date_format(timezone.localtime(meeting.starts_at), "j F Y"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_coming_meeting_gives_the_answer_deadline_and_the_calendar_file(client, request, persona):
    meeting = meeting_in("coming")
    page = visit(client, request, persona, meeting).content.decode()
    assert "Svara senast" in page
    assert f"/natverksmoten/{meeting.pk}/kalender.ics" in page
    assert "genomfördes" not in page and "held on" not in page


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", ["over", "held", "held_with_minutes"])
def test_a_meeting_that_has_ended_says_so_instead_of_offering_an_answer(
    client, request, persona, state
):
    meeting = meeting_in(state)
    response = visit(client, request, persona, meeting)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Svara senast" not in page
    assert "kalender.ics" not in page.split("<main", 1)[1]
    assert "/rapport/" not in page  # no group report to write for a past meeting


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_held_meeting_says_when_it_was_held_and_shows_the_minutes(client, request, persona):
    meeting = meeting_in("held_with_minutes")
    page = visit(client, request, persona, meeting, english=True).content.decode()
    assert held_on(meeting) in page
    assert MINUTES in page
    assert "No minutes have been published yet." not in page
    assert "Answer by" not in page and "Add to your calendar" not in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_held_meeting_without_minutes_says_none_are_published(client, request, persona):
    meeting = meeting_in("held")
    page = visit(client, request, persona, meeting, english=True).content.decode()
    assert held_on(meeting) in page
    assert "No minutes have been published yet." in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_ended_meeting_not_yet_marked_held_says_it_took_place(client, request, persona):
    meeting = meeting_in("over")
    page = visit(client, request, persona, meeting, english=True).content.decode()
    assert held_on(meeting, "The meeting took place on {}.") in page
    assert "Answer by" not in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_cancelled_meeting_says_so_and_offers_no_answer_or_calendar(client, request, persona):
    meeting = meeting_in("cancelled")
    page = visit(client, request, persona, meeting).content.decode()
    assert "Mötet är inställt." in page and "För få anmälda." in page
    assert "Svara senast" not in page
    assert "kalender.ics" not in page.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("persona", "status"), [("visitor", 404), ("invited", 404), ("staff", 200)]
)
def test_a_draft_is_staffs_only_and_offers_no_calendar_file_that_would_fail(
    client, request, persona, status
):
    meeting = meeting_in("draft")
    response = visit(client, request, persona, meeting)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Svara senast" in page  # staff see the page as it will be published
        assert f"/natverksmoten/{meeting.pk}/kalender.ics" not in page


# -- the invited person's own answer page ------------------------------------------------


def answer_page(client, meeting, **fields):
    invitation = Invitation.objects.create(
        meeting=meeting,
        name="Inbjuden Irma",
        email="irma@example.se",
        represents="guest",
        sent_at=timezone.now() - datetime.timedelta(days=40),
        **fields,
    )
    client.cookies["django_language"] = "en"
    return client.get(invitation.get_answer_url())


def test_the_answer_page_of_a_coming_meeting_asks_for_the_answer(client):
    page = answer_page(client, meeting_in("coming")).content.decode()
    assert "Answer by" in page and "kalender.ics" in page
    assert "Send my answer" in page and "You are invited" in page


@pytest.mark.parametrize("state", ["over", "held", "held_with_minutes"])
def test_the_answer_page_of_an_ended_meeting_says_when_it_was_and_asks_nothing(client, state):
    meeting = meeting_in(state)
    response = answer_page(client, meeting, answer="yes")
    assert response.status_code == 200
    page = response.content.decode()
    if state == "over":
        assert held_on(meeting, "The meeting took place on {}.") in page
    else:
        assert held_on(meeting) in page
    assert "Answer by" not in page and "kalender.ics" not in page
    assert "Send my answer" not in page and "The last day to answer has passed" not in page
    assert "You were invited" in page
    assert (MINUTES in page) == (state == "held_with_minutes")


def test_the_answer_page_of_a_cancelled_meeting_says_so_and_asks_nothing(client):
    page = answer_page(client, meeting_in("cancelled")).content.decode()
    assert "The meeting is cancelled." in page
    assert "Answer by" not in page and "kalender.ics" not in page
    assert "Send my answer" not in page and "The last day to answer has passed" not in page


# -- what the page costs -----------------------------------------------------------------


@pytest.mark.parametrize("state", ["coming", "over", "held_with_minutes", "cancelled"])
def test_the_page_costs_the_same_in_every_state(
    client, request, state, django_assert_max_num_queries
):
    meeting = meeting_in(state)
    visit(client, request, "invited", meeting)
    # session, user, the meeting with its theme, the agenda; then the groups whose report
    # the person writes (a coming meeting only) or, once the booklet is open, whether the
    # person is a member or invited.
    with django_assert_max_num_queries(6):
        assert client.get(meeting.get_absolute_url()).status_code == 200
