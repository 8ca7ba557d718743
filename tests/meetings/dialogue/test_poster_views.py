"""The poster of a group's dialogue meeting and its short address, for every persona: who
sees a draft's, what the sheet says, the redirect, and the queries each costs."""

import datetime
import re

import html5lib
import pytest
from django.utils import timezone
from freezegun import freeze_time

from allas.services import absolute_url
from groups.models import DevelopmentGroup, DialogueMeeting
from meetings.dialogue import lifecycle
from tests.dialogue_factories import dialogue_meeting, signup_rows
from tests.personas import NO_SECOND_FACTOR_PERSONAS, log_in_persona

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
# Who finds a draft: Storebro's coordinator and staff who passed the second factor.
SEES_DRAFT = {"coordinator", "staff"}
STATUSES = ["published", "draft", "cancelled", "held"]


def meeting_in(status: str) -> DialogueMeeting:
    return dialogue_meeting(status=status, title=f"Möte ({status})")


def sees(persona: str, status: str) -> bool:
    return status != "draft" or persona in SEES_DRAFT


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_poster_is_shown_to_whoever_may_see_the_meeting(client, request, persona, status):
    meeting = meeting_in(status)
    log_in_persona(client, request, persona)
    response = client.get(f"/moten/{meeting.pk}/affisch/")
    assert response.status_code == (200 if sees(persona, status) else 404)
    if response.status_code == 200:
        assert meeting.title in response.content.decode()
    else:
        assert meeting.title not in response.content.decode()


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_short_address_leads_whoever_may_see_the_meeting_to_its_page(
    client, request, persona, status
):
    meeting = meeting_in(status)
    log_in_persona(client, request, persona)
    response = client.get(f"/m/{meeting.short_code}/")
    if sees(persona, status):
        assert response.status_code == 302
        assert response["Location"] == f"/moten/{meeting.pk}/"
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_unknown_meeting_or_short_address_is_not_found(client, request, persona):
    meeting = dialogue_meeting()
    log_in_persona(client, request, persona)
    assert client.get(f"/moten/{meeting.pk + 1000}/affisch/").status_code == 404
    assert client.get("/m/zzzzzz/").status_code == 404
    # A code in another case, or with a letter the alphabet leaves out, is no code.
    assert client.get(f"/m/{meeting.short_code.upper()}/").status_code == 404
    assert client.get("/m/abcde1/").status_code == 404


@pytest.mark.parametrize("persona", ["visitor", "coordinator", "staff"])
def test_a_post_to_the_poster_or_the_short_address_is_refused_and_changes_nothing(
    client, request, persona
):
    meeting = dialogue_meeting()
    before = list(DialogueMeeting.objects.values())
    log_in_persona(client, request, persona)
    assert client.post(f"/moten/{meeting.pk}/affisch/").status_code == 405
    assert client.post(f"/m/{meeting.short_code}/").status_code == 405
    assert list(DialogueMeeting.objects.values()) == before


def test_the_short_address_typed_without_its_last_slash_still_leads_there(client):
    meeting = dialogue_meeting()
    response = client.get(f"/m/{meeting.short_code}", follow=True)
    assert response.redirect_chain[0] == (f"/m/{meeting.short_code}/", 301)
    assert response.redirect_chain[1] == (f"/moten/{meeting.pk}/", 302)


def test_the_short_address_costs_one_query(client, django_assert_num_queries):
    meeting = dialogue_meeting()
    with django_assert_num_queries(1):  # the meeting, with its group
        response = client.get(f"/m/{meeting.short_code}/")
    assert response.status_code == 302


def test_a_head_request_is_answered_like_a_get(client):
    meeting = dialogue_meeting()
    assert client.head(f"/moten/{meeting.pk}/affisch/").status_code == 200
    assert client.head(f"/m/{meeting.short_code}/").status_code == 302


# -- what the sheet says ------------------------------------------------------------------


def text_of(response) -> str:
    """The page's visible words, one space between them."""
    html = response.content.decode().replace("<wbr>", "")
    html = re.sub(r"<(title|svg)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").split())


@pytest.fixture
def tuesday_meeting(settings):
    settings.SITE_URL = "https://allas.vimmerby.se"
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    group.contact_email = "utvecklingsgruppen@storebro.example.se"
    group.save()
    start = timezone.make_aware(datetime.datetime(2027, 1, 12, 18, 30))
    return dialogue_meeting(
        title="Hur vill vi ha det i Storebro?",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        signup_deadline=start - datetime.timedelta(days=7),
        venue="Bygdegården",
        address="Storgatan 1, Storebro",
        description="Vi pratar om lekplatsen och belysningen vid ån.\n\nKaffe finns.",
    )


@freeze_time("2026-12-01 12:00")
def test_the_poster_says_who_what_when_where_and_how_to_sign_up_in_swedish(client, tuesday_meeting):
    meeting = tuesday_meeting
    response = client.get(f"/moten/{meeting.pk}/affisch/")
    html = response.content.decode()
    text = text_of(response)
    assert '<html lang="sv">' in html
    assert "Utvecklingsgruppen i Storebro" in text
    assert meeting.get_kind_display() in text
    assert "Hur vill vi ha det i Storebro?" in text
    assert "tisdag 12 januari 2027" in text
    assert "kl. 18.30–20.30" in text
    assert "Bygdegården" in text and "Storgatan 1, Storebro" in text
    assert "Vi pratar om lekplatsen och belysningen vid ån." in text
    assert "5 januari 2027" in text  # the last day to sign up
    assert 'href="mailto:utvecklingsgruppen@storebro.example.se"' in html
    # The short address, written out as a person types it, beside the code.
    assert "allas.vimmerby.se/m/" + meeting.short_code in text
    assert absolute_url(meeting.get_short_url()) == (
        f"https://allas.vimmerby.se/m/{meeting.short_code}/"
    )


def test_the_poster_stands_alone_without_the_sites_header_and_footer(client):
    html = client.get(f"/moten/{dialogue_meeting().pk}/affisch/").content.decode()
    assert "site-header" not in html and "site-footer" not in html
    assert 'href="/static/css/poster.css"' in html
    # The way back to the meeting, on screen only (poster.css hides the bar in print).
    assert re.search(r'<header class="poster-toolbar[^"]*">', html)


def test_the_poster_is_valid_html_with_a_title_headings_landmarks_and_a_named_code(client):
    meeting = dialogue_meeting(title="Vandring längs ån")
    html = client.get(f"/moten/{meeting.pk}/affisch/").content
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        document = parser.parse(html)
    except html5lib.html5parser.ParseError as exc:
        raise AssertionError(f"invalid HTML: {exc}") from exc
    assert "Vandring längs ån" in document.find("head/title").text
    assert document.find(".//main") is not None
    assert document.find(".//h1").text == "Vandring längs ån"
    assert document.find(".//h2") is not None
    svg = document.find(".//{http://www.w3.org/2000/svg}svg")
    assert svg.get("role") == "img"
    assert meeting.short_code in svg.get("aria-label")


def test_the_poster_keeps_to_the_content_security_policy(client):
    response = client.get(f"/moten/{dialogue_meeting().pk}/affisch/")
    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src 'self'" in policy
    html = response.content.decode()
    # No inline style or script for the policy to block, and no other origin.
    assert "<style" not in html and " style=" not in html
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


@freeze_time("2026-12-01 12:00")
def test_a_cancelled_meeting_poster_says_so_and_asks_no_one_to_sign_up(client, tuesday_meeting):
    DialogueMeeting.objects.filter(pk=tuesday_meeting.pk).update(status="cancelled")
    response = client.get(f"/moten/{tuesday_meeting.pk}/affisch/")
    text = text_of(response)
    assert "Mötet är inställt." in text
    assert "5 januari 2027" not in text


def test_a_draft_poster_warns_its_coordinator_that_the_code_works_only_once_published(
    client, coordinator
):
    draft = dialogue_meeting(status="draft")
    client.force_login(coordinator)
    text = text_of(client.get(f"/moten/{draft.pk}/affisch/"))
    assert "Utkast: mötet är inte publicerat." in text
    # It is printed to be put up once published: it asks people to sign up.
    assert "Anmäl dig" in text


def test_a_long_description_is_cut_after_a_whole_sentence(client):
    sentence = "Vi pratar om vad som behövs i orten och vad vi kan göra själva. "
    meeting = dialogue_meeting(description=sentence * 40)
    text = text_of(client.get(f"/moten/{meeting.pk}/affisch/"))
    assert "göra själva." in text
    assert text.count("Vi pratar om") < 40


# -- queries ------------------------------------------------------------------------------


def fill_the_portal(n: int) -> DialogueMeeting:
    """A meeting among n others of every group, with n sign-ups of its own."""
    groups = list(DevelopmentGroup.objects.all())
    for i in range(n):
        dialogue_meeting(group=groups[i % len(groups)])
    meeting = dialogue_meeting()
    signup_rows(meeting, n)
    return meeting


@pytest.mark.parametrize("persona", ["visitor", "coordinator", "staff"])
def test_the_poster_costs_the_same_queries_however_much_data_there_is(
    client, request, persona, django_assert_max_num_queries
):
    log_in_persona(client, request, persona)
    counts = []
    for n in (3, 30):
        meeting = fill_the_portal(n)
        DialogueMeeting.objects.filter(pk=meeting.pk).update(status="draft")
        with django_assert_max_num_queries(8) as queries:
            response = client.get(f"/moten/{meeting.pk}/affisch/")
        assert response.status_code == 200 or persona == "visitor"
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_visitor_reads_the_poster_with_one_query(client, django_assert_num_queries):
    meeting = fill_the_portal(30)
    with django_assert_num_queries(1):  # the meeting, its group and the group's ort
        response = client.get(f"/moten/{meeting.pk}/affisch/")
    assert response.status_code == 200


def test_a_visitor_gets_the_poster_from_the_page_cache_and_a_change_shows_at_once(
    client, settings, coordinator, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 600
    meeting = dialogue_meeting()
    path = f"/moten/{meeting.pk}/affisch/"
    first = client.get(path)
    with django_assert_num_queries(0):
        again = client.get(path)
    assert again.content == first.content
    lifecycle.dialogue_cancel(meeting=meeting, reason="Sjukdom.", by=coordinator)
    assert "Mötet är inställt." in text_of(client.get(path))
