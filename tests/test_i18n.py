"""Swedish is complete: every msgid translated, nothing fuzzy, and the compiled catalogue
says what the source says."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.fixture(scope="module")
def swedish():
    return polib.pofile(str(LOCALE / "sv/LC_MESSAGES/django.po"))


def test_the_swedish_catalogue_has_no_untranslated_or_fuzzy_entries(swedish):
    untranslated = [e.msgid for e in swedish.untranslated_entries()]
    fuzzy = [e.msgid for e in swedish.fuzzy_entries()]
    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"
    assert len(swedish.translated_entries()) > 100


def test_the_compiled_swedish_catalogue_matches_its_source(swedish):
    """The .mo is committed; compiling is a step that is easy to forget."""
    with open(LOCALE / "sv/LC_MESSAGES/django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in swedish.translated_entries():
        if entry.msgid_plural:
            got = (
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt
                else compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            )
            want = entry.msgstr_plural[0]
        elif entry.msgctxt:
            got, want = compiled.pgettext(entry.msgctxt, entry.msgid), entry.msgstr
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], f"run `make messages`: the .mo is older than the .po for {stale[:5]}"


@pytest.mark.django_db
def test_the_interface_is_swedish_by_default_and_english_on_request(client):
    sv = client.get("/orter/").content.decode()
    assert "Orter" in sv and "Kontakta kommunen" in sv
    client.post("/sprak/", {"language": "en", "next": "/orter/"})
    en = client.get("/orter/").content.decode()
    assert '<html lang="en">' in en and "Contact the municipality" in en
