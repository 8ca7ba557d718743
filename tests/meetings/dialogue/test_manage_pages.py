"""What the coordinators' pages of a group's dialogue meetings show: valid HTML in Swedish,
the facts, the steps possible now, the sign-ups and the waiting list in order, and the
printable sign-in sheet."""

import pytest

from tests.dialogue_factories import dialogue_meeting, signup
from tests.meetings.dialogue.test_manage_permissions import at, base, make_world, page_paths
from tests.test_pages import assert_valid_html
from tests.test_swedish import problems_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


HTML_PAGES = [
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
    "signin sheet",
]


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
@pytest.mark.parametrize("page", HTML_PAGES)
def test_every_page_is_valid_html_in_swedish(as_persona, world, page, persona):
    path = page_paths(world)[page]
    response = as_persona(persona).get(path)
    assert response.status_code == 200
    assert_valid_html(response.content)
    assert problems_of(path, response.content.decode()) == []


def test_the_list_has_drafts_coming_and_past_meetings_with_counts(as_persona, world):
    content = as_persona("coordinator").get("/orter/storebro/grupp/moten/").content.decode()
    drafts, rest = content.split('id="coming-heading"')
    coming, past = rest.split('id="past-heading"')
    assert "Utkast till vandring" in drafts
    assert "Bygdemöte om skolan" in coming and "Pågående workshop" in coming
    assert "Hållet möte" in past
    assert "Södra Vis möte" not in content
    # Two of two places taken, one waiting.
    assert "2 av 2" in coming


def test_the_meeting_page_shows_the_sign_ups_and_the_waiting_list_in_order(as_persona, world):
    meeting = world["published"]
    second = signup(meeting, name="Dag Dahl", status="waiting", access_needs="Rullstol")
    content = as_persona("coordinator").get(base("published", world)).content.decode()
    assert "Anna Andersson" in content and "Vegetarisk" in content
    waiting_list = content.split("Väntelista", 1)[1]
    assert waiting_list.index("Cecilia Ceder") < waiting_list.index("Dag Dahl")
    # Needs the meeting did not ask about are not shown.
    assert "Rullstol" not in content
    assert content.count("Avanmäl") == 4
    assert f"anmalan/{second.pk}/avboka/" in content


def test_the_draft_page_offers_publishing_and_no_sign_up_buttons(as_persona, world):
    content = as_persona("coordinator").get(base("draft", world)).content.decode()
    assert f"/{world['draft'].pk}/publicera/" in content
    assert "/genomfort/" not in content and "/protokoll/" not in content


def test_a_coming_published_meeting_cannot_be_marked_held_yet(as_persona, world):
    content = as_persona("coordinator").get(base("published", world)).content.decode()
    assert "/publicera/" not in content
    assert "/genomfort/" not in content
    assert "/redigera/" in content and "/stall-in/" in content


def test_a_started_meeting_can_be_marked_held_and_its_sign_ups_no_longer_cancelled(
    as_persona, world
):
    signup(world["started"], name="Erik Ek")
    content = as_persona("coordinator").get(base("started", world)).content.decode()
    assert f"/{world['started'].pk}/genomfort/" in content
    assert "Erik Ek" in content and "/avboka/" not in content


def test_a_held_meeting_offers_the_minutes_and_nothing_to_change(as_persona, world):
    content = as_persona("coordinator").get(base("held", world)).content.decode()
    assert f"/{world['held'].pk}/protokoll/" in content
    assert "/redigera/" not in content and "/stall-in/" not in content
    assert "14 personer kom" in content


def test_the_edit_page_says_a_new_time_or_place_tells_everyone(as_persona, world):
    content = as_persona("coordinator").get(base("published", world) + "redigera/").content
    text = content.decode()
    assert "de 3 personer som är anmälda eller står på väntelistan" in text
    # The form holds the meeting as it is, in Swedish time.
    start = world["published"].starts_at
    assert f'value="{start.astimezone().strftime("%Y-%m-%d")}"' in text
    assert 'value="18:30"' in text


def test_the_sign_in_sheet_lists_those_signed_up_by_name_and_blank_rows(as_persona, world):
    content = as_persona("coordinator").get(base("published", world) + "narvarolista/").content
    text = content.decode()
    assert "Utvecklingsgruppen" in text or "Storebro" in text
    assert "Bygdemöte om skolan" in text and "Bygdegården" in text
    assert text.index("Anna Andersson") < text.index("Bo Berg")
    # On the waiting list: no place, no row.
    assert "Cecilia Ceder" not in text
    assert text.count("<tr>") == 1 + 2 + 10
    assert "Namnteckning" in text


def test_a_meeting_without_sign_ups_says_so(as_persona, world):
    meeting = dialogue_meeting(title="Tomt möte")
    content = as_persona("coordinator").get(base_of(meeting)).content.decode()
    assert "Ingen har anmält sig än." in content
    assert "Ingen står på väntelistan." in content


def base_of(meeting):
    return f"/orter/{meeting.group.locality.slug}/grupp/moten/{meeting.pk}/"


def test_a_meeting_whose_personal_data_was_removed_says_how_many_came(as_persona):
    meeting = dialogue_meeting(
        title="Gammalt möte",
        status="held",
        starts_at=at(days=-200),
        ends_at=at(days=-200, hours=2),
        personal_data_removed_at=at(days=-100),
        kept_signup_count=12,
    )
    content = as_persona("coordinator").get(base_of(meeting)).content.decode()
    assert "12 personer var anmälda." in content
