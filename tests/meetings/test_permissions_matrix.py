"""Every view and admin action of the meetings app, for every persona: the status code,
and for a refused write, proof that nothing changed."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from allas.models import OutboundEmail
from meetings.models import GroupReport, Invitation, NetworkMeeting, NetworkRole, ReminderSent
from tests.factories import UserFactory, give_second_factor, membership
from tests.meetings.conftest import make_meeting
from tests.personas import NO_SECOND_FACTOR_PERSONAS

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "unverified",
    "resident",
    "member",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]
LOGIN = "login"  # a redirect to a login page
SECOND_FACTOR = "2fa"  # staff sent to set up the second factor, or to type its code


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
    elif expected == SECOND_FACTOR:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/konto/2fa/"), response["Location"]
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
    **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, 403),
}
ADMIN = {
    **dict.fromkeys(PERSONAS, LOGIN),
    "staff": 200,
    **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, SECOND_FACTOR),
}
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
    **dict.fromkeys(NO_SECOND_FACTOR_PERSONAS, 403),
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
    check(client.post(path, data), ADMIN[persona])
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


# -- every page and button of the staff's meeting admin, and the remaining public pages --


def full_state():
    """state() and the rest a meeting write could touch: the meeting's own fields, how
    many are invited and reminded, and what the reports say."""
    return (
        state(),
        sorted(
            NetworkMeeting.objects.values_list(
                "id", "title", "venue", "starts_at", "sequence", "minutes_published_at"
            )
        ),
        Invitation.objects.count(),
        ReminderSent.objects.count(),
        sorted(GroupReport.objects.values_list("id", "plans", "wishes", "submitted_by_id")),
    )


MORE_VIEWS = {
    # A draft has no calendar file, not even for staff: nothing may be put in a calendar
    # before the meeting is published.
    "draft calendar file": (lambda w: f"/natverksmoten/{w['draft'].pk}/kalender.ics", {}),
    "answer by a draft's link": (lambda w: f"/natverksmoten/svar/{w['draft_token']}/", {}),
    # Staff see drafts, their booklet and the report form (sending waits for publishing).
    "booklet of a draft": (lambda w: f"/natverksmoten/{w['draft'].pk}/hafte/", {"staff": 200}),
    "report for a draft": (
        lambda w: f"/natverksmoten/{w['draft'].pk}/rapport/storebro/",
        {"visitor": LOGIN, "staff": 200},
    ),
    "report for an unknown ort": (
        lambda w: f"/natverksmoten/{w['meeting'].pk}/rapport/finns-inte/",
        {"visitor": LOGIN},
    ),
}
ALL_404 = dict.fromkeys(PERSONAS, 404)


@pytest.fixture
def more_world(world, staff):
    from meetings import services

    guest = services.invitation_add_guest(
        meeting=world["draft"], name="Gäst Grön", email="gast.gron@example.se", by=staff
    )
    return {**world, "draft_token": guest.token}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", MORE_VIEWS)
def test_what_a_visitor_may_not_know_of_is_404_for_them(as_persona, more_world, view, persona):
    path, exceptions = MORE_VIEWS[view]
    before = full_state()
    check(as_persona(persona).get(path(more_world)), {**ALL_404, **exceptions}[persona])
    assert full_state() == before


ADMIN_PAGES = {
    "add a meeting": "/admin/meetings/networkmeeting/add/",
    "question: publish": "/admin/meetings/networkmeeting/{d}/gor/publicera/",
    "question: build": "/admin/meetings/networkmeeting/{m}/gor/bygg/",
    "question: remind": "/admin/meetings/networkmeeting/{m}/gor/paminn/",
    "question: held": "/admin/meetings/networkmeeting/{m}/gor/genomfort/",
    "question: minutes": "/admin/meetings/networkmeeting/{m}/gor/protokoll/",
    "network role": "/admin/meetings/networkrole/{r}/change/",
    "group report": "/admin/meetings/groupreport/{g}/change/",
    "invitation (read-only)": "/admin/meetings/invitation/{i}/change/",
}


@pytest.fixture
def admin_world(world, coordinator, staff):
    from meetings import services

    report = services.report_submit(
        meeting=world["meeting"],
        group=coordinator.memberships.get().group,
        by=coordinator,
        experiences="Vi har städat.",
        plans="Mer städning.",
    )
    return {**world, "report": report}


def admin_page(name, w):
    return ADMIN_PAGES[name].format(
        m=w["meeting"].pk,
        d=w["draft"].pk,
        r=w["role"].pk,
        g=w["report"].pk,
        i=w["meeting"].invitations.first().pk,
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_every_admin_page_of_the_meeting_is_staffs_only(as_persona, admin_world, page, persona):
    before = full_state()
    check(as_persona(persona).get(admin_page(page, admin_world)), ADMIN[persona])
    assert full_state() == before


def _started(meeting):
    """The meeting began an hour ago (deadlines before it, as the database insists)."""
    start = timezone.now() - datetime.timedelta(hours=1)
    NetworkMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        rsvp_deadline=start - datetime.timedelta(days=7),
        report_deadline=start - datetime.timedelta(days=10),
    )


def _held_with_minutes(meeting):
    _started(meeting)
    NetworkMeeting.objects.filter(pk=meeting.pk).update(status="held", minutes="Vi möttes.")


# What makes each staff write possible; the matrix above shows it refused to everyone else.
SETUP = {
    "build": lambda w: membership(slug="vimmerby", is_delegate=True),
    "list action: build": lambda w: membership(slug="vimmerby", is_delegate=True),
    "send": lambda w: _add_guest(w["meeting"], by=w["staff"]),
    "held": lambda w: _started(w["meeting"]),
    "minutes": lambda w: _held_with_minutes(w["meeting"]),
}
STAFF_WRITES = [w for w in WRITES if w != "edit meeting"] + ["reinstate role"]


def _add_guest(meeting, by):
    from meetings import services

    services.invitation_add_guest(
        meeting=meeting, name="Ny Gäst", email="ny.gast@example.se", by=by
    )


def _writes(world):
    writes = admin_writes(world)
    writes["reinstate role"] = (
        "/admin/meetings/networkrole/",
        {"action": "action_reinstate", "_selected_action": [world["role"].pk]},
    )
    return writes


@pytest.mark.parametrize("write", STAFF_WRITES)
def test_staff_may_do_every_write_of_the_meeting_admin(as_persona, world, staff, write):
    if write == "reinstate role":
        NetworkRole.objects.filter(pk=world["role"].pk).update(active=False)
    SETUP.get(write, lambda w: None)({**world, "staff": staff})
    path, data = _writes(world)[write]
    client = as_persona("staff")
    before = full_state()
    response = client.post(path, data, follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][1] == 302
    assert not [m for m in response.context["messages"] if m.level_tag == "error"]
    assert full_state() != before


# A staff write the meeting's state does not allow is refused with a message and changes
# nothing: the button's rule is the service's, not only the page's.
REFUSED_BY_STATE = {
    "publish a published meeting": ("publicera", "meeting", {"confirmed": "1"}, None),
    "send for a draft": ("skicka", "draft", {"confirmed": "1"}, None),
    "remind for a draft": ("paminn", "draft", {"confirmed": "1"}, None),
    "held before the start": ("genomfort", "meeting", {"confirmed": "1"}, None),
    "minutes before held": ("protokoll", "meeting", {"confirmed": "1"}, None),
    "minutes not written": ("protokoll", "meeting", {"confirmed": "1"}, "held"),
    "build for a held meeting": ("bygg", "meeting", {}, "held"),
    "cancel a held meeting": ("stall-in", "meeting", {"confirmed": "1", "reason": "X"}, "held"),
    "a guest already invited": (
        "gast",
        "meeting",
        {"name": "Ombud", "email": "DELEGATE"},
        None,
    ),
    "a guest without a name": ("gast", "meeting", {"name": " ", "email": "a@example.se"}, None),
}


@pytest.mark.parametrize("case", REFUSED_BY_STATE)
def test_a_staff_write_the_meeting_does_not_allow_changes_nothing(as_persona, world, network, case):
    slug, which, data, status = REFUSED_BY_STATE[case]
    meeting = world[which]
    if status == "held":
        _started(meeting)
        NetworkMeeting.objects.filter(pk=meeting.pk).update(status="held")
    if data.get("email") == "DELEGATE":
        data = {**data, "email": network["delegate"].email}
    client = as_persona("staff")
    before = full_state()
    response = client.post(
        f"/admin/meetings/networkmeeting/{meeting.pk}/gor/{slug}/", data, follow=True
    )
    assert response.status_code == 200
    assert [m for m in response.context["messages"] if m.level_tag == "error"], case
    assert full_state() == before


def test_a_cancellation_without_a_reason_is_asked_again_and_changes_nothing(as_persona, world):
    client = as_persona("staff")
    before = full_state()
    response = client.post(
        f"/admin/meetings/networkmeeting/{world['meeting'].pk}/gor/stall-in/",
        {"confirmed": "1", "reason": ""},
    )
    assert response.status_code == 200
    assert full_state() == before


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_the_groups_coordinators_and_staff_send_its_report(as_persona, world, persona):
    before = full_state()
    response = as_persona(persona).post(
        f"/natverksmoten/{world['meeting'].pk}/rapport/storebro/",
        {"experiences": "Vi har städat.", "plans": "Mer städning.", "wishes": ""},
    )
    assert response.status_code == 302
    assert full_state() != before
    assert GroupReport.objects.get(group__locality__slug="storebro").plans == "Mer städning."


@pytest.fixture
def outsider(db):
    """is_staff, a second factor and every permission of the meetings app given one by one,
    but not in Utvecklingsavdelningen: not staff by the design, so none of it counts."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True, display_name="Utan Grupp")
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="meetings"))
    give_second_factor(user)
    return user


@pytest.mark.parametrize("write", [*STAFF_WRITES, "edit meeting"])
def test_an_is_staff_account_outside_the_department_cannot_run_the_meeting(
    client, world, staff, outsider, write
):
    SETUP.get(write, lambda w: None)({**world, "staff": staff})
    path, data = _writes(world)[write]
    client.force_login(outsider)
    before = full_state()
    response = client.post(path, data)
    # The admin's door sends them to sign in as someone else.
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert full_state() == before


@pytest.mark.parametrize(
    "path",
    [
        "/admin/meetings/networkmeeting/",
        "/admin/meetings/networkmeeting/{m}/inbjudningar/",
        "/admin/meetings/networkmeeting/{m}/deltagare.csv",
        "/admin/meetings/networkmeeting/{m}/framsteg/",
        "/natverksmoten/{d}/",
    ],
)
def test_an_is_staff_account_outside_the_department_sees_no_meeting_data(
    client, world, outsider, path
):
    client.force_login(outsider)
    response = client.get(path.format(m=world["meeting"].pk, d=world["draft"].pk))
    assert response.status_code in (302, 403, 404)
    assert "Ombud Olsson" not in response.content.decode()
