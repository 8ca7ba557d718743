"""Query budgets of the coordinators' pages of a dialogue meeting: the same with 10 sign-ups
as with 1,000 (and the list of meetings the same with 3 meetings as with 30)."""

import pytest

from tests.dialogue_factories import dialogue_meeting, signup_rows

pytestmark = pytest.mark.django_db


def grow(meeting, start, n):
    """`n` more sign-ups in three bulk inserts: most with a place, some waiting, a few
    cancelled."""
    waiting, cancelled = n // 10, n // 20
    signup_rows(meeting, n - waiting - cancelled, start=start)
    signup_rows(meeting, waiting, status="waiting", start=start + n)
    signup_rows(meeting, cancelled, status="cancelled", start=start + 2 * n)


# The meeting's page: session, user, group, the viewer's membership (staff: none, their
# group is read with the user), the meeting, its SLUS areas, every sign-up at once.
# The CSV: the same without the SLUS areas, and the audit entry it writes.
# The sign-in sheet: the same, with the names of those signed up.
@pytest.mark.parametrize(
    ("persona", "page", "budget"),
    [
        ("coordinator", "", 7),
        ("staff", "", 6),
        ("coordinator", "anmalningar.csv", 8),
        ("staff", "anmalningar.csv", 7),
        ("coordinator", "narvarolista/", 6),
        ("staff", "narvarolista/", 5),
    ],
)
def test_a_meetings_pages_take_the_same_queries_for_10_and_1000_sign_ups(
    as_persona, django_assert_max_num_queries, persona, page, budget
):
    client = as_persona(persona)
    meeting = dialogue_meeting(capacity=2000, asks_food=True, asks_access=True)
    path = f"/orter/storebro/grupp/moten/{meeting.pk}/{page}"
    grow(meeting, 0, 10)
    with django_assert_max_num_queries(budget):
        small = client.get(path)
    assert small.status_code == 200
    grow(meeting, 100, 990)
    assert meeting.signups.count() == 1000
    with django_assert_max_num_queries(budget):
        large = client.get(path)
    assert large.status_code == 200
    assert len(large.content) > 10 * len(small.content) or page == "narvarolista/"


# The list: session, user, group, the viewer's membership, the meetings with their counts.
@pytest.mark.parametrize(("persona", "budget"), [("coordinator", 5), ("staff", 4)])
def test_the_list_takes_the_same_queries_for_3_and_30_meetings(
    as_persona, django_assert_max_num_queries, persona, budget
):
    client = as_persona(persona)
    for i in range(3):
        signup_rows(dialogue_meeting(status="draft" if i == 0 else "published"), 5, start=i * 10)
    with django_assert_max_num_queries(budget):
        assert client.get("/orter/storebro/grupp/moten/").status_code == 200
    for i in range(27):
        signup_rows(dialogue_meeting(), 5, start=100 + i * 10)
    with django_assert_max_num_queries(budget):
        response = client.get("/orter/storebro/grupp/moten/")
    assert response.content.decode().count("/grupp/moten/") > 30
