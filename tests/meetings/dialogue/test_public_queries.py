"""The dialogue meetings' public pages cost the same number of queries however many people
signed up and however many meetings there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from groups.models import DevelopmentGroup, DialogueMeeting
from meetings.models import SignUp
from tests.dialogue_factories import dialogue_meeting, signup, signup_rows
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.fixture
def meeting(db):
    return dialogue_meeting(capacity=5000, asks_food=True, asks_access=True)


@pytest.mark.parametrize("persona", ["visitor", "resident", "coordinator", "staff"])
def test_the_meeting_page_costs_the_same_for_10_and_1000_sign_ups(
    as_persona, meeting, persona, django_assert_max_num_queries
):
    client = as_persona(persona)
    path = f"/moten/{meeting.pk}/"
    signup_rows(meeting, 10)
    signup_rows(meeting, 5, status=SignUp.Status.WAITING, start=10)
    # The meeting with its group and ort, its areas, the seats (one count of both kinds),
    # the proposals raised at it; signed in: session, user, verified address, own
    # sign-up, the group's coordinators (and for staff the second factor and the group).
    small = queries(client, path)
    with django_assert_max_num_queries(14):
        client.get(path)
    signup_rows(meeting, 990, start=15)
    signup_rows(meeting, 500, status=SignUp.Status.WAITING, start=1005)
    with django_assert_max_num_queries(small):
        response = client.get(path)
    assert response.context["seats"].seated == 1000
    assert response.context["seats"].waiting == 505


def test_a_waiting_resident_sees_the_place_at_the_same_cost(
    client, resident, django_assert_max_num_queries
):
    meeting = dialogue_meeting(capacity=1)
    signup(meeting)
    signup_rows(meeting, 10, status=SignUp.Status.WAITING)
    mine = signup(
        meeting,
        user=resident,
        status=SignUp.Status.WAITING,
        queued_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(resident)
    small = queries(client, f"/moten/{meeting.pk}/")
    signup_rows(meeting, 990, status=SignUp.Status.WAITING, start=10)
    with django_assert_max_num_queries(small):
        response = client.get(f"/moten/{meeting.pk}/")
    assert response.context["mine"].place == 1001
    # The personal page too: session, user, the sign-up with its meeting, group and ort,
    # the place (two counts: those in line before, and those who joined at the same time).
    with django_assert_max_num_queries(5):
        response = client.get(mine.get_answer_url())
    assert response.context["place"] == 1001


def _many(n, *, start=0):
    """n published meetings spread over the orter in the coming months, each with a
    few sign-ups, and as many past ones in Storebro."""
    groups = list(DevelopmentGroup.objects.all())
    now = timezone.now()
    for i in range(start, start + n):
        coming = dialogue_meeting(
            group=groups[i % len(groups)],
            title=f"Möte {i}",
            starts_at=now + datetime.timedelta(days=1 + i),
            capacity=10 if i % 2 else None,
        )
        signup_rows(coming, 3, start=i * 10)
        dialogue_meeting(
            title=f"Förr {i}",
            starts_at=now - datetime.timedelta(days=1 + i),
            status=DialogueMeeting.Status.HELD,
            attendance=5,
        )


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # The count, the page's order, its meetings with group and ort, their seats, the
        # network's meetings; the orter of the filter.
        ("/moten/", 6),
        ("/moten/?ort=storebro&typ=bygdemote", 6),
        ("/moten/?sida=2", 6),
        # The ort, its coming meetings (count, order, load, seats), the past ones (count,
        # page).
        ("/orter/storebro/moten/", 8),
        ("/orter/storebro/moten/?sida=2", 8),
        ("/moten/kalender.ics", 2),
        ("/orter/storebro/moten/kalender.ics", 2),
        ("/sok/?q=möte", 12),
    ],
)
def test_the_lists_cost_the_same_for_few_and_many_meetings(
    client, path, budget, django_assert_max_num_queries
):
    make_meeting(days_ahead=3, title="Nätverksträff")
    _many(3)
    with django_assert_max_num_queries(budget):
        client.get(path)
    _many(57, start=3)
    with django_assert_max_num_queries(budget):
        client.get(path)


@pytest.mark.parametrize("path", ["/", "/orter/storebro/"])
def test_the_panels_cost_the_same_for_few_and_many_meetings(
    client, path, django_assert_max_num_queries
):
    _many(2)
    small = queries(client, path)
    _many(40, start=2)
    with django_assert_max_num_queries(small):
        client.get(path)
