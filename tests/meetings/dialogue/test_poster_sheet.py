"""What of a meeting the poster's one A4 sheet shows: a long title or place set smaller,
a long place or address shortened, and the description given the lines that are left,
cut where a reader expects it. (tests/browser/test_dialogue_poster.py prints the sheets.)"""

import pytest

from meetings.dialogue.poster import (
    DESCRIPTION,
    Type,
    poster_summary,
    sheet_for,
    shorten,
)
from tests.dialogue_factories import dialogue_meeting

NARROW = Type(7.9, 30)


def test_a_line_wraps_between_words_and_a_long_word_breaks():
    assert Type(1, 10).lines("aaaa bbbb cccc") == 2
    assert Type(1, 10).lines("a" * 25 + " b") == 3
    assert Type(1, 10).lines("") == 1
    assert Type(1, 10).lines("ett\ntvå") == 2


def test_a_description_that_fits_is_kept_whole_without_its_blank_lines():
    text = "Vi pratar om lekplatsen.\n\n\n  Kaffe   finns.  "
    assert poster_summary(text, lines=8) == "Vi pratar om lekplatsen.\nKaffe finns."


def test_a_long_description_ends_after_its_last_whole_sentence_that_fits():
    text = "Första meningen är här. Andra meningen är också här. Tredje meningen blir för lång."
    assert poster_summary(text, lines=2, kind=NARROW) == (
        "Första meningen är här. Andra meningen är också här."
    )


def test_without_a_sentence_to_end_at_it_ends_after_a_whole_word_with_an_ellipsis():
    summary = poster_summary("ord " * 100, lines=2, kind=NARROW)
    assert summary.endswith("ord…") and NARROW.lines(summary) <= 2
    assert shorten("x" * 500, 100) == "x" * 99 + "…"


def test_its_own_lines_are_kept_while_they_fit_and_the_rest_left_out():
    text = "\n".join(f"Rad nummer {i} om mötet" for i in range(40))
    assert poster_summary(text, lines=3) == "\n".join(f"Rad nummer {i} om mötet" for i in range(3))
    assert poster_summary(text, lines=0) == ""


def test_a_long_place_or_address_is_shortened_after_a_whole_word():
    assert shorten("Bygdegården", 80) == "Bygdegården"
    long = "Storgatan 1 B, andra våningen, ingång från gården bakom kyrkan " * 3
    assert shorten(long, 100).endswith("…") and len(shorten(long, 100)) <= 100


@pytest.mark.django_db
def test_an_ordinary_meeting_is_shown_whole_in_the_largest_type():
    meeting = dialogue_meeting(
        title="Hur vill vi ha det i Storebro?",
        description="Vi pratar om lekplatsen.\nKaffe finns.",
        online_link="https://moten.example.se/storebro",
    )
    sheet = sheet_for(meeting, has_contact=True)
    assert sheet.title_size == "" and sheet.facts_size == ""
    assert (sheet.venue, sheet.address) == (meeting.venue, meeting.address)
    assert sheet.online_note and sheet.notice == ""
    assert sheet.summary == meeting.description


@pytest.mark.django_db
def test_the_longest_meeting_is_set_smaller_and_shortened_to_fit():
    meeting = dialogue_meeting(
        title=("Ett möte om framtiden i orten " * 7)[:200],
        venue=("Bygdegården vid ån bakom kyrkan " * 7)[:200],
        address=("Storgatan 1 B, andra våningen " * 10)[:300],
        description="Vi pratar om allt. " * 150,
        online_link="https://moten.example.se/storebro",
        status="cancelled",
    )
    sheet = sheet_for(meeting, has_contact=True)
    assert sheet.title_size == "poster-title-longest"
    assert sheet.facts_size == "poster-facts-long"
    assert len(sheet.venue) <= 80 and len(sheet.address) <= 100
    assert sheet.notice  # the meeting is cancelled


@pytest.mark.django_db
def test_the_description_gets_the_lines_the_rest_leaves():
    text = "\n".join(f"Punkt {i} på dagordningen." for i in range(40))
    short = dialogue_meeting(description=text)
    long = dialogue_meeting(description=text, title="Ett möte om framtiden i orten " * 3)
    lines = [DESCRIPTION.lines(sheet_for(m, has_contact=True).summary) for m in (short, long)]
    assert lines[0] > lines[1] > 0
    # Without the group's e-mail address under the code there is room for more.
    assert DESCRIPTION.lines(sheet_for(short, has_contact=False).summary) > lines[0]
