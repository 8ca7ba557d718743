"""A group's dialogue meeting as its coordinators run it, start to end, through their
pages: created as a draft, published, moved (everyone signed up is told), cancelled
(everyone is told, with the reason); held, with the minutes sent to those who came; a
sign-up cancelled for a person, the waiting list moving up."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from allas.models import AuditEvent, OutboundEmail, SlusGoal
from groups.models import DialogueMeeting
from meetings.models import SignUp
from meetings.words import AuditVerb
from tests.dialogue_factories import dialogue_meeting, signup
from tests.meetings.dialogue.test_manage_permissions import (
    at,
    base,
    db_state,
    make_world,
    meeting_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


NEW = "/orter/storebro/grupp/moten/nytt/"


def emails(kind):
    return sorted(
        OutboundEmail.objects.filter(kind=f"meetings.{kind}").values_list("to", flat=True)
    )


def in_swedish(text):
    with translation.override("sv"):
        return gettext(text)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def page_of(meeting):
    return f"/orter/storebro/grupp/moten/{meeting.pk}/"


def test_create_publish_move_and_cancel_tell_everyone_signed_up(as_persona):
    client = as_persona("coordinator")
    response = client.post(NEW, meeting_form(), follow=True)
    meeting = DialogueMeeting.objects.get(title="Vandring längs ån")
    assert response.redirect_chain == [(page_of(meeting), 302)]
    assert "Mötet är sparat som utkast." in messages_of(response)[0]
    assert meeting.status == "draft" and meeting.group.locality.slug == "storebro"
    assert list(meeting.goals.values_list("slug", flat=True)) == ["trivas"]
    # 18.00 Swedish time, whatever the server's clock says.
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "18:00"
    assert meeting.capacity == 25 and meeting.asks_food and not meeting.asks_access
    assert AuditEvent.objects.filter(verb=AuditVerb.DIALOGUE_CREATED).count() == 1

    response = client.post(page_of(meeting) + "publicera/", follow=True)
    meeting.refresh_from_db()
    assert meeting.status == "published" and meeting.published_at
    assert "Mötet är publicerat." in messages_of(response)[0]

    people = [signup(meeting, name=name) for name in ("Anna", "Bo")]
    people.append(signup(meeting, name="Cecilia", status="waiting"))
    signup(meeting, name="Avanmäld", status="cancelled")

    # A change of the description tells no one.
    response = client.post(
        page_of(meeting) + "redigera/", meeting_form(description="Ny text."), follow=True
    )
    assert messages_of(response) == ["Ändringarna är sparade."]
    assert emails("dialogue_update") == []

    # A new time tells those signed up and those waiting, once each.
    day = (timezone.localtime() + datetime.timedelta(days=21)).date().isoformat()
    moved = meeting_form(description="Ny text.", starts_at_0=day, ends_at_0=day)
    response = client.post(page_of(meeting) + "redigera/", moved, follow=True)
    assert "3 personer har fått den nya tiden eller platsen" in messages_of(response)[0]
    assert emails("dialogue_update") == sorted(p.email for p in people)
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert timezone.localtime(meeting.starts_at).date().isoformat() == day

    page = client.get(page_of(meeting) + "stall-in/").content.decode()
    assert "De 3 personer som är anmälda eller står på väntelistan" in page
    response = client.post(
        page_of(meeting) + "stall-in/", {"reason": "Lokalen brann."}, follow=True
    )
    assert "Mötet är inställt. 3 personer har fått ett meddelande" in messages_of(response)[0]
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.cancel_reason == "Lokalen brann."
    assert emails("dialogue_cancelled") == sorted(p.email for p in people)
    assert (
        "Lokalen brann."
        in OutboundEmail.objects.filter(kind="meetings.dialogue_cancelled")[0].body_text
    )
    # Nothing of a cancelled meeting can be changed any more: no button says otherwise.
    page = client.get(page_of(meeting)).content.decode()
    assert "/redigera/" not in page and "/stall-in/" not in page and "/publicera/" not in page


def test_a_cancelled_draft_tells_nobody(as_persona, world):
    client = as_persona("coordinator")
    page = client.get(base("draft", world) + "stall-in/").content.decode()
    assert "Utkastet har aldrig publicerats" in page
    response = client.post(base("draft", world) + "stall-in/", {"reason": "Fel datum"}, follow=True)
    assert "0 personer har fått ett meddelande" in messages_of(response)[0]
    assert OutboundEmail.objects.count() == 0


def test_a_meeting_cannot_be_marked_held_before_it_starts(as_persona, world):
    client = as_persona("coordinator")
    before = db_state()
    response = client.post(base("published", world) + "genomfort/", {"attendance": "12"})
    assert response.status_code == 200
    assert in_swedish("The meeting has not started yet.") in response.content.decode()
    assert db_state() == before


def test_held_and_minutes_tell_those_who_signed_up(as_persona, world):
    client = as_persona("coordinator")
    started = world["started"]
    came = [signup(started, name="Dora"), signup(started, name="Erik")]
    signup(started, name="Fanny", status="waiting")

    response = client.post(page_of(started) + "genomfort/", {"attendance": "12"}, follow=True)
    assert "Mötet är markerat som genomfört." in messages_of(response)[0]
    started.refresh_from_db()
    assert started.status == "held" and started.attendance == 12
    assert emails("dialogue_minutes") == []

    page = client.get(page_of(started) + "protokoll/").content.decode()
    assert "de 2 personer som anmälde sig får det via e-post" in page
    response = client.post(
        page_of(started) + "protokoll/", {"minutes": "Vi bestämde att laga bryggan."}, follow=True
    )
    assert (
        "Protokollet är publicerat. 2 personer som anmälde sig har fått det."
        in (messages_of(response)[0])
    )
    started.refresh_from_db()
    assert started.minutes == "Vi bestämde att laga bryggan." and started.minutes_published_at
    assert emails("dialogue_minutes") == sorted(s.email for s in came)
    assert "Vi bestämde att laga bryggan." in client.get(page_of(started)).content.decode()

    # A correction is shown, and sent to no one twice.
    client.post(page_of(started) + "protokoll/", {"minutes": "Vi ska laga bryggan i maj."})
    started.refresh_from_db()
    assert started.minutes == "Vi ska laga bryggan i maj."
    assert len(emails("dialogue_minutes")) == 2
    # How many came can still be corrected.
    client.post(page_of(started) + "genomfort/", {"attendance": "13"})
    started.refresh_from_db()
    assert started.attendance == 13


def test_minutes_are_refused_before_the_meeting_is_held(as_persona, world):
    client = as_persona("coordinator")
    before = db_state()
    response = client.post(base("started", world) + "protokoll/", {"minutes": "Anteckningar"})
    assert response.status_code == 200
    assert (
        in_swedish("Mark the meeting as held before you publish the minutes.")
        in response.content.decode()
    )
    assert db_state() == before


def test_a_draft_whose_time_has_passed_is_not_published(as_persona):
    client = as_persona("coordinator")
    draft = dialogue_meeting(status="draft", starts_at=at(hours=-2), ends_at=at(hours=-1))
    assert "Mötets tid har passerat" in client.get(page_of(draft)).content.decode()
    before = db_state()
    response = client.post(page_of(draft) + "publicera/", follow=True)
    assert messages_of(response) == [
        in_swedish("The meeting has already started: change the time first.")
    ]
    assert db_state() == before


def test_publishing_twice_changes_nothing_the_second_time(as_persona, world):
    client = as_persona("coordinator")
    client.post(base("draft", world) + "publicera/", follow=True)
    before = db_state()
    response = client.post(base("draft", world) + "publicera/", follow=True)
    assert messages_of(response) == [in_swedish("Only a draft can be published.")]
    assert db_state() == before


def test_the_coordinator_cancels_a_sign_up_and_the_first_in_line_moves_up(as_persona, world):
    client = as_persona("coordinator")
    seated, waiting = world["seated"], world["waiting"]
    path = base("published", world) + f"anmalan/{seated.pk}/avboka/"
    response = client.post(path, follow=True)
    assert messages_of(response) == [
        "Anna Andersson är avanmäld och har fått ett e-postmeddelande om det."
    ]
    seated.refresh_from_db()
    waiting.refresh_from_db()
    assert seated.status == "cancelled" and seated.changed_by == "coordinator"
    assert seated.food_needs == ""
    assert waiting.status == "signed_up"
    assert emails("dialogue_cancelled_signup") == [seated.email]
    assert emails("dialogue_moved_up") == [waiting.email]
    event = AuditEvent.objects.get(verb=AuditVerb.DIALOGUE_SIGNUP_CANCELLED)
    assert event.actor.display_name == "Samordnare Berg"

    # Pressed again (a second tab): said, and nothing changes.
    before = db_state()
    response = client.post(path, follow=True)
    assert messages_of(response) == ["Anna Andersson var redan avanmäld."]
    assert db_state() == before


def test_a_sign_up_cannot_be_cancelled_once_the_meeting_has_started(as_persona, world):
    client = as_persona("coordinator")
    late = signup(world["started"], name="Sen")
    before = db_state()
    response = client.post(base("started", world) + f"anmalan/{late.pk}/avboka/", follow=True)
    assert messages_of(response) == [
        in_swedish("The meeting has started: the sign-up can no longer be cancelled.")
    ]
    assert db_state() == before


def test_more_places_go_to_the_waiting_list_in_order(as_persona, world):
    meeting = world["published"]
    later = signup(meeting, name="Dag Dahl", status="waiting")
    form = meeting_form(
        title=meeting.title,
        kind=meeting.kind,
        starts_at_0=timezone.localtime(meeting.starts_at).date().isoformat(),
        starts_at_1="18:30",
        ends_at_0=timezone.localtime(meeting.ends_at).date().isoformat(),
        ends_at_1="20:30",
        venue=meeting.venue,
        address=meeting.address,
        description=meeting.description,
        goals=[],
        capacity="3",
    )
    as_persona("coordinator").post(base("published", world) + "redigera/", form)
    assert SignUp.objects.get(pk=world["waiting"].pk).status == "signed_up"
    assert SignUp.objects.get(pk=later.pk).status == "waiting"
    assert emails("dialogue_moved_up") == [world["waiting"].email]
    # Same time and place: no update e-mail.
    assert emails("dialogue_update") == []


def test_staff_hold_a_groups_meeting_as_its_coordinators_do(as_persona, world):
    client = as_persona("staff")
    client.post(base("draft", world) + "publicera/")
    world["draft"].refresh_from_db()
    assert world["draft"].status == "published"
    event = AuditEvent.objects.get(verb=AuditVerb.DIALOGUE_PUBLISHED)
    assert event.actor.display_name == "Utvecklingsavdelningen"
    assert event.locality.slug == "storebro"


def test_goals_can_be_chosen_and_removed(as_persona, world):
    client = as_persona("coordinator")
    draft = world["draft"]
    day = (timezone.localtime() + datetime.timedelta(days=5)).date().isoformat()
    goals = list(SlusGoal.objects.filter(slug__in=["leva", "motas"]).values_list("pk", flat=True))
    client.post(
        page_of(draft) + "redigera/",
        meeting_form(starts_at_0=day, ends_at_0=day, goals=goals),
    )
    assert sorted(draft.goals.values_list("slug", flat=True)) == ["leva", "motas"]
    client.post(
        page_of(draft) + "redigera/", meeting_form(starts_at_0=day, ends_at_0=day, goals=[])
    )
    assert not draft.goals.exists()
