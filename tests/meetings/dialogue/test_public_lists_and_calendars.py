"""The groups' meetings where people look for them: the list of every coming meeting (the
network's too) with its filters, the ort's meetings, the panels of the home and ort
pages, the subscribable calendars, the search, and a person's own data."""

import datetime
import json
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from icalendar import Calendar

from allas import services as core_services
from allas.models import SlusGoal
from groups.models import DevelopmentGroup, DialogueMeeting
from meetings.models import SignUp
from tests.dialogue_factories import dialogue_meeting, signup
from tests.meetings.conftest import make_meeting

Kind = DialogueMeeting.Kind
Status = DialogueMeeting.Status
pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def group(slug):
    return DevelopmentGroup.objects.get(locality__slug=slug)


def days(n):
    return timezone.now() + datetime.timedelta(days=n)


@pytest.fixture
def meetings(db):
    """Storebro's village meeting and Tuna's walk ahead, a network meeting between them,
    a cancelled workshop, one held last month, one held long ago, and a draft."""
    return {
        "storebro": dialogue_meeting(title="Bygdemöte om skolan", starts_at=days(5)),
        "tuna": dialogue_meeting(
            group=group("tuna"), title="Vandring runt sjön", kind=Kind.WALK, starts_at=days(20)
        ),
        "network": make_meeting(days_ahead=10, title="Nätverksträff i Vimmerby"),
        "cancelled": dialogue_meeting(
            title="Workshop om hamnen",
            kind=Kind.WORKSHOP,
            starts_at=days(8),
            status=Status.CANCELLED,
            cancel_reason="Sjukdom.",
        ),
        "held": dialogue_meeting(
            title="Bygdemöte om badplatsen", starts_at=days(-30), status=Status.HELD, attendance=9
        ),
        "old": dialogue_meeting(
            title="Bygdemöte om vägen", starts_at=days(-400), status=Status.HELD, attendance=30
        ),
        "draft": dialogue_meeting(title="Hemligt utkast", starts_at=days(3), status=Status.DRAFT),
    }


def titles(response):
    return [m.title for m in response.context["page"].object_list]


# -- lists ---------------------------------------------------------------------------


def test_the_list_shows_every_coming_meeting_in_the_order_they_start(client, meetings):
    response = client.get("/moten/")
    assert titles(response) == [
        "Bygdemöte om skolan",
        "Workshop om hamnen",
        "Nätverksträff i Vimmerby",
        "Vandring runt sjön",
    ]
    page = response.content.decode()
    assert f'href="/natverksmoten/{meetings["network"].pk}/"' in page
    assert f'href="/moten/{meetings["tuna"].pk}/"' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?ort=tuna", ["Vandring runt sjön"]),
        ("?typ=vandring", ["Vandring runt sjön"]),
        ("?typ=natverksmote", ["Nätverksträff i Vimmerby"]),
        ("?ort=storebro&typ=workshop", ["Workshop om hamnen"]),
        ("?ort=storebro&typ=natverksmote", []),
        ("?ort=pelarne", []),
    ],
)
def test_the_list_filters_by_ort_and_kind_without_javascript(client, meetings, query, expected):
    response = client.get("/moten/" + query)
    assert titles(response) == expected
    page = response.content.decode()
    assert '<form method="get" action="/moten/"' in page
    assert 'name="ort"' in page and 'name="typ"' in page


def test_the_list_pages_past_twenty(client):
    for i in range(25):
        dialogue_meeting(title=f"Möte {i:02}", starts_at=days(1 + i))
    first = client.get("/moten/")
    assert len(titles(first)) == 20 and first.context["page"].has_next()
    second = client.get("/moten/?sida=2")
    assert titles(second) == [f"Möte {i:02}" for i in range(20, 25)]
    assert client.get("/moten/?sida=999").context["page"].number == 2


def test_the_ort_list_shows_coming_and_past_meetings(client, meetings):
    response = client.get("/orter/storebro/moten/")
    coming = [m.title for m in response.context["coming"].object_list]
    past = [m.title for m in response.context["past"].object_list]
    assert coming == ["Bygdemöte om skolan", "Workshop om hamnen"]
    assert past == ["Bygdemöte om badplatsen", "Bygdemöte om vägen"]
    page = response.content.decode()
    assert "Vandring runt sjön" not in page and "Nätverksträff" not in page


def test_the_home_and_ort_pages_show_the_next_meetings(client, meetings):
    home = client.get("/").content.decode()
    assert "Bygdemöte om skolan" in home and "Vandring runt sjön" in home
    assert "Workshop om hamnen" not in home  # cancelled
    ort = client.get("/orter/storebro/").content.decode()
    assert "Bygdemöte om skolan" in ort
    assert "Vandring runt sjön" not in ort
    assert 'href="/orter/storebro/moten/"' in ort


def test_the_meeting_page_says_when_where_and_how_many_places_are_left(client):
    meeting = dialogue_meeting(
        title="Workshop om torget",
        kind=Kind.WORKSHOP,
        starts_at=timezone.make_aware(datetime.datetime(2099, 3, 3, 18, 30)),
        venue="Folkets hus",
        address="Torget 2, Storebro",
        online_link="https://mote.example.se/torget",
        description="Kom och rita det nya torget.",
        capacity=3,
    )
    signup(meeting)
    meeting.goals.set(SlusGoal.objects.filter(slug__in=["leva", "motas"]))
    response = client.get(f"/moten/{meeting.pk}/")
    page = response.content.decode()
    for text in [
        "Storebro",
        "3 mars 2099",
        "18.30–20.30",
        "Folkets hus",
        "Torget 2, Storebro",
        "https://mote.example.se/torget",
        "Kom och rita det nya torget.",
        'href="/mal/leva/"',
        f'href="/moten/{meeting.pk}/kalender.ics"',
        f'href="/moten/{meeting.pk}/affisch/"',
        f'action="/moten/{meeting.pk}/anmal/"',
    ]:
        assert text in page, text
    with translation.override("sv"):
        assert date_format(timezone.localtime(meeting.starts_at), "l j F Y") in page
    assert response.context["seats"].left == 2


def test_a_cancelled_meeting_says_why_and_takes_no_sign_up(client, meetings):
    response = client.get(f"/moten/{meetings['cancelled'].pk}/")
    assert "Sjukdom." in response.content.decode()
    assert response.context["form"] is None
    assert "/anmal/" not in response.content.decode()


def test_a_held_meeting_shows_how_many_came_the_minutes_and_the_proposals(client, resident):
    from proposals.models import Proposal

    meeting = dialogue_meeting(
        starts_at=days(-3),
        status=Status.HELD,
        attendance=17,
        minutes="Vi bestämde att bygga en brygga.",
        minutes_published_at=timezone.now(),
    )
    proposal = Proposal.objects.create(
        locality=meeting.group.locality,
        author=resident,
        title="Bygg en brygga",
        body="Vid ån.",
        raised_at=meeting,
    )
    response = client.get(f"/moten/{meeting.pk}/")
    page = response.content.decode()
    assert "17" in page
    assert "Vi bestämde att bygga en brygga." in page
    assert f'href="{proposal.get_absolute_url()}"' in page
    assert response.context["form"] is None


def test_a_full_meeting_offers_the_waiting_list(client):
    meeting = dialogue_meeting(capacity=1)
    signup(meeting)
    signup(meeting, status=SignUp.Status.WAITING)
    response = client.get(f"/moten/{meeting.pk}/")
    assert response.context["seats"].left == 0
    assert response.context["seats"].waiting == 1
    assert response.context["form"] is not None


def test_sign_up_is_closed_after_the_deadline(client):
    meeting = dialogue_meeting(starts_at=days(5), signup_deadline=days(-1))
    response = client.get(f"/moten/{meeting.pk}/")
    assert response.context["form"] is None
    assert "/anmal/" not in response.content.decode()


# -- calendars -------------------------------------------------------------------------


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert str(cal["METHOD"]) == "PUBLISH"
    return cal, {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_the_calendar_feed_has_the_public_meetings_and_no_personal_data(client, meetings):
    for meeting in (meetings["storebro"], meetings["held"]):
        signup(meeting, name="Anna Andersson", email="anna@example.se", food_needs="Nötter")
    response = client.get("/moten/kalender.ics")
    cal, found = events(response)
    assert set(found) == {
        "Bygdemöte om skolan",
        "Vandring runt sjön",
        "Nätverksträff i Vimmerby",
        "Workshop om hamnen",
        "Bygdemöte om badplatsen",
    }
    assert str(found["Workshop om hamnen"]["STATUS"]) == "CANCELLED"
    assert str(found["Bygdemöte om skolan"]["UID"]) == meetings["storebro"].uid
    text = response.content.decode()
    assert not EMAIL.findall(text)
    assert "Anna" not in text and "Nötter" not in text
    assert "ORGANIZER" not in text and "ATTENDEE" not in text


def test_the_ort_calendar_has_only_the_orts_meetings(client, meetings):
    cal, found = events(client.get("/orter/tuna/moten/kalender.ics"))
    assert set(found) == {"Vandring runt sjön"}
    assert "Tuna" in str(cal["X-WR-CALNAME"])


def test_a_meetings_calendar_file(client, meetings):
    meeting = meetings["storebro"]
    signup(meeting, email="anna@example.se")
    response = client.get(f"/moten/{meeting.pk}/kalender.ics")
    _cal, found = events(response)
    [event] = found.values()
    assert str(event["UID"]) == meeting.uid
    assert not EMAIL.findall(response.content.decode())


# -- search and personal data ----------------------------------------------------------


def test_the_search_finds_a_meeting_by_its_words(client, meetings):
    page = client.get("/sok/?q=skolan").content.decode()
    assert f'href="/moten/{meetings["storebro"].pk}/"' in page
    page = client.get("/sok/?q=utkast").content.decode()
    assert f'href="/moten/{meetings["draft"].pk}/"' not in page
    page = client.get("/sok/?q=bygdegården").content.decode()  # the place
    assert f'href="/moten/{meetings["storebro"].pk}/"' in page


def test_my_data_has_my_sign_ups(client, resident, meetings):
    signup(meetings["storebro"], user=resident, food_needs="Glutenfritt")
    client.force_login(resident)
    data = json.loads(client.get("/konto/mina-data/").content)
    [mine] = data["anmälningar_till_gruppernas_möten"]
    assert mine["möte"] == "Bygdemöte om skolan"
    assert mine["e-postadress"] == resident.email
    assert mine["mat"] == "Glutenfritt"
    assert mine["status"] == {"kod": "signed_up", "text": "Anmäld"}


def test_deleting_the_account_gives_the_seat_to_the_first_in_line(resident):
    meeting = dialogue_meeting(capacity=1)
    signup(meeting, user=resident)
    waiting = signup(meeting, status=SignUp.Status.WAITING)
    core_services.account_delete(user=resident)
    assert list(SignUp.objects.values_list("pk", "status")) == [(waiting.pk, "signed_up")]


def test_the_privacy_page_says_how_long_sign_ups_are_kept(client, settings):
    settings.DIALOGUE_SIGNUP_RETENTION_DAYS = 45
    page = client.get("/personuppgifter/").content.decode()
    assert "45" in page
