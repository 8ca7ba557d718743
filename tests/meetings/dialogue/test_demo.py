"""`make run` shows two of the groups' meetings in different orter: one nearly full, one
held with its minutes and a proposal raised at it; loading again changes nothing."""

import io

import pytest
from django.core.management import call_command

from groups.models import DialogueMeeting
from meetings.models import SignUp

pytestmark = pytest.mark.django_db


def load():
    for command in ("load_demo", "load_demo_groups", "load_demo_meetings", "load_demo_proposals"):
        call_command(command, stdout=io.StringIO())


def test_the_demo_has_a_nearly_full_meeting_and_a_held_one_with_minutes_and_a_proposal():
    load()
    meetings = list(DialogueMeeting.objects.public().select_related("group__locality"))
    assert len({m.group.locality.slug for m in meetings}) == 2
    coming = next(m for m in meetings if m.status == "published")
    seated = coming.signups.seated().count()
    assert coming.capacity - seated in (1, 2, 3)
    held = next(m for m in meetings if m.status == "held")
    assert held.minutes and held.minutes_published_at
    assert held.proposals.count() == 1
    before = (DialogueMeeting.objects.count(), SignUp.objects.count())
    load()
    assert (DialogueMeeting.objects.count(), SignUp.objects.count()) == before


def test_the_demo_meetings_are_on_the_public_pages(client):
    load()
    listing = client.get("/moten/").content.decode()
    assert "Bygdemöte om vägen och bussen" in listing
    held = DialogueMeeting.objects.get(status="held")
    page = client.get(f"/moten/{held.pk}/").content.decode()
    assert "Belysning längs cykelvägen till skolan" in page
