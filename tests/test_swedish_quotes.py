"""Swedish quotes with ”…” on both sides: never “…” (English) nor straight "…" in a text
people read. Checked on the whole catalogue, so a new text cannot bring them back."""

import re
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/sv/LC_MESSAGES/django.po"
TAG = re.compile(r"<[^>]*>")
# A straight quote as a quotation mark: outside tags, not an inch mark after a digit.
STRAIGHT = re.compile(r'(?<![\d=])"[^"]+"')


def wrong_quotes(text: str) -> list[str]:
    text = TAG.sub("", text)
    found = [m.group(0) for m in re.finditer(r"[“„][^”]*”?", text)]
    return found + STRAIGHT.findall(text)


def test_wrong_quotes_are_found():
    assert wrong_quotes("Flytta från “Inskickat” till ”Klart”.") == ["“Inskickat”"]
    assert wrong_quotes('visar att "Tidigare användare" gjorde det') == ['"Tidigare användare"']
    assert wrong_quotes('<a href="/x/">länk</a> och ”rätt”') == []


def test_the_swedish_catalogue_uses_swedish_quotes():
    wrong = {}
    for entry in polib.pofile(str(CATALOGUE)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if found := wrong_quotes(text):
                wrong[entry.msgid] = found
    assert wrong == {}
