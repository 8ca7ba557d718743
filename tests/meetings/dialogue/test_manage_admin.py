"""The dialogue meetings and their sign-ups in the admin: staff (with a second factor) see
and correct them; a sign-up's personal token is never shown, searched or filtered on; a
new time saved here tells everyone signed up, as on the group's page; nothing is added or
deleted by hand."""

import pytest
from django.utils import timezone

from allas.models import OutboundEmail
from meetings.models import SignUp
from tests.meetings.dialogue.test_manage_permissions import (
    PERSONAS,
    db_state,
    make_world,
)
from tests.personas import NO_SECOND_FACTOR_PERSONAS
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


def admin_pages(world):
    m, s, g = world["published"].pk, world["seated"].pk, world["published"].group_id
    return {
        "meetings": "/admin/groups/dialoguemeeting/",
        "meeting": f"/admin/groups/dialoguemeeting/{m}/change/",
        "held meeting": f"/admin/groups/dialoguemeeting/{world['held'].pk}/change/",
        "sign-ups": "/admin/meetings/signup/",
        "sign-ups of a meeting": f"/admin/meetings/signup/?meeting__group__id__exact={g}",
        "sign-up": f"/admin/meetings/signup/{s}/change/",
        "sign-up history": f"/admin/meetings/signup/{s}/history/",
    }


PAGES = [
    "meetings",
    "meeting",
    "held meeting",
    "sign-ups",
    "sign-ups of a meeting",
    "sign-up",
    "sign-up history",
]


def secrets_of(signups):
    """What must never show: each token, its selector, and the calendar UID's key."""
    for s in signups:
        yield s.token
        yield s.token[:16]
        yield s.calendar_uid.split("-")[-1].split("@")[0]


@pytest.mark.parametrize("page", PAGES)
def test_staff_open_every_admin_page_without_a_token_in_it(as_persona, world, page):
    response = as_persona("staff").get(admin_pages(world)[page])
    assert response.status_code == 200
    assert_valid_html(response.content)
    content = response.content.decode()
    for secret in secrets_of(SignUp.objects.all()):
        assert secret not in content


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "staff"])
@pytest.mark.parametrize("page", PAGES)
def test_nobody_else_opens_them(as_persona, world, page, persona):
    client = as_persona(persona)
    before = db_state()
    response = client.get(admin_pages(world)[page])
    assert response.status_code == 302
    if persona in NO_SECOND_FACTOR_PERSONAS:
        assert response["Location"].startswith("/konto/2fa/")
    else:
        assert "login" in response["Location"]
    assert db_state() == before


@pytest.mark.parametrize(
    "query", ["token=x", "token__startswith=a", "token__gte=a", "q=" + "x" * 5]
)
def test_the_token_is_not_searched_or_filtered_on(as_persona, world, query):
    response = as_persona("staff").get(f"/admin/meetings/signup/?{query}")
    if query.startswith("q="):
        assert response.status_code == 200
    else:
        assert response.status_code == 400


def test_a_search_for_a_token_finds_nothing(as_persona, world):
    token = SignUp.objects.get(pk=world["seated"].pk).token
    content = as_persona("staff").get(f"/admin/meetings/signup/?q={token}").content.decode()
    assert "Anna Andersson" not in content


@pytest.mark.parametrize(
    "path",
    [
        "/admin/meetings/signup/add/",
        "/admin/meetings/signup/{s}/delete/",
        "/admin/groups/dialoguemeeting/add/",
        "/admin/groups/dialoguemeeting/{m}/delete/",
    ],
)
def test_nothing_is_added_or_deleted_by_hand(as_persona, world, path):
    client = as_persona("staff")
    path = path.format(s=world["seated"].pk, m=world["published"].pk)
    before = db_state()
    assert client.get(path).status_code == 403
    assert client.post(path, {"post": "yes"}).status_code == 403
    assert db_state() == before


def test_staff_correct_a_name_and_needs_but_not_the_status(as_persona, world):
    seated = world["seated"]
    response = as_persona("staff").post(
        f"/admin/meetings/signup/{seated.pk}/change/",
        {
            "name": "Anna Andersson-Ek",
            "food_needs": "Vegan",
            "access_needs": "",
            "status": "cancelled",
            "email": "annat@example.se",
        },
    )
    assert response.status_code == 302
    seated.refresh_from_db()
    assert seated.name == "Anna Andersson-Ek" and seated.food_needs == "Vegan"
    assert seated.status == "signed_up" and seated.email != "annat@example.se"


def admin_meeting_form(meeting, **changes):
    local = timezone.localtime
    data = {
        "title": meeting.title,
        "kind": meeting.kind,
        "starts_at_0": local(meeting.starts_at).strftime("%Y-%m-%d"),
        "starts_at_1": local(meeting.starts_at).strftime("%H:%M:%S"),
        "ends_at_0": local(meeting.ends_at).strftime("%Y-%m-%d"),
        "ends_at_1": local(meeting.ends_at).strftime("%H:%M:%S"),
        "venue": meeting.venue,
        "address": meeting.address,
        "online_link": "",
        "description": meeting.description,
        "capacity": meeting.capacity or "",
        "signup_deadline_0": "",
        "signup_deadline_1": "",
        "asks_food": "on" if meeting.asks_food else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != "" or k in ("online_link", "capacity")}


def test_a_new_place_saved_in_the_admin_tells_everyone_signed_up(as_persona, world):
    meeting = world["published"]
    response = as_persona("staff").post(
        f"/admin/groups/dialoguemeeting/{meeting.pk}/change/",
        admin_meeting_form(meeting, venue="Skolans matsal"),
        follow=True,
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.venue == "Skolans matsal" and meeting.sequence == 1
    told = OutboundEmail.objects.filter(kind="meetings.dialogue_update")
    assert told.count() == 3
    assert "3 personer har fått den nya tiden eller platsen" in response.content.decode()


def test_the_admin_refuses_an_end_before_the_start_and_changes_nothing(as_persona, world):
    meeting = world["published"]
    client = as_persona("staff")
    before = db_state()
    response = client.post(
        f"/admin/groups/dialoguemeeting/{meeting.pk}/change/",
        admin_meeting_form(meeting, ends_at_0="2000-01-01"),
    )
    assert response.status_code == 200
    assert "Mötet måste sluta efter att det har börjat." in response.content.decode()
    assert db_state() == before


def test_a_held_meeting_is_only_shown_in_the_admin(as_persona, world):
    held = world["held"]
    client = as_persona("staff")
    before = db_state()
    client.post(
        f"/admin/groups/dialoguemeeting/{held.pk}/change/",
        admin_meeting_form(held, title="Nytt namn"),
    )
    held.refresh_from_db()
    assert held.title == "Hållet möte"
    assert db_state() == before
