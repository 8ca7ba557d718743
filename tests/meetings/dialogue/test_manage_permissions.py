"""Every coordinators' page of a group's dialogue meetings, for every persona: the status
code, and for a refused write, proof that nothing changed. Only the group's coordinators
and staff (with a second factor) hold its meetings; a meeting of another group is 404
under this group's address."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from allas.models import SlusGoal
from groups.models import DevelopmentGroup
from tests.dialogue_factories import dialogue_meeting, signup
from tests.factories import Client
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
MANAGERS = ["coordinator", "staff"]
REFUSED = [p for p in PERSONAS if p not in MANAGERS]
LOGIN = "login"  # a redirect to the login page

OWN_APPS = ("allas", "groups", "proposals", "meetings", "notifications")


def db_state():
    """Every row of the portal's own tables: a refused write leaves them all as they were."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model._meta.app_label in OWN_APPS
    }


def at(days=0, hours=0):
    return timezone.now() + datetime.timedelta(days=days, hours=hours)


def make_world():
    """Storebro's meetings: a published one with two places taken and one waiting, a
    draft, one going on now and one held; and a meeting of Södra Vi's group."""
    published = dialogue_meeting(title="Bygdemöte om skolan", capacity=2, asks_food=True)
    seated = signup(published, name="Anna Andersson", food_needs="Vegetarisk")
    signup(published, name="Bo Berg")
    waiting = signup(published, name="Cecilia Ceder", status="waiting")
    return {
        "published": published,
        "seated": seated,
        "waiting": waiting,
        "draft": dialogue_meeting(title="Utkast till vandring", status="draft", kind="vandring"),
        "started": dialogue_meeting(
            title="Pågående workshop", starts_at=at(hours=-1), ends_at=at(hours=1)
        ),
        "held": dialogue_meeting(
            title="Hållet möte",
            status="held",
            attendance=14,
            starts_at=at(days=-3),
            ends_at=at(days=-3, hours=2),
        ),
        "other": dialogue_meeting(
            group=DevelopmentGroup.objects.get(locality__slug="sodra-vi"), title="Södra Vis möte"
        ),
    }


@pytest.fixture
def world(db):
    return make_world()


def base(meeting_key, world, slug="storebro"):
    return f"/orter/{slug}/grupp/moten/{world[meeting_key].pk}/"


def page_paths(world):
    """Every page of the coordinators, by name."""
    p = base("published", world)
    return {
        "list": "/orter/storebro/grupp/moten/",
        "create": "/orter/storebro/grupp/moten/nytt/",
        "meeting": p,
        "draft": base("draft", world),
        "held meeting": base("held", world),
        "edit": p + "redigera/",
        "edit draft": base("draft", world) + "redigera/",
        "cancel": p + "stall-in/",
        "held": base("started", world) + "genomfort/",
        "minutes": base("held", world) + "protokoll/",
        "csv": p + "anmalningar.csv",
        "signin sheet": p + "narvarolista/",
    }


COORDINATORS_ONLY = {
    **dict.fromkeys(REFUSED, 403),
    "visitor": LOGIN,
    "coordinator": 200,
    "staff": 200,
}


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/konto/login/?next="), response["Location"]
    else:
        assert response.status_code == expected, response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "page",
    [
        "list",
        "create",
        "meeting",
        "draft",
        "held meeting",
        "edit",
        "edit draft",
        "cancel",
        "held",
        "minutes",
        "csv",
        "signin sheet",
    ],
)
def test_every_page_is_the_groups_coordinators_and_staffs(as_persona, world, page, persona):
    client = as_persona(persona)
    before = db_state() if persona in REFUSED else None
    check(client.get(page_paths(world)[page]), COORDINATORS_ONLY[persona])
    if before is not None:
        assert db_state() == before


def meeting_form(**changes):
    day = (timezone.localtime() + datetime.timedelta(days=20)).date().isoformat()
    data = {
        "title": "Vandring längs ån",
        "kind": "vandring",
        "starts_at_0": day,
        "starts_at_1": "18:00",
        "ends_at_0": day,
        "ends_at_1": "20:00",
        "venue": "Kyrkan",
        "address": "Kyrkvägen 2, Storebro",
        "online_link": "",
        "description": "Vi går och tittar på stigen.",
        "goals": [SlusGoal.objects.get(slug="trivas").pk],
        "capacity": "25",
        "signup_deadline_0": "",
        "signup_deadline_1": "",
        "asks_food": "on",
    }
    data.update(changes)
    return data


def writes(world):
    """Each write of the coordinators: (path, what is posted)."""
    p = base("published", world)
    return {
        "create": ("/orter/storebro/grupp/moten/nytt/", meeting_form()),
        "edit": (p + "redigera/", meeting_form(title="Nytt namn")),
        "publish": (base("draft", world) + "publicera/", {}),
        "cancel": (p + "stall-in/", {"reason": "Lokalen är upptagen."}),
        "held": (base("started", world) + "genomfort/", {"attendance": "12"}),
        "minutes": (base("held", world) + "protokoll/", {"minutes": "Vi pratade om skolan."}),
        "signup cancel": (p + f"anmalan/{world['seated'].pk}/avboka/", {}),
    }


WRITES = ["create", "edit", "publish", "cancel", "held", "minutes", "signup cancel"]


@pytest.mark.parametrize("persona", REFUSED)
@pytest.mark.parametrize("write", WRITES)
def test_a_refused_write_changes_nothing(as_persona, world, write, persona):
    client = as_persona(persona)
    path, data = writes(world)[write]
    before = db_state()
    response = client.post(path, data)
    check(response, LOGIN if persona == "visitor" else 403)
    assert db_state() == before


@pytest.mark.parametrize("persona", MANAGERS)
@pytest.mark.parametrize("write", WRITES)
def test_coordinators_and_staff_may_write(as_persona, world, write, persona):
    client = as_persona(persona)
    path, data = writes(world)[write]
    before = db_state()
    response = client.post(path, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"].startswith("/orter/storebro/grupp/moten/")
    assert db_state() != before


@pytest.mark.parametrize("write", WRITES)
def test_a_write_without_the_csrf_token_is_refused_and_changes_nothing(world, coordinator, write):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    path, data = writes(world)[write]
    before = db_state()
    assert client.post(path, data).status_code == 403
    assert db_state() == before


@pytest.mark.parametrize("write", ["publish", "signup cancel"])
def test_a_button_write_answers_only_post(as_persona, world, write):
    client = as_persona("coordinator")
    before = db_state()
    assert client.get(writes(world)[write][0]).status_code == 405
    assert db_state() == before


@pytest.mark.parametrize("persona", MANAGERS)
@pytest.mark.parametrize(
    "suffix",
    [
        "",
        "redigera/",
        "stall-in/",
        "genomfort/",
        "protokoll/",
        "anmalningar.csv",
        "narvarolista/",
    ],
)
def test_a_meeting_of_another_group_is_404_under_this_groups_address(
    as_persona, world, persona, suffix
):
    client = as_persona(persona)
    assert client.get(base("other", world) + suffix).status_code == 404


@pytest.mark.parametrize("persona", MANAGERS)
@pytest.mark.parametrize("write", ["edit", "publish", "cancel", "held", "minutes"])
def test_a_write_to_a_meeting_of_another_group_is_404_and_changes_nothing(
    as_persona, world, persona, write
):
    client = as_persona(persona)
    path, data = writes(world)[write]
    suffix = path.rsplit("/", 2)[-2] + "/"
    before = db_state()
    assert client.post(base("other", world) + suffix, data).status_code == 404
    assert db_state() == before


def test_a_sign_up_of_another_meeting_is_404_and_changes_nothing(as_persona, world):
    client = as_persona("coordinator")
    elsewhere = signup(world["other"], name="Från Södra Vi")
    before = db_state()
    path = base("published", world) + f"anmalan/{elsewhere.pk}/avboka/"
    assert client.post(path).status_code == 404
    assert db_state() == before


def test_the_other_groups_coordinator_gets_403_even_for_their_own_meeting_here(as_persona, world):
    """The group is asked first: under Storebro's address every page is Storebro's, so
    Södra Vi's coordinator learns nothing of any meeting id."""
    client = as_persona("other_coordinator")
    assert client.get(base("other", world)).status_code == 403
    assert client.get(base("other", world, slug="sodra-vi")).status_code == 200


@pytest.mark.parametrize(
    "path", ["/orter/finns-inte/grupp/moten/", "/orter/finns-inte/grupp/moten/nytt/"]
)
def test_an_unknown_ort_is_404(staff_client, path):
    assert staff_client.get(path).status_code == 404


def test_the_groups_page_links_to_its_meetings_with_drafts(as_persona, world):
    content = as_persona("coordinator").get("/orter/storebro/grupp/").content.decode()
    assert "/orter/storebro/grupp/moten/nytt/" in content
    assert "/orter/storebro/grupp/moten/" in content
    assert "Utkast till vandring" in content
    assert "Bygdemöte om skolan" in content
    assert "Södra Vis möte" not in content
    # Past meetings are on the list of all the group's meetings, not here.
    assert "Hållet möte" not in content
