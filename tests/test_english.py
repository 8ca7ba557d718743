"""The portal's English, everywhere: the twin of tests/test_swedish.py. Every page of its crawl
(the same list, so a page added there is crawled here too), the admin and the error pages, as
a visitor, a resident, a coordinator and staff who chose English; the refusals of the main
forms; and the e-mails sent to people who chose English. Each is checked for Swedish left in
a title, heading, text, label or e-mail (a word with å, ä or ö that is no name, or a common
Swedish word such as "ort"), for text that is the Swedish of the catalogue, and for "Email"
where the portal says "e-mail". Text marked lang="sv" is Swedish on purpose."""

import re
from html.parser import HTMLParser

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation

from allas import redaction
from allas.models import Locality, OutboundEmail, SlusGoal, User
from groups import services as group_services
from groups.message_services import group_message_send
from groups.models import DevelopmentGroup, Membership
from meetings import services as meeting_services
from meetings.dialogue.lifecycle import dialogue_cancel
from meetings.dialogue.models import SignUp
from meetings.dialogue.signups import signup_create
from meetings.models import NetworkMeeting
from proposals import services as proposal_services
from proposals.models import Proposal
from tests import test_swedish
from tests.factories import PASSWORD, Client, totp_code_for
from tests.meetings.conftest import make_meeting
from tests.test_swedish import (
    ALLAUTH_PO,
    ERROR_PAGES,
    EVERYONE,
    PAGES,
    RELIED_ON,
    RESET_KEY,
    ROOT,
    C,
    R,
    S,
    V,
    admin_pages,
)

pytestmark = pytest.mark.django_db

# The Swedish crawl's objects (a fixture): both crawls open the same pages.
world = test_swedish.world

# -- what is Swedish ----------------------------------------------------------------------

# Names are names in every language: the orter (read from the database), the portal, the
# department, the SLUS's short names and the language offered by its own name.
NAMES = ["Allas Vimmerby", settings.MUNICIPALITY["department"], "Svenska"]
SLUS_SHORT_NAMES = ["Leva", "Arbeta", "Verka", "Trivas", "Kontakt", "Mötas"]
# Swedish terms the English text gives in parentheses after its own words: "public records
# (allmänna handlingar)", "a built-up area (tätort)", the controller "(Kommunstyrelsen)",
# each alone or in a list "(bifall, delvis bifall)".
TERMS = [
    "allmän handling",
    "allmänna handlingar",
    "tätort",
    "vimmerbyandan",
    "registratorn",
    "Myndigheten för digital förvaltning",
    "nämnd",
    "förvaltning",
    "Kommunstyrelsen",
    # The council's own words for its decisions.
    "bifall",
    "delvis bifall",
    "avslag",
    "besvarad",
    "återremitterad",
]
# Swedish examples of what people type, which stay Swedish: the search finds Swedish words,
# and a contact role is written for Swedish readers.
EXAMPLES = ["“cykel”", "“cykelvägen”", "“Handläggare, samhällsbyggnadskontoret”"]

# Common Swedish words that are no English words. "ort" and "orter" are "locality" and
# "localities" in English; the municipality is "Vimmerby Municipality" in English text.
SWEDISH_WORDS = [
    "och",
    "att",
    "inte",
    "eller",
    "med",
    "som",
    "har",
    "kan",
    "ska",
    "du",
    "din",
    "ditt",
    "dina",
    "dig",
    "vi",
    "oss",
    "ett",
    "det",
    "av",
    "hos",
    "alla",
    "finns",
    "sidan",
    "spara",
    "avbryt",
    "skicka",
    "logga",
    "konto",
    "kontot",
    "gruppen",
    "medlem",
    "medlemmar",
    "samordnare",
    "boende",
    "ort",
    "orter",
    "ortens",
    "kommun",
    "kommunen",
    "kommuns",
    "inga",
    "ingen",
    "nej",
    "om",
    "mer",
    "vad",
    "hur",
    "sida",
    "nytt",
    "nya",
    "tillbaka",
    "uppgifter",
    "hej",
]
SWEDISH_WORD = re.compile(r"(?<![\w-])(" + "|".join(SWEDISH_WORDS) + r")(?![\w-])", re.I)
SWEDISH_LETTER = re.compile(r"[\w-]*[åäöÅÄÖ][\w-]*")
# allauth's and Django's "Email": the portal writes "e-mail".
EMAIL = re.compile(r"\bemails?\b", re.IGNORECASE)
# Swedish texts that are English words too.
ENGLISH_TOO = {"Start", "Status", "Info", "Workshop", "Administration"}


def _swedish_texts() -> set[str]:
    """The Swedish of the catalogue (and of allauth's texts the portal shows) that is no
    English text of the catalogue and no name."""
    portal = polib.pofile(str(ROOT / "locale/sv/LC_MESSAGES/django.po"))
    english = {entry.msgid for entry in portal} | {entry.msgid_plural for entry in portal}
    allauth = [e for e in polib.pofile(str(ALLAUTH_PO)) if e.msgid in RELIED_ON]
    texts = set()
    for entry in [*portal, *allauth]:
        for swedish in [entry.msgstr, *(entry.msgstr_plural or {}).values()]:
            # Text with placeholders shows with its values; a short one is no sentence.
            if swedish and swedish != entry.msgid and len(swedish) >= 3 and "%" not in swedish:
                texts.add(swedish)
    return texts - english - ENGLISH_TOO - set(NAMES)


SWEDISH = _swedish_texts()


def people_wrote(*, admin: bool = False) -> set[str]:
    """What people typed and the portal shows as they wrote it, in whatever language they wrote
    it: names, proposals, comments, plans, meetings, groups, the e-mails already sent and the
    records. The reference data is not among it: the English site has its own text for it,
    except in the admin, where staff keep the Swedish and the English side by side."""
    texts = set()
    for model in apps.get_models():
        meta = model._meta
        portal = meta.app_label in {"allas", "groups", "proposals", "meetings", "notifications"}
        if not portal and (meta.app_label, meta.model_name) != ("auth", "group"):
            continue
        if model in (Locality, SlusGoal) and not admin:
            continue
        fields = [
            f.name
            for f in meta.get_fields()
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        rows = list(model._default_manager.values_list(*fields))
        if model is OutboundEmail and admin:
            # The admin shows the e-mails as anyone but the recipient may read them.
            rows += [redaction.redacted(email).values() for email in OutboundEmail.objects.all()]
        for row in rows:
            for value in row:
                # Line by line (an e-mail's text), and whole (the admin shows it so).
                for line in [*str(value or "").splitlines(), str(value or "")]:
                    line = " ".join(line.split())
                    # The reference data's slugs ("kontakt") too: staff see them in the admin.
                    reference = admin and model in (Locality, SlusGoal)
                    swedish = SWEDISH_LETTER.search(line) or SWEDISH_WORD.search(line)
                    if len(line) > 1 and (reference or swedish):
                        texts.add(line)
    return texts


def allowed_texts(*, admin: bool = False) -> list[str]:
    names = [*NAMES, *SLUS_SHORT_NAMES, *Locality.objects.values_list("name", flat=True)]
    # The longest first, so that a name inside a longer text goes with the text.
    return sorted([*names, *EXAMPLES, *people_wrote(admin=admin)], key=len, reverse=True)


def swedish_in(text: str, allowed: list[str]) -> list[str]:
    """The Swedish words of a text, after the names, the terms in parentheses, what people
    wrote and the e-mail and web addresses are taken out. The municipality's Swedish name
    stands as a name only on its own (a signature, the footer's address, a page's header:
    "Allas Vimmerby, Vimmerby kommun", or in parentheses after the English); in a sentence
    it is "Vimmerby Municipality"."""
    parts = re.split(r"(\s*(?:[,·–|<>()]|\s-\s)\s*)", text)
    text = "".join(" " if part == settings.MUNICIPALITY["name"] else part for part in parts)
    for known in allowed:
        text = text.replace(known, " ")
    text = re.sub(r"\S+@\S+|https?://\S+|/[\w/.-]*", " ", text)
    # "(tätort, 2020)", "(bifall, delvis bifall)": each item on its own.
    text = re.sub(
        r"\(([^()]*)\)",
        lambda group: " ".join(item for item in group[1].split(", ") if item not in TERMS),
        text,
    )
    return SWEDISH_LETTER.findall(text) + SWEDISH_WORD.findall(text)


class _Page(HTMLParser):
    """What a reader meets (each text node and spoken attribute), less what is marked
    Swedish with lang="sv"."""

    SPOKEN = {"alt", "title", "aria-label", "placeholder"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0
        self._swedish: list[list] = []  # [tag, depth] of each open element marked lang="sv"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "style", "template"}:
            self._skip += 1
        if tag in self.VOID:
            marked = attrs.get("lang") == "sv" or bool(self._swedish)
        else:
            for open_ in self._swedish:
                open_[1] += open_[0] == tag
            if attrs.get("lang") == "sv":
                self._swedish.append([tag, 1])
            marked = bool(self._swedish)
        if marked:
            return
        self.texts.extend(v for k, v in attrs.items() if k in self.SPOKEN and v)
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        for open_ in self._swedish:
            open_[1] -= open_[0] == tag
        self._swedish = [open_ for open_ in self._swedish if open_[1] > 0]
        if tag in {"script", "style", "template"}:
            self._skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._skip and not self._swedish:
            self.texts.append(text)


def problems_in_texts(where: str, texts: list[str], allowed: list[str]) -> list[str]:
    found = []
    known = set(allowed)
    for text in texts:
        words = swedish_in(text, allowed)
        if words:
            found.append(f"{where}: Swedish {words} in {text[:120]!r}")
        # "Title – Allas Vimmerby": each part on its own.
        for part in re.split(r" [–|›] ", text.strip(" :*›")):
            part = part.strip(" :*")
            if part in SWEDISH and part not in known:
                found.append(f"{where}: the Swedish of the catalogue: {part!r}")
        if EMAIL.search(re.sub(r"\S+@\S+|https?://\S+|/[\w/.-]*", " ", text)):
            found.append(f"{where}: 'email' in {text[:120]!r}")
    return found


def problems_of(path: str, html: str, allowed: list[str]) -> list[str]:
    page = _Page()
    page.feed(html)
    found = [] if '<html lang="en"' in html else [f"{path}: not marked English"]
    return found + problems_in_texts(path, page.texts, allowed)


def report(problems: list[str], pages: int) -> str:
    """Each problem once, with the first page it is on and how many pages have it."""
    seen: dict[str, list[str]] = {}
    for problem in problems:
        path, _, what = problem.partition(": ")
        seen.setdefault(what, []).append(path)
    lines = [f"{what}  ({paths[0]}, {len(set(paths))} page(s))" for what, paths in seen.items()]
    return f"{len(seen)} problem(s) on {pages} pages:\n" + "\n".join(lines)


# -- the pages ----------------------------------------------------------------------------


def in_english(client, user=None):
    """The language switch in the header; an account keeps the choice in its profile."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    if user is not None:
        User.objects.filter(pk=user.pk).update(language="en")


def log_in(client, request, persona, world) -> list[tuple[str, str]]:
    """Logs the persona in; the staff's second step, which only the login shows, is kept
    to be checked with the other pages."""
    if persona == V:
        return []
    shown = []
    if persona == S:
        # The staff's real login: password, then the code from the authenticator app.
        staff = request.getfixturevalue("staff")
        in_english(client, staff)
        response = client.post(
            reverse("account_login"), {"login": staff.email, "password": PASSWORD}
        )
        assert response.url == reverse("mfa_authenticate")
        shown.append((response.url, client.get(response.url).content.decode()))
        client.post(reverse("mfa_authenticate"), {"code": totp_code_for(staff)})
    else:
        user = world["author"] if persona == R else request.getfixturevalue(persona)
        in_english(client, user)
        client.force_login(user)
    # The pages that change the account ask for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return shown


@pytest.mark.parametrize("persona", EVERYONE)
def test_every_page_speaks_english_on_the_english_site(client, request, world, persona):
    in_english(client)
    shown = log_in(client, request, persona, world)
    paths = [
        reverse(name, kwargs={k: world.get(v, v) for k, v in kwargs.items()})
        for name, (who, kwargs) in PAGES.items()
        if persona in who
    ]
    if persona == S:
        paths += admin_pages(request.getfixturevalue("staff"))
        paths += [
            reverse("admin:meetings_networkmeeting_invitations", args=[world["meeting"]]),
            reverse("admin:meetings_roster"),
        ]
    problems = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 302 and path.startswith(RESET_KEY):
            # allauth moves the key from the address into the session, then shows the form.
            response = client.get(response.url)
        if response.status_code != 200:
            problems.append(f"{path}: answered {response.status_code}")
            continue
        shown.append((path, response.content.decode()))
    if persona in ERROR_PAGES:
        path, status = ERROR_PAGES[persona]
        response = client.get(path)
        assert response.status_code == status
        shown.append((path, response.content.decode()))
    # What people wrote is known once every page has been opened (some pages write).
    allowed, in_admin = allowed_texts(), allowed_texts(admin=True)
    for path, html in shown:
        problems += problems_of(path, html, in_admin if path.startswith("/admin/") else allowed)
    assert problems == [], report(problems, len(paths))
    assert len(shown) >= len(paths) >= {V: 25, R: 20, C: 20, S: 50}[persona]


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p>All orter</p>", "Swedish ['orter']"),
        ("<h1>Develop your ort together with us</h1>", "Swedish ['ort']"),
        ("<p>Allas Vimmerby is how Vimmerby kommun works with residents.</p>", "kommun"),
        ("<title>Email Addresses – Allas Vimmerby</title>", "'email'"),
        ("<label>Email</label>", "'email'"),
        ("<p>Skapa goda förutsättningar för tillväxt.</p>", "förutsättningar"),
        ("<button>Skicka</button>", "the Swedish of the catalogue"),
        ('<input type="submit" value="Logga in">', "Logga"),
        ("<p>Vimmerby kommun is responsible for this website.</p>", "kommun"),
        ("<p>Mötas – Tillit och socialt kapital</p>", "Swedish ['och']"),
    ],
)
def test_the_check_finds_what_it_looks_for(html, found):
    problems = problems_of("/", f'<html lang="en"><body>{html}</body></html>', allowed_texts())
    assert any(found in problem for problem in problems), problems


@pytest.mark.parametrize(
    "html",
    [
        "<p>Storebro is a built-up area (tätort) in Vimmerby Municipality.</p>",
        "<p>Proposals become public records (allmänna handlingar).</p>",
        '<p>Development area 1: Attractive (<span lang="sv">Attraktiva och hållbara '
        "livsmiljöer</span>)</p>",
        "<h2>Mötas</h2><p>Meetings in Södra Vi and Frödinge</p>",
        "<p>Write to kommun@vimmerby.se or the address on /orter/sodra-vi/.</p>",
        "<footer><p>Vimmerby kommun, Utvecklingsavdelningen</p><p>Allas Vimmerby · Vimmerby "
        "kommun</p></footer>",
    ],
)
def test_the_check_lets_names_terms_and_marked_swedish_be(html):
    assert problems_of("/", f'<html lang="en"><body>{html}</body></html>', allowed_texts()) == []


# -- the reference data and the texts around it -------------------------------------------


def test_the_overall_goal_and_a_meetings_theme_are_english_on_the_english_site(client):
    in_english(client)
    goals = client.get(reverse("goal_list")).content.decode()
    assert "Vimmerby Municipality's attractiveness and growth" in goals
    assert "Skapa goda förutsättningar" not in goals
    meeting = make_meeting(theme=SlusGoal.objects.get(slug="motas"))
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Mötas</a> – Trust and social capital" in page
    assert "Tillit och socialt kapital" not in page
    # The Swedish site keeps the official Swedish.
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    page = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Mötas</a> – Tillit och socialt kapital" in page
    goals = client.get(reverse("goal_list")).content.decode()
    assert "Skapa goda förutsättningar för att ständigt stärka Vimmerby kommuns" in goals


# -- the forms' refusals ------------------------------------------------------------------


def english_page(response, allowed=None) -> str:
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = response.content.decode()
    problems = problems_of(response.request["PATH_INFO"], page, allowed or allowed_texts())
    assert problems == [], report(problems, 1)
    return page


def test_the_account_forms_refuse_in_the_portals_english(client, resident):
    in_english(client)
    page = english_page(
        client.post(reverse("account_login"), {"login": resident.email, "password": "fel"})
    )
    assert "The e-mail address or the password is wrong." in page
    data = {"email": "ny", "display_name": "", "password1": "1234", "password2": "5678"}
    page = english_page(client.post(reverse("account_signup"), data))
    assert "Enter a valid e-mail address." in page
    page = english_page(client.post(reverse("account_reset_password"), {"email": "x"}))
    assert "Enter a valid e-mail address." in page
    client.force_login(resident)
    in_english(client, resident)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    data = {"oldpassword": "fel", "password1": "a", "password2": "b"}
    page = english_page(client.post(reverse("account_change_password"), data))
    assert "Write your current password." in page
    assert "The password is too short. It must have at least 10 characters." in page


def test_an_expired_form_says_so_in_english():
    client = Client(enforce_csrf_checks=True)
    # The cookie the language switch sets (the switch itself is a form, and checked).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("accessibility"), {"kind": "other"})
    assert response.status_code == 403
    problems = problems_of("/tillganglighet/", response.content.decode(), allowed_texts())
    assert problems == [], report(problems, 1)


def test_the_portals_forms_refuse_in_english(client, resident, coordinator):
    in_english(client, resident)
    client.force_login(resident)
    page = english_page(client.post(reverse("proposal_create"), {"title": "", "body": ""}))
    assert "Which locality is the proposal about?" in page
    path = reverse("group_join", args=["storebro"])
    page = english_page(client.post(path, {"sector": "nonsense", "age_band": "30_49"}))
    assert "Choose one of the options. nonsense is not among them." in page
    in_english(client, coordinator)
    client.force_login(coordinator)
    page = english_page(client.post(reverse("plan_create", args=["storebro"]), {"year": 1999}))
    assert "Enter a number of at least 2017." in page
    english_page(client.post(reverse("group_message", args=["storebro"]), {"subject": ""}))


# -- the e-mails --------------------------------------------------------------------------


def test_every_email_to_a_person_who_chose_english_is_in_english(
    client, world, coordinator, member, applicant, staff, resident
):
    """The account's e-mails (allauth's), the notices of proposals, groups and meetings, and
    the dialogue meetings' e-mails to a visitor who signed up on the English site."""
    first = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    User.objects.update(language="en")
    SignUp.objects.update(language="en")
    author = User.objects.get(pk=world["author"].pk)
    proposal = Proposal.objects.get(pk=world["proposal"])
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    # allauth: a new account's confirmation, a new password, a changed password.
    in_english(client)
    data = {
        "email": "newcomer@example.se",
        "display_name": "Newcomer",
        "password1": "en-lång-fras-att-minnas",
        "password2": "en-lång-fras-att-minnas",
        "age_band": "30_49",
    }
    assert client.post(reverse("account_signup"), data).status_code == 302
    client.post(reverse("account_reset_password"), {"email": author.email})
    client.post(reverse("account_reset_password"), {"email": "nobody@example.se"})
    # The portal's own.
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="under_review", answer="We look at it."
    )
    proposal_services.comment_create(proposal=proposal, author=member, body="Good idea.")
    proposal_services.report_create(reporter=resident, reason="offensive", proposal=proposal)
    group_services.membership_request(
        user=resident, group=group, sector="residents", age_band="30_49", motivation="I live here."
    )
    group_services.membership_approve(
        membership=Membership.objects.get(user=applicant), by=coordinator, message="Welcome."
    )
    group_message_send(group=group, by=coordinator, subject="Spring", body="We meet in May.")
    soon = NetworkMeeting.objects.get(title="Nätverksträff i Tuna")
    meeting_services.invitations_send(meeting=soon, by=staff)
    dialogue = SignUp.objects.get(pk=world["dialogue_signup"]).meeting
    signup_create(meeting=dialogue, name="Visitor", email="visitor@example.se", language="en")
    dialogue_cancel(meeting=dialogue, reason="The hall is closed.", by=coordinator)

    sent = OutboundEmail.objects.filter(pk__gt=first)
    english = sent.filter(language="en")
    assert not sent.exclude(language="en").filter(to__in=User.objects.values("email")).exists()
    kinds = set(english.values_list("kind", flat=True))
    assert len(kinds) >= 10, kinds
    allowed, problems = allowed_texts(), []
    for email in english:
        where = f"{email.kind or 'account'} to {email.to}"
        problems += problems_in_texts(where, [email.subject], allowed)
        problems += problems_in_texts(where, email.body_text.splitlines(), allowed)
        if email.body_html:
            page = _Page()
            page.feed(email.body_html)
            problems += problems_in_texts(where, page.texts, allowed)
    assert problems == [], report(problems, english.count())


# -- the catalogue ------------------------------------------------------------------------


def _english_of(entry) -> list[str]:
    with translation.override("en"):
        if entry.msgid_plural:
            return [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
        if entry.msgctxt:
            return [translation.pgettext(entry.msgctxt, entry.msgid)]
        return [translation.gettext(entry.msgid)]


def test_every_allauth_text_the_portal_shows_is_in_the_portals_english():
    """allauth's own English says "Email", "Sign In", "Password Reset" and "Please": the
    English site says "e-mail", "Log in" and "New password", in sentence case."""
    bad = []
    for entry in polib.pofile(str(ROOT / "locale/sv/LC_MESSAGES/django.po")):
        if not any(path == "allas/allauth_texts.py" for path, _line in entry.occurrences):
            continue
        for english in _english_of(entry):
            english = re.sub(r"<[^>]+>|%\(\w+\)[sd]|\{\w*\}", " ", english)
            words = re.findall(r"[A-Za-z][\w'-]*", english)
            title_case = len(words) >= 2 and all(word[0].isupper() for word in words)
            stock = re.search(r"\bsign(ed)?[- ]?(in|out|up)\b|\bPlease\b", english, re.I)
            if EMAIL.search(english) or title_case or stock:
                bad.append((entry.msgid, english))
    assert bad == []


def test_no_english_text_of_the_catalogue_says_ort_or_vimmerby_kommun():
    """ "ort" is "locality" in English, and the municipality "Vimmerby Municipality"."""
    word = re.compile(r"(?<![\w-])(ort|orter|ort's|kommun|kommuns|kommunen)(?![\w-])", re.I)
    bad = []
    for entry in polib.pofile(str(ROOT / "locale/sv/LC_MESSAGES/django.po")):
        for english in _english_of(entry):
            # A placeholder named %(ort)s is filled with the locality's name.
            if word.search(re.sub(r"%\(\w+\)[sd]|\{\w+\}", " ", english)):
                bad.append((entry.msgid, english))
    assert bad == []
