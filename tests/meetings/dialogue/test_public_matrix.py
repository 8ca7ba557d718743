"""Every public page of the groups' dialogue meetings, for every persona: the status code,
that a page read changes nothing, that a draft exists only for its group's coordinators
and staff, and that a refused sign-up changes nothing."""

import datetime

import pytest
from django.utils import timezone

from allas.models import OutboundEmail
from groups.models import DialogueMeeting
from meetings.models import SignUp
from tests.dialogue_factories import dialogue_meeting, signup
from tests.personas import NO_SECOND_FACTOR_PERSONAS, log_in_persona
from tests.test_pages import assert_valid_html

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
ALL_200 = dict.fromkeys(PERSONAS, 200)
ALL_404 = dict.fromkeys(PERSONAS, 404)
ALL_405 = dict.fromkeys(PERSONAS, 405)
# A draft: its group's coordinators and staff (with a second factor) see it.
DRAFT = {**ALL_404, "coordinator": 200, "staff": 200}
# Who signs up in one step: everyone signed in with a confirmed address.
ONE_STEP = {p: p not in ("visitor", "unverified") for p in PERSONAS}


@pytest.fixture
def world(db):
    past = timezone.now() - datetime.timedelta(days=20)
    meeting = dialogue_meeting(title="Bygdemöte om skolan", capacity=10, asks_food=True)
    held = dialogue_meeting(
        title="Vandring längs ån",
        kind=DialogueMeeting.Kind.WALK,
        starts_at=past,
        status=DialogueMeeting.Status.HELD,
        attendance=14,
        minutes="Vi gick längs ån och pratade om bryggan.",
        minutes_published_at=past,
    )
    cancelled = dialogue_meeting(
        title="Workshop om hamnen",
        status=DialogueMeeting.Status.CANCELLED,
        cancel_reason="Lokalen är inte ledig.",
    )
    draft = dialogue_meeting(title="Utkast till möte", status=DialogueMeeting.Status.DRAFT)
    person = signup(meeting, name="Anna Andersson", email="anna@example.se")
    in_draft = signup(draft, name="Bo Berg", email="bo@example.se")
    return {
        "meeting": meeting,
        "held": held,
        "cancelled": cancelled,
        "draft": draft,
        "token": person.token,
        "draft token": in_draft.token,
    }


def state():
    return (
        sorted(
            SignUp.objects.values_list("id", "status", "email", "food_needs", "token", "version")
        ),
        sorted(DialogueMeeting.objects.values_list("id", "status", "sequence")),
        OutboundEmail.objects.count(),
    )


def paths(world):
    m, d = world["meeting"].pk, world["draft"].pk
    token, draft_token = world["token"], world["draft token"]
    return {
        "list": ("/moten/", ALL_200),
        "list, filtered": ("/moten/?ort=storebro&typ=bygdemote", ALL_200),
        "list, a filter that is no choice": ("/moten/?ort=atlantis&typ=fest", ALL_200),
        "ort list": ("/orter/storebro/moten/", ALL_200),
        "ort list, unknown ort": ("/orter/atlantis/moten/", ALL_404),
        "detail": (f"/moten/{m}/", ALL_200),
        "held detail": (f"/moten/{world['held'].pk}/", ALL_200),
        "cancelled detail": (f"/moten/{world['cancelled'].pk}/", ALL_200),
        "draft detail": (f"/moten/{d}/", DRAFT),
        "unknown meeting": ("/moten/999999/", ALL_404),
        "sign-up by GET": (f"/moten/{m}/anmal/", ALL_405),
        "calendar file": (f"/moten/{m}/kalender.ics", ALL_200),
        "draft calendar file": (f"/moten/{d}/kalender.ics", ALL_404),
        "calendar feed": ("/moten/kalender.ics", ALL_200),
        "ort calendar feed": ("/orter/storebro/moten/kalender.ics", ALL_200),
        "unknown ort calendar feed": ("/orter/atlantis/moten/kalender.ics", ALL_404),
        "personal page": (f"/moten/anmalan/{token}/", ALL_200),
        "personal calendar file": (f"/moten/anmalan/{token}/kalender.ics", ALL_200),
        "personal page, wrong link": (f"/moten/anmalan/{'x' * 48}/", ALL_404),
        "personal page, draft": (f"/moten/anmalan/{draft_token}/", ALL_404),
        "confirm by GET": (f"/moten/anmalan/{token}/bekrafta/", ALL_405),
        "cancel by GET": (f"/moten/anmalan/{token}/avanmal/", ALL_405),
        "needs by GET": (f"/moten/anmalan/{token}/behov/", ALL_405),
        "home page": ("/", ALL_200),
        "ort page": ("/orter/storebro/", ALL_200),
    }


VIEWS = [
    "list",
    "list, filtered",
    "list, a filter that is no choice",
    "ort list",
    "ort list, unknown ort",
    "detail",
    "held detail",
    "cancelled detail",
    "draft detail",
    "unknown meeting",
    "sign-up by GET",
    "calendar file",
    "draft calendar file",
    "calendar feed",
    "ort calendar feed",
    "unknown ort calendar feed",
    "personal page",
    "personal calendar file",
    "personal page, wrong link",
    "personal page, draft",
    "confirm by GET",
    "cancel by GET",
    "needs by GET",
    "home page",
    "ort page",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("view", VIEWS)
def test_get_matrix(as_persona, world, view, persona):
    path, expected = paths(world)[view]
    client = as_persona(persona)
    before = state()
    response = client.get(path)
    assert response.status_code == expected[persona]
    if response["Content-Type"].startswith("text/html") and response.status_code != 405:
        assert_valid_html(response.content)
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_in_no_list_feed_search_or_panel(as_persona, world, persona):
    client = as_persona(persona)
    for path in [
        "/moten/",
        "/orter/storebro/moten/",
        "/moten/kalender.ics",
        "/orter/storebro/moten/kalender.ics",
        "/sok/?q=utkast",
        "/",
        "/orter/storebro/",
    ]:
        page = client.get(path).content.decode()
        assert "Utkast till möte" not in page, path
        assert f"/moten/{world['draft'].pk}/" not in page, path


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_can_sign_up_and_a_signed_in_resident_in_one_step(client, request, world, persona):
    meeting = world["meeting"]
    user = log_in_persona(client, request, persona)
    response = client.post(
        f"/moten/{meeting.pk}/anmal/",
        {"name": "Gäst Gustavsson", "email": "gast@example.se", "food_needs": "Vegetarisk"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/moten/{meeting.pk}/"
    if ONE_STEP[persona]:
        # The account signs up as itself, whatever the form was sent with.
        made = SignUp.objects.get(meeting=meeting, user=user)
        assert made.email == user.email
        assert made.status == SignUp.Status.SIGNED_UP
        assert not SignUp.objects.filter(email="gast@example.se").exists()
        kind = "meetings.dialogue_confirmation"
    else:
        made = SignUp.objects.get(meeting=meeting, email="gast@example.se")
        assert made.status == SignUp.Status.UNCONFIRMED
        assert made.user is None
        kind = "meetings.dialogue_verify"
    assert made.food_needs == "Vegetarisk"
    assert list(OutboundEmail.objects.values_list("kind", "to")) == [(kind, made.email)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_sign_up_to_a_draft_is_refused_and_changes_nothing(as_persona, world, persona):
    client = as_persona(persona)
    before = state()
    response = client.post(
        f"/moten/{world['draft'].pk}/anmal/", {"name": "Gäst", "email": "gast@example.se"}
    )
    # Those who see the draft read why; to everyone else it does not exist.
    assert response.status_code == DRAFT[persona]
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("which", ["held", "cancelled"])
def test_a_sign_up_to_a_held_or_cancelled_meeting_changes_nothing(
    as_persona, world, persona, which
):
    client = as_persona(persona)
    before = state()
    response = client.post(
        f"/moten/{world[which].pk}/anmal/", {"name": "Gäst", "email": "gast@example.se"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert state() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["bekrafta", "behov", "avanmal"])
def test_a_wrong_personal_link_changes_nothing(as_persona, world, persona, action):
    client = as_persona(persona)
    before = state()
    token = world["token"]
    # Unknown, a draft's, and the right selector with a wrong verifier.
    almost = token[:-1] + ("A" if token[-1] != "A" else "B")
    for token in ["x" * 48, world["draft token"], almost]:
        response = client.post(f"/moten/anmalan/{token}/{action}/", {"food_needs": "Kapat"})
        assert response.status_code == 404
        assert response["Cache-Control"] == "private, no-store"
    assert state() == before


def test_the_draft_page_tells_the_coordinator_who_sees_it(as_persona, world):
    page = as_persona("coordinator").get(f"/moten/{world['draft'].pk}/")
    assert page.context["can_manage"]
    assert f"/orter/storebro/grupp/moten/{world['draft'].pk}/" in page.content.decode()
    # A draft takes no sign-ups, so the page offers none.
    assert page.context["form"] is None
