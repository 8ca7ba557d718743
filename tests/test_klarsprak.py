"""Django's own texts in the portal's words: what people read when a form refuses what they
typed (a proposal, a request to join a group, a plan's action, a new account's password, a
form in the admin), and the admin's headings, notes and delete confirmations. Each page is
checked as the crawl in tests/test_swedish.py checks every page: Swedish, nothing from the
"never" list (Django's "Detta fält måste fyllas i", "Var god rätta felet nedan" ...), no
English left. allas/django_texts.py lists the texts; the catalogue holds their Swedish."""

import ast
import html
import json
import re
from pathlib import Path

import django
import polib
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from allas.models import SlusGoal, User
from meetings.models import NetworkMeeting, NetworkRole
from tests.factories import UserFactory, empty_plan
from tests.glossary import never_words
from tests.meetings.conftest import make_meeting
from tests.meetings.test_pages_and_admin import meeting_form
from tests.test_swedish import problems_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
DJANGO = Path(django.__file__).parent
DJANGO_CATALOGUES = [
    DJANGO / "conf/locale/sv/LC_MESSAGES/django.po",
    DJANGO / "contrib/admin/locale/sv/LC_MESSAGES/django.po",
    DJANGO / "contrib/auth/locale/sv/LC_MESSAGES/django.po",
]
YEAR = timezone.localdate().year


def listed_texts() -> list[tuple[str | None, str, str | None]]:
    """(context, msgid, plural msgid) of every text allas/django_texts.py lists."""
    tree = ast.parse((ROOT / "allas/django_texts.py").read_text())
    texts = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name):
            continue
        args = [a.value for a in call.args if isinstance(a, ast.Constant)]
        if call.func.id == "gettext_noop":
            texts.append((None, args[0], None))
        elif call.func.id == "ngettext_lazy":
            texts.append((None, args[0], args[1]))
        elif call.func.id == "pgettext_lazy":
            texts.append((args[0], args[1], None))
    return texts


def portal_swedish(response) -> str:
    """The page as text, after checking it the way every page of the crawl is checked."""
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = response.content.decode()
    assert problems_of(response.request["PATH_INFO"], page) == []
    return page


# -- the list and the catalogue -----------------------------------------------------------


def test_every_listed_text_is_djangos_own_msgid():
    """A typo, or a text Django has changed in an upgrade, would silently stop matching."""
    django_msgids = {
        (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        for path in DJANGO_CATALOGUES
        for entry in polib.pofile(str(path))
    }
    texts = listed_texts()
    assert len(texts) > 100
    assert [text for text in texts if text not in django_msgids] == []


def test_the_swedish_site_says_every_listed_text_in_the_portals_words():
    catalogue = {
        (entry.msgctxt, entry.msgid): entry
        for entry in polib.pofile(str(ROOT / "locale/sv/LC_MESSAGES/django.po"))
    }
    missing, bad = [], []
    with translation.override("sv"):
        for context, msgid, plural in listed_texts():
            entry = catalogue.get((context, msgid))
            if entry is None or not (entry.msgstr or entry.msgstr_plural.get(0)):
                missing.append(msgid)
                continue
            if plural:
                shown = [translation.ngettext(msgid, plural, n) for n in (1, 2)]
                wanted = [entry.msgstr_plural[0], entry.msgstr_plural[1]]
            elif context:
                shown, wanted = [translation.pgettext(context, msgid)], [entry.msgstr]
            else:
                shown, wanted = [translation.gettext(msgid)], [entry.msgstr]
            if shown != wanted or any(never_words(text) for text in shown):
                bad.append((msgid, shown))
    assert missing == [], "not in locale/sv/LC_MESSAGES/django.po"
    assert bad == [], "Django's own Swedish shows, or a word the portal never uses"


# -- a resident's forms -------------------------------------------------------------------


def test_an_empty_proposal_says_what_to_fill_in(client, resident):
    client.force_login(resident)
    empty = {"locality": "", "title": "", "body": ""}
    page = portal_swedish(client.post(reverse("proposal_create"), empty))
    # The ort, the title and the proposal itself.
    assert page.count("Fyll i fältet.") == 3


def test_a_request_to_join_says_what_is_missing_or_too_long(client, resident):
    client.force_login(resident)
    path = reverse("group_join", args=["storebro"])
    page = portal_swedish(client.post(path, {"motivation": "Jag bor här. " + "x" * 1990}))
    assert page.count("Fyll i fältet.") == 2  # what you represent, and your age
    assert "Skriv högst 2000 tecken. Du har skrivit 2003." in page
    page = portal_swedish(client.post(path, {"sector": "nonsense", "age_band": "30_49"}))
    assert "Välj ett av alternativen. nonsense finns inte bland dem." in page


@pytest.fixture
def plan(coordinator):
    return empty_plan("storebro", year=YEAR)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"progress": "101"}, "Skriv ett tal som är högst 100."),
        ({"progress": "-1"}, "Skriv ett tal som är minst 0."),
        ({"progress": "hälften"}, "Skriv ett heltal."),
        ({"start_date": "13 december"}, "Skriv ett datum, till exempel 2026-12-13."),
        ({"goals": []}, "Fyll i fältet."),
    ],
)
def test_an_action_out_of_range_says_what_to_write(client, coordinator, plan, changes, message):
    client.force_login(coordinator)
    data = {
        "title": "Cykelväg till skolan",
        "status": "ongoing",
        "goals": [SlusGoal.objects.get(slug="kontakt").pk],
        "progress": "50",
        **changes,
    }
    path = reverse("action_create", args=["storebro", YEAR])
    page = portal_swedish(client.post(path, data))
    assert message in page
    assert not plan.actions.exists()


def test_a_plan_for_a_year_too_early_says_the_first_year(client, coordinator):
    client.force_login(coordinator)
    page = portal_swedish(client.post(reverse("plan_create", args=["storebro"]), {"year": 1999}))
    assert "Skriv ett tal som är minst 2017." in page


# -- a new account's password -------------------------------------------------------------


def signup(client, email, password):
    data = {
        "email": email,
        "display_name": "Nyinflyttad",
        "password1": password,
        "password2": password,
        "age_band": "30_49",
    }
    return portal_swedish(client.post(reverse("account_signup"), data))


def test_the_signup_page_lists_the_password_rules_in_the_portals_words(client):
    page = portal_swedish(client.get(reverse("account_signup")))
    assert "Minst 10 tecken." in page
    assert "Inte för likt din e-postadress eller andra uppgifter om dig." in page
    assert "Inte ett vanligt lösenord." in page
    assert "Inte bara siffror." in page


def test_a_password_of_digits_only_is_refused_in_the_portals_words(client):
    page = signup(client, "siffror@example.se", "4829105736")
    assert "Lösenordet får inte bara innehålla siffror." in page
    assert not User.objects.filter(email="siffror@example.se").exists()


def test_a_password_like_the_email_address_is_refused_in_the_portals_words(client):
    page = signup(client, "karin.lindqvist@example.se", "karin.lindqvist@example")
    assert "Lösenordet liknar din e-postadress för mycket." in page


def test_a_short_common_password_is_refused_in_the_portals_words(client):
    page = signup(client, "kort@example.se", "password")
    assert "Lösenordet är för kort. Det måste ha minst 10 tecken." in page
    assert "Lösenordet är för vanligt och lätt att gissa." in page


# -- the admin, as staff ------------------------------------------------------------------

MEETING_ADD = "/admin/meetings/networkmeeting/add/"


def test_one_error_in_the_admin_is_named_once(staff_client):
    page = portal_swedish(staff_client.post(MEETING_ADD, meeting_form(title="")))
    assert "Rätta felet nedan." in page
    assert "Fyll i fältet." in page
    assert not NetworkMeeting.objects.exists()


def test_errors_in_the_admin_say_what_to_write(staff_client):
    data = meeting_form(venue="", capacity="-1", online_link="inte en länk")
    page = portal_swedish(staff_client.post(MEETING_ADD, data))
    assert "Rätta felen nedan." in page
    assert "Fyll i fältet." in page
    assert "Skriv ett tal som är minst 0." in page
    assert "Skriv en hel webbadress, till exempel https://www.vimmerby.se." in page
    assert not NetworkMeeting.objects.exists()


def test_the_admin_headings_and_buttons_are_the_portals(staff_client):
    page = portal_swedish(staff_client.get(MEETING_ADD))
    assert "<h1>Lägg till nätverksmöte</h1>" in page
    assert 'value="Spara och lägg till fler"' in page
    assert 'value="Spara och fortsätt ändra"' in page
    # The agenda's "add a row" link is written by the admin's script from this data.
    formset = re.search(r'data-inline-formset="([^"]*)"', page).group(1)
    options = json.loads(html.unescape(formset))["options"]
    assert options["addText"] == "Lägg till: Punkt på dagordningen"
    page = portal_swedish(staff_client.get("/admin/meetings/"))
    assert "<h1>Nätverksmöten – administration</h1>" in page
    make_meeting()
    page = portal_swedish(staff_client.get("/admin/meetings/networkmeeting/"))
    assert "<h1>Välj nätverksmöte att ändra</h1>" in page
    assert "Filtrera" in page and "Åtgärd:" in page and ">Kör<" in page


def test_a_duplicate_in_the_admin_is_named_in_words(staff_client):
    person = UserFactory(display_name="Kommunal Representant")
    NetworkRole.objects.create(user=person, kind="municipality")
    data = {"user": person.pk, "kind": "municipality", "organisation": "", "role_title": ""}
    page = portal_swedish(staff_client.post("/admin/meetings/networkrole/add/", data))
    assert "Rätta felet nedan." in page
    assert "med samma" in page and "finns redan." in page
    assert NetworkRole.objects.count() == 1


def test_deleting_in_the_admin_asks_in_the_portals_words(staff_client):
    meeting = make_meeting(status="draft")
    page = portal_swedish(staff_client.get(f"/admin/meetings/networkmeeting/{meeting.pk}/delete/"))
    assert f"Vill du ta bort nätverksmöte ”{meeting}”? Allt i listan nedan tas bort:" in page
    assert "<h2>Det som tas bort</h2>" in page
    assert 'value="Ja, ta bort"' in page and "Nej, gå tillbaka" in page
    response = staff_client.post(
        f"/admin/meetings/networkmeeting/{meeting.pk}/delete/", {"post": "yes"}, follow=True
    )
    page = portal_swedish(response)
    assert f"Du har tagit bort nätverksmöte ”{meeting}”." in page
    assert not NetworkMeeting.objects.exists()
