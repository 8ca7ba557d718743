import datetime

import pytest
from django.utils import timezone

from meetings.models import AgendaItem, NetworkMeeting, NetworkRole
from tests.factories import UserFactory, membership


def make_meeting(days_ahead=30, status="published", **fields):
    start = (timezone.now() + datetime.timedelta(days=days_ahead)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    defaults = {
        "title": "Nätverksträff",
        "purpose": "Inspiration och erfarenhetsutbyte.",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=7),
        "venue": "Stadshuset",
        "address": "Stora torget 1, Vimmerby",
        "rsvp_deadline": start - datetime.timedelta(days=7),
        "report_deadline": start - datetime.timedelta(days=10),
        "status": status,
    }
    meeting = NetworkMeeting.objects.create(**{**defaults, **fields})
    AgendaItem.objects.create(meeting=meeting, time=datetime.time(9, 0), title="Välkommen")
    return meeting


@pytest.fixture
def meeting(db):
    return make_meeting()


@pytest.fixture
def network(coordinator, other_coordinator):
    """Two groups' coordinators, a delegate, a municipality representative and an
    advisory board member: five people in the roster."""
    delegate = UserFactory(display_name="Ombud Olsson")
    membership(delegate, slug="tuna", is_delegate=True)
    municipal = UserFactory(display_name="Kommun Karlsson")
    NetworkRole.objects.create(user=municipal, kind="municipality", role_title="Utvecklare")
    board = UserFactory(display_name="Styr Ström")
    NetworkRole.objects.create(
        user=board, kind="advisory_board", role_title="Ledamot", organisation="Näringslivet"
    )
    return {
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "delegate": delegate,
        "municipal": municipal,
        "board": board,
    }


@pytest.fixture
def invited(meeting, network, staff):
    """The network invited to the meeting, invitations sent."""
    from meetings import services

    services.invitations_build(meeting=meeting, by=staff)
    services.invitations_send(meeting=meeting, by=staff)
    return meeting
