"""The invitation list names each part of a person's role once, in the order it was
written: "Ordförande, Styrgruppen", never "Ordförande, Styrgruppen, Styrgruppen"."""

import pytest

from meetings import services
from meetings.models import Invitation, NetworkRole
from meetings.staff_queries import role_words
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TWICE = "Ordförande, Styrgruppen, Styrgruppen"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (TWICE, "Ordförande, Styrgruppen"),
        ("Ledamot, Styrgruppen, Näringslivet", "Ledamot, Styrgruppen, Näringslivet"),
        ("Styrgruppen,  styrgruppen , Ordförande", "Styrgruppen, Ordförande"),
        ("Samordnare, Utvecklingsgruppen i Storebro", "Samordnare, Utvecklingsgruppen i Storebro"),
        ("", ""),
    ],
)
def test_each_part_of_a_role_is_named_once_in_the_order_written(written, shown):
    assert role_words(written) == shown


@pytest.fixture
def chair(meeting, staff):
    """The advisory board's chair, whose organisation is the board itself, invited."""
    person = UserFactory(display_name="Styrgruppens ordförande")
    NetworkRole.objects.create(
        user=person, kind="advisory_board", role_title="Ordförande", organisation="Styrgruppen"
    )
    services.invitations_build(meeting=meeting, by=staff)
    invitation = Invitation.objects.get(user=person)
    # As the list keeps it: the text the invitation was made with.
    Invitation.objects.filter(pk=invitation.pk).update(role_description=TWICE, answer="yes")
    return person


def test_the_staff_page_lists_the_role_once(staff_client, meeting, chair):
    page = staff_client.get(f"/admin/meetings/networkmeeting/{meeting.pk}/inbjudningar/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "Ordförande, Styrgruppen" in content and TWICE not in content
    # Shown only: the invitation keeps its text.
    assert Invitation.objects.get(user=chair).role_description == TWICE


def test_the_attendees_file_lists_the_role_once(staff_client, meeting, chair):
    response = staff_client.get(f"/admin/meetings/networkmeeting/{meeting.pk}/deltagare.csv")
    content = b"".join(response.streaming_content if response.streaming else [response.content])
    text = content.decode("utf-8-sig")
    assert "Ordförande, Styrgruppen" in text and TWICE not in text


def test_the_roster_lists_the_role_once(staff_client, chair):
    content = staff_client.get("/admin/meetings/networkmeeting/natverket/").content.decode()
    assert "Ordförande" in content and TWICE not in content
