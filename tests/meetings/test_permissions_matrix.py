"""Every view and admin action of the meetings app, for every persona: the status code,
and for a refused write, proof that nothing changed."""

import datetime

import pytest
from freezegun import freeze_time

from allas.models import OutboundEmail
from meetings.models import GroupReport, Invitation, NetworkMeeting, NetworkRole
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "unverified",
    "resident",
    "member",
    "coordinator",
    "other_coordinator",
    "staff",
]
LOGIN = "login"  # a redirect to a login page


@pytest.fixture
def as_persona(client, request):
    def login(persona):
        if persona != "visitor":
            client.force_login(request.getfixturevalue(persona))
        return client

    return login


@pytest.fixture
def world(invited, network):
    """A published meeting with the network invited, a draft, and a network role."""
    return {
        "meeting": invited,
        "draft": make_meeting(status="draft", title="Utkast"),
        "token": invited.invitations.get(email=network["delegate"].email).token,
        "role": NetworkRole.objects.get(user=network["board"]),
    }


def state():
    return (
        sorted(NetworkMeeting.objects.values_list("id", "status", "cancel_reason", "minutes")),
        sorted(Invitation.objects.values_list("id", "answer", "sent_at", "dietary_needs")),
        sorted(NetworkRole.objects.values_list("id", "active")),
        sorted(GroupReport.objects.values_list("id", "experiences")),
        OutboundEmail.objects.count(),
    )


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert "login" in response["Location"]
    else:
        assert response.status_code == expected


ALL_200 = dict.fromkeys(PERSONAS, 200)
STAFF_ONLY_404 = {**dict.fromkeys(PERSONAS, 404), "staff": 200}
COORDINATOR_OF_STOREBRO = {
    "visitor": LOGIN,
    "unverified": 403,
    "resident": 403,
    "member": 403,
    "coordinator": 200,
    "other_coordinator": 403,
    "staff": 200,
}
ADMIN = {**dict.fromkeys(PERSONAS, LOGIN), "staff": 200}
BOOKLET_BEFORE = {**dict.fromkeys(PERSONAS, 403), "visitor": LOGIN, "staff": 200}
# From the report deadline: every member of a group in the network, and staff.
BOOKLET_OPEN = {
    "visitor": LOGIN,
    "unverified": 403,
    "resident": 403,
    "member": 200,
    "coordinator": 200,
    "other_coordinator": 200,
    "staff": 200,
}


def paths(world):
    m, d = world["meeting"].pk, world["draft"].pk
    admin = "/admin/meetings/networkmeeting"
    return {
        "list": ("/natverksmoten/", ALL_200),
        "detail": (f"/natverksmoten/{m}/", ALL_200),
        "draft detail": (f"/natverksmoten/{d}/", STAFF_ONLY_404),
        "calendar file": (f"/natverksmoten/{m}/kalender.ics", ALL_200),
        "calendar feed": ("/natverksmoten/kalender.ics", ALL_200),
        "answer by link": (f"/natverksmoten/svar/{world['token']}/", ALL_200),
        "answer by a wrong link": (
            f"/natverksmoten/svar/{'x' * 48}/",
            dict.fromkeys(PERSONAS, 404),
        ),
        "booklet": (f"/natverksmoten/{m}/hafte/", BOOKLET_BEFORE),
        "booklet by link": (
            f"/natverksmoten/svar/{world['token']}/hafte/",
            dict.fromkeys(PERSONAS, 403),
        ),
        "report": (f"/natverksmoten/{m}/rapport/storebro/", COORDINATOR_OF_STOREBRO),
        "admin list": (f"{admin}/", ADMIN),
        "admin change": (f"{admin}/{m}/change/", ADMIN),
        "staff page": (f"{admin}/{m}/inbjudningar/", ADMIN),
        "progress": (f"{admin}/{m}/framsteg/", ADMIN),
        "attendees csv": (f"{admin}/{m}/deltagare.csv", ADMIN),
        "roster": (f"{admin}/natverket/", ADMIN),
        "question: cancel": (f"{admin}/{m}/gor/stall-in/", ADMIN),
        "question: send": (f"{admin}/{m}/gor/skicka/", ADMIN),
        "network roles": ("/admin/meetings/networkrole/", ADMIN),
        "calendar replies": ("/admin/meetings/calendarreply/", ADMIN),
        "invitations (read-only)": ("/admin/meetings/invitation/", ADMIN),
        "group reports": ("/admin/meetings/groupreport/", ADMIN),
    }


VIEWS = [
    "list",
    "detail",
    "draft detail",
    "calendar file",
    "calendar feed",
    "answer by link",
    "answer by a wrong link",
    "booklet",
    "booklet by link",
    "report",
    "admin list",
    "admin change",
    "staff page",
    "progress",
    "attendees csv",
    "roster",
    "question: cancel",
    "question: send",
    "network roles",
    "calendar replies",
    "invitations (read-only)",
    "group reports",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", VIEWS)
def test_get_matrix(as_persona, world, view, persona):
    path, expected = paths(world)[view]
    before = state()
    check(as_persona(persona).get(path), expected[persona])
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("view", "expected"), [("booklet", BOOKLET_OPEN), ("booklet by link", ALL_200)]
)
def test_the_booklet_from_the_report_deadline(as_persona, world, persona, view, expected):
    path, _before = paths(world)[view]
    client = as_persona(persona)
    # The sessions of force_login live two weeks; the deadline is 20 days ahead, so the
    # clock moves only for the request's permission, not for the session.
    NetworkMeeting.objects.filter(pk=world["meeting"].pk).update(
        report_deadline=world["meeting"].report_deadline - datetime.timedelta(days=25)
    )
    check(client.get(path), expected[persona])


# Admin writes: (path, data). Only staff may; for everyone else they change nothing.
def admin_writes(world):
    m = world["meeting"].pk
    base = f"/admin/meetings/networkmeeting/{m}/gor"
    yes = {"confirmed": "1"}
    return {
        "build": (f"{base}/bygg/", {}),
        "guest": (f"{base}/gast/", {"name": "Gäst", "email": "gast@example.se"}),
        "send": (f"{base}/skicka/", yes),
        "remind": (f"{base}/paminn/", yes),
        "held": (f"{base}/genomfort/", yes),
        "minutes": (f"{base}/protokoll/", yes),
        "cancel": (f"{base}/stall-in/", {**yes, "reason": "Ingen lokal"}),
        "publish draft": (
            f"/admin/meetings/networkmeeting/{world['draft'].pk}/gor/publicera/",
            yes,
        ),
        "list action: build": (
            "/admin/meetings/networkmeeting/",
            {"action": "action_build", "_selected_action": [m]},
        ),
        "retire role": (
            "/admin/meetings/networkrole/",
            {"action": "action_retire", "_selected_action": [world["role"].pk]},
        ),
        "edit meeting": (
            f"/admin/meetings/networkmeeting/{m}/change/",
            {"title": "Kapad", "venue": "Annat"},
        ),
    }


WRITES = [
    "build",
    "guest",
    "send",
    "remind",
    "held",
    "minutes",
    "cancel",
    "publish draft",
    "list action: build",
    "retire role",
    "edit meeting",
]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "staff"])
@pytest.mark.parametrize("write", WRITES)
def test_a_refused_admin_write_changes_nothing(as_persona, world, write, persona):
    path, data = admin_writes(world)[write]
    client = as_persona(persona)
    before = state()
    check(client.post(path, data), LOGIN)
    assert state() == before


@pytest.mark.parametrize(
    "write", ["guest", "cancel", "publish draft", "list action: build", "retire role"]
)
def test_staff_may_write(as_persona, world, write):
    path, data = admin_writes(world)[write]
    client = as_persona("staff")
    if write == "list action: build":
        from tests.factories import membership

        membership(slug="vimmerby", is_delegate=True)  # someone new in the network
    before = state()
    response = client.post(path, data)
    assert response.status_code == 302
    assert state() != before


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("coordinator", "staff")])
def test_a_refused_report_write_changes_nothing(as_persona, world, persona):
    client = as_persona(persona)
    before = state()
    response = client.post(
        f"/natverksmoten/{world['meeting'].pk}/rapport/storebro/",
        {"experiences": "Kapat", "plans": "Kapat"},
    )
    check(response, COORDINATOR_OF_STOREBRO[persona])
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_answer_link_works_for_anyone_who_has_it_and_a_late_answer_changes_nothing(
    as_persona, world, persona
):
    client = as_persona(persona)
    path = f"/natverksmoten/svar/{world['token']}/"
    with freeze_time(world["meeting"].rsvp_deadline + datetime.timedelta(minutes=1)):
        before = state()
        assert client.post(path, {"answer": "yes"}).status_code == 302
        assert state() == before
    assert client.post(path, {"answer": "yes"}).status_code == 302
    assert Invitation.objects.get(token=world["token"]).answer == "yes"
