"""The portal's Swedish, everywhere: every page (every URL pattern with real objects, allauth's
and two-step verification's pages, and the admin's lists and forms of every model) as a
visitor, a resident, a coordinator and staff, checked against the "never" list of
tests/glossary.py, for a title or heading left in English, and for any visible text that is
still its English source text. And every Swedish text of the catalogue, and of allauth's that
the portal shows, against the same list."""

import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import django
import polib
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from allas.models import Locality, SlusGoal
from groups.models import DevelopmentGroup, Membership
from groups.plans import services as plan_services
from meetings import services as meeting_services
from notifications.unsubscribe import unsubscribe_token
from proposals import services as proposal_services
from tests.dialogue_factories import dialogue_meeting
from tests.dialogue_factories import signup as dialogue_signup
from tests.factories import PASSWORD, UserFactory, totp_code_for
from tests.glossary import never_words
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
YEAR = timezone.localdate().year

# -- the English source texts that must not show ------------------------------------------


def _differing_msgids(path: Path, keep=lambda entry: True) -> set[str]:
    texts = set()
    for entry in polib.pofile(str(path)):
        swedish = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
        if not swedish or swedish == entry.msgid or not keep(entry):
            continue
        # Text with placeholders shows with its values; a one-letter text is no sentence.
        if "%" in entry.msgid or "{" in entry.msgid or len(entry.msgid) < 3:
            continue
        texts.add(entry.msgid)
    return texts


ALLAUTH_PO = Path(allauth.__file__).parent / "locale/sv/LC_MESSAGES/django.po"
# allauth's texts the portal keeps in its own catalogue (allas/allauth_texts.py lists them).
RELIED_ON = {
    entry.msgid
    for entry in polib.pofile(str(ROOT / "locale/sv/LC_MESSAGES/django.po"))
    if any(path == "allas/allauth_texts.py" for path, _line in entry.occurrences)
}
ENGLISH = (
    _differing_msgids(ROOT / "locale/sv/LC_MESSAGES/django.po")
    | _differing_msgids(ALLAUTH_PO, lambda e: e.msgid in RELIED_ON)
    | _differing_msgids(
        Path(django.__file__).parent / "contrib/admin/locale/sv/LC_MESSAGES/django.po"
    )
    # A language is offered by its own name: "English" is right on the Swedish site.
) - {"English"}


class _Page(HTMLParser):
    """What a reader meets: each text node and spoken attribute, and the title and headings."""

    SPOKEN = {"alt", "title", "aria-label", "placeholder"}
    # Where a date may stand as 2027-03-01: tables, machine-readable times, code and what
    # people typed. Running text says "1 mars 2027".
    ISO_DATE_PLACES = {"td", "th", "time", "code", "pre", "textarea", "kbd", "samp", "option"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.headings: list[str] = []
        self.iso_dates: list[str] = []
        self._skip = 0
        self._iso_place = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.ISO_DATE_PLACES:
            self._iso_place += 1
        if tag in {"script", "style", "template"}:
            self._skip += 1
        if tag in {"title", "h1", "h2"}:
            self._heading = []
        attrs = dict(attrs)
        self.texts.extend(v for k, v in attrs.items() if k in self.SPOKEN and v)
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.ISO_DATE_PLACES:
            self._iso_place -= 1
        if tag in {"script", "style", "template"}:
            self._skip -= 1
        if tag in {"title", "h1", "h2"} and self._heading is not None:
            self.headings.append(" ".join(" ".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        text = " ".join(data.split())
        # The example of how to type a date into a field is what is typed, not running text.
        iso = re.search(r"(?<!exempel )(?<!example )\b\d{4}-\d{2}-\d{2}\b", text)
        if text and not self._iso_place and iso:
            self.iso_dates.append(text)
        if text:
            self.texts.append(text)
            if self._heading is not None:
                self._heading.append(text)


def problems_of(path: str, html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    found = []
    if '<html lang="sv"' not in html:
        found.append(f"{path}: not marked Swedish")
    for word in never_words(" ".join(page.texts)):
        context = re.search(f".{{0,40}}{word}.{{0,40}}", " ".join(page.texts), re.I)
        found.append(f"{path}: {word!r} in {context.group(0) if context else ''!r}")
    for text in page.texts:
        # "Title – Allas Vimmerby": each part on its own.
        for part in re.split(r" [–|] ", text.strip(" :*")):
            if part.strip(" :*") in ENGLISH:
                found.append(f"{path}: English left: {part!r}")
    for heading in page.headings:
        for part in re.split(r" [–|] ", heading):
            if part.strip(" :*") in ENGLISH:
                found.append(f"{path}: English heading or title: {heading!r}")
    found += [f"{path}: a date as 2027-03-01 in running text: {t!r}" for t in page.iso_dates]
    return found


# -- the pages, with real objects ---------------------------------------------------------


@pytest.fixture
def world(coordinator, member, applicant, staff):
    """Storebro's group with members and a request, a published plan with an action, a
    proposal with comments, supports and a report, and a meeting with invitations sent."""
    storebro = Locality.objects.get(slug="storebro")
    group = DevelopmentGroup.objects.get(locality=storebro)
    plan = plan_services.plan_create(
        group=group,
        year=YEAR,
        needs="Mötesplatser.",
        goals=SlusGoal.objects.filter(slug="motas"),
        copy_unfinished=False,
        by=None,
    )
    action = plan_services.action_create(
        plan=plan, goals=SlusGoal.objects.filter(slug="leva"), by=None, title="Ny bänk"
    )
    plan_services.plan_set_published(plan=plan, published=True, by=None)
    author = UserFactory(display_name="Förslagsställare Fors")
    proposal = proposal_services.proposal_create(
        author=author, locality=storebro, title="Fler bänkar", body="Vid ån."
    )
    proposal_services.support_toggle(proposal=proposal, user=member)
    comment = proposal_services.comment_create(proposal=proposal, author=author, body="Ja!")
    proposal_services.report_create(reporter=member, comment=comment, reason="offensive")
    lifted = _lifted_and_registered(storebro, author, coordinator, staff)
    meeting = make_meeting()
    meeting_services.invitations_build(meeting=meeting, by=staff)
    meeting_services.invitations_send(meeting=meeting, by=staff)
    # A week ahead: the groups' reports are in, so the booklet is open to the invitees.
    soon = make_meeting(days_ahead=8, title="Nätverksträff i Tuna")
    meeting_services.invitations_build(meeting=soon, by=staff)
    dialogue = dialogue_meeting(group=group, capacity=1, asks_food=True)
    seated = dialogue_signup(dialogue, name="Boende Berg", email="berg@example.se")
    dialogue_signup(dialogue, name="Boende Björk", email="bjork@example.se", status="waiting")
    unverified = UserFactory(verified=False)
    return {
        "dialogue": dialogue.pk,
        "dialogue_token": seated.token,
        "dialogue_signup": seated.pk,
        "dialogue_short": dialogue.short_code,
        "author": author,
        "slug": "storebro",
        "year": YEAR,
        "action_id": action.pk,
        "proposal": proposal.pk,
        "lifted": lifted.pk,
        "comment": comment.pk,
        "meeting": meeting.pk,
        "token": meeting.invitations.first().token,
        "soon_token": soon.invitations.first().token,
        "member_id": Membership.objects.get(user=member).pk,
        "request_id": Membership.objects.get(user=applicant).pk,
        "unsubscribe": unsubscribe_token(user_id=author.pk, kind="answers"),
        "confirm_key": EmailConfirmationHMAC(EmailAddress.objects.get(user=unverified)).key,
        "uidb36": user_pk_to_url_str(author),
        "reset_key": default_token_generator.make_token(author),
    }


def _lifted_and_registered(storebro, author, coordinator, staff):
    """A proposal lifted to the municipality and registered: its staff page shows both
    the registration's correction and the decision's form."""
    from proposals.models import Committee
    from tests.factories import signed_in

    lifted = proposal_services.proposal_create(
        author=author, locality=storebro, title="Belysning vid ån", body="Mörkt på kvällen."
    )
    proposal_services.proposal_lift(proposal=lifted, by=coordinator, motivation="Kommunens väg.")
    committee = Committee.objects.create(name="Kommunstyrelsen", kind="committee")
    proposal_services.case_register(
        proposal=lifted,
        by=signed_in(staff),
        case_number="KS 2026/12",
        committee=committee,
        contact_role="Handläggare",
    )
    return lifted


V, R, C, S = "visitor", "resident", "coordinator", "staff"
EVERYONE = (V, R, C, S)
SIGNED_IN = (R, C, S)

# URL name -> (who opens it, its arguments). The resident is the proposal's author.
PAGES = {
    "home": (EVERYONE, {}),
    "locality_list": (EVERYONE, {}),
    "locality_detail": (EVERYONE, {"slug": "slug"}),
    "goal_list": (EVERYONE, {}),
    "goal_detail": (EVERYONE, {"slug": "leva"}),
    "search": (EVERYONE, {}),
    "accessibility": (EVERYONE, {}),
    "privacy": (EVERYONE, {}),
    "proposal_list": (EVERYONE, {}),
    "proposal_rules": (EVERYONE, {}),
    "proposal_detail": (EVERYONE, {"pk": "proposal"}),
    "meeting_list": (EVERYONE, {}),
    "meeting_detail": (EVERYONE, {"pk": "meeting"}),
    "meeting_answer": ((V,), {"token": "token"}),
    "meeting_booklet_token": ((V,), {"token": "soon_token"}),
    "dialogue_list": (EVERYONE, {}),
    "dialogue_detail": (EVERYONE, {"pk": "dialogue"}),
    "dialogue_ort_list": (EVERYONE, {"slug": "slug"}),
    "dialogue_poster": (EVERYONE, {"pk": "dialogue"}),
    "dialogue_signup": ((V,), {"token": "dialogue_token"}),
    "dialogue_manage_list": ((C, S), {"slug": "slug"}),
    "dialogue_create": ((C,), {"slug": "slug"}),
    "dialogue_manage": ((C, S), {"slug": "slug", "pk": "dialogue"}),
    "dialogue_edit": ((C,), {"slug": "slug", "pk": "dialogue"}),
    "dialogue_cancel": ((C,), {"slug": "slug", "pk": "dialogue"}),
    "dialogue_held": ((C,), {"slug": "slug", "pk": "dialogue"}),
    "dialogue_minutes": ((C,), {"slug": "slug", "pk": "dialogue"}),
    "dialogue_signin_sheet": ((C,), {"slug": "slug", "pk": "dialogue"}),
    "plan_current": (EVERYONE, {"slug": "slug"}),
    "plan_detail": (EVERYONE, {"slug": "slug", "year": "year"}),
    "year_account": (EVERYONE, {"year": "year"}),
    "notifications_unsubscribe": ((V,), {"token": "unsubscribe"}),
    "group_join": ((R,), {"slug": "tuna"}),
    "proposal_create": ((R,), {}),
    "proposal_edit": ((R,), {"pk": "proposal"}),
    "proposal_report": ((R,), {"pk": "proposal"}),
    "comment_edit": ((R,), {"pk": "comment"}),
    "comment_report": ((C,), {"pk": "comment"}),
    "notification_settings": (SIGNED_IN, {}),
    "profile": (SIGNED_IN, {}),
    "my_data_page": (SIGNED_IN, {}),
    "delete_account": ((R,), {}),
    "group_manage": ((C,), {"slug": "slug"}),
    "group_edit": ((C,), {"slug": "slug"}),
    "group_message": ((C,), {"slug": "slug"}),
    "group_member_edit": ((C,), {"slug": "slug", "membership_id": "member_id"}),
    "plan_create": ((C,), {"slug": "slug"}),
    "plan_edit": ((C,), {"slug": "slug", "year": "year"}),
    "action_create": ((C,), {"slug": "slug", "year": "year"}),
    "action_edit": ((C,), {"slug": "slug", "year": "year", "action_id": "action_id"}),
    "proposal_to_answer": ((C,), {}),
    "proposal_lift": ((C, S), {"pk": "proposal"}),
    "municipal_case": ((S,), {"pk": "lifted"}),
    "municipal_cases": ((S,), {}),
    "meeting_report": ((C,), {"pk": "meeting", "slug": "slug"}),
    "followup": ((S,), {}),
    "meeting_booklet": ((S,), {"pk": "meeting"}),
    # allauth and two-step verification
    "account_login": ((V,), {}),
    "account_signup": ((V,), {}),
    "account_reset_password": ((V,), {}),
    "account_reset_password_done": ((V,), {}),
    "account_reset_password_from_key": ((V,), {"uidb36": "uidb36", "key": "reset_key"}),
    "account_reset_password_from_key_done": ((V,), {}),
    "account_confirm_email": ((V,), {"key": "confirm_key"}),
    "account_email_verification_sent": ((V,), {}),
    "account_inactive": ((V,), {}),
    "account_logout": (SIGNED_IN, {}),
    "account_email": (SIGNED_IN, {}),
    "account_change_password": (SIGNED_IN, {}),
    "account_reauthenticate": (SIGNED_IN, {}),
    "mfa_index": (SIGNED_IN, {}),
    "mfa_activate_totp": ((R, C), {}),
    "mfa_deactivate_totp": ((S,), {}),
    "mfa_reauthenticate": ((S,), {}),
    "mfa_view_recovery_codes": ((S,), {}),
    "mfa_generate_recovery_codes": ((S,), {}),
    "mfa_list_webauthn": (SIGNED_IN, {}),
    "mfa_add_webauthn": (SIGNED_IN, {}),
}

# Not pages: files, feeds, POST-only actions, and what the portal switches off.
NOT_PAGES = {
    "group_leave": "POST only",
    "group_members_csv": "a CSV file",
    "group_decide": "POST only",
    "group_member_remove": "POST only",
    "plan_publish": "POST only",
    "action_close": "POST only",
    "action_move": "POST only",
    "action_note": "POST only",
    "open_data_csv": "a CSV file",
    "open_data_json": "a JSON file",
    "proposal_open_data_csv": "a CSV file",
    "proposal_open_data_json": "a JSON file",
    "followup_csv": "a CSV file",
    "year_account_csv": "a CSV file",
    "year_account_json": "a JSON file",
    "proposal_feed": "an Atom feed",
    "proposal_feed_ort": "an Atom feed",
    "proposal_withdraw": "POST only",
    "proposal_status": "POST only",
    "proposal_support": "POST only",
    "proposal_follow": "POST only",
    "comment_create": "POST only",
    "proposal_moderate": "POST only",
    "comment_delete": "POST only",
    "comment_moderate": "POST only",
    "meetings_ics": "a calendar file",
    "dialogue_ics": "a calendar file",
    "dialogue_feed_ics": "a calendar file",
    "dialogue_ort_feed_ics": "a calendar file",
    "dialogue_signup_ics": "a calendar file",
    "dialogue_signup_create": "POST only",
    "dialogue_signup_confirm": "POST only",
    "dialogue_signup_needs": "POST only",
    "dialogue_signup_withdraw": "POST only",
    "dialogue_publish": "POST only",
    "dialogue_signup_cancel": "POST only",
    "dialogue_signups_csv": "a CSV file",
    "dialogue_short": "a redirect to the meeting's page",
    "proposal_raised_at": "POST only",
    "meeting_ics": "a calendar file",
    "follow_locality": "POST only",
    "set_language": "POST only",
    "my_data": "a JSON file",
    "healthz": "a status for the load balancer",
    "favicon": "an image",
    "account_set_password": "every account has a password: it sends on to changing it",
    "account_confirm_login_code": "logging in by code is off",
    "account_request_reauthentication_code": "confirming by code is off",
    "account_confirm_reauthentication_code": "confirming by code is off",
    "mfa_authenticate": "opened in the staff's real login below",
    "mfa_download_recovery_codes": "a text file (tests/test_second_factor_pages.py reads it)",
    "mfa_reauthenticate_webauthn": "needs a passkey in a browser (tests/browser)",
    "mfa_edit_webauthn": "needs a passkey in a browser (tests/test_passkey_pages.py)",
    "mfa_remove_webauthn": "needs a passkey in a browser (tests/test_passkey_pages.py)",
    None: "the error pages of `make run` (DEBUG): the real ones are crawled below",
}
RESET_KEY = "/konto/password/reset/key/"

# The error pages, as a visitor and a resident meet them.
ERROR_PAGES = {V: ("/finns-inte/", 404), R: ("/uppfoljning/", 403)}


def _url_names(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and namespace != "admin":
            yield pattern.name


def test_every_url_pattern_is_crawled_or_named_as_no_page():
    names = set(_url_names(get_resolver().url_patterns))
    assert names - set(PAGES) - set(NOT_PAGES) == set()
    assert set(PAGES) - names == set() and set(NOT_PAGES) - names - {None} == set()


def admin_pages(staff) -> list[str]:
    """Every list, one object's form and the add form of every model staff may see."""
    paths = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        if not staff.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        paths.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            )
        if staff.has_perm(f"{meta.app_label}.add_{meta.model_name}"):
            paths.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return paths


def log_in(client, request, persona, world):
    if persona == V:
        return
    if persona == S:
        # The staff's real login: password, then the code from the authenticator app.
        staff = request.getfixturevalue("staff")
        response = client.post(
            reverse("account_login"), {"login": staff.email, "password": PASSWORD}
        )
        assert response.url == reverse("mfa_authenticate")
        response = client.get(response.url)
        assert problems_of(reverse("mfa_authenticate"), response.content.decode()) == []
        client.post(reverse("mfa_authenticate"), {"code": totp_code_for(staff)})
    else:
        user = world["author"] if persona == R else request.getfixturevalue(persona)
        client.force_login(user)
    # The pages that change the account ask for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


@pytest.mark.parametrize("persona", EVERYONE)
def test_every_page_speaks_the_portals_swedish(client, request, world, persona):
    log_in(client, request, persona, world)
    paths = [
        reverse(name, kwargs={k: world.get(v, v) for k, v in kwargs.items()})
        for name, (who, kwargs) in PAGES.items()
        if persona in who
    ]
    # The list filtered to what is at the municipality: its labels and the filter's words.
    paths.append(reverse("proposal_list") + "?kommunen=hos")
    if persona == S:
        paths += admin_pages(request.getfixturevalue("staff"))
        # The meeting's own staff pages: who is invited, with each e-mail and its state.
        paths += [
            reverse("admin:meetings_networkmeeting_invitations", args=[world["meeting"]]),
            reverse("admin:meetings_roster"),
        ]
    problems, crawled = [], 0
    for path in paths:
        response = client.get(path)
        if response.status_code == 302 and path.startswith(RESET_KEY):
            # allauth moves the key from the address into the session, then shows the form.
            response = client.get(response.url)
        if response.status_code != 200:
            problems.append(f"{path}: answered {response.status_code}")
            continue
        crawled += 1
        problems += problems_of(path, response.content.decode())
    if persona in ERROR_PAGES:
        path, status = ERROR_PAGES[persona]
        response = client.get(path)
        assert response.status_code == status
        problems += problems_of(path, response.content.decode())
    assert problems == [], f"{len(problems)} problem(s) on {len(paths)} pages:\n" + "\n".join(
        problems
    )
    assert crawled == len(paths) >= {V: 25, R: 20, C: 20, S: 50}[persona]


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p>Verifierings-mail skickat till a@example.se.</p>", "mail"),
        ("<p>Vänligen ange koden.</p>", "vänligen"),
        ('<input placeholder="Epost-adress">', "epost"),
        ("<h1>Sign Out</h1>", "English heading"),
        ("<title>Email Addresses – Allas Vimmerby</title>", "English heading"),
        ("<button>Remove</button>", "English left"),
        ('<select><option value="">---------</option></select>', "---------"),
    ],
)
def test_the_check_finds_what_it_looks_for(html, found):
    problems = problems_of("/", f'<html lang="sv"><body>{html}</body></html>')
    assert any(found in problem for problem in problems), problems


def test_the_login_page_offers_a_new_password_once(client):
    page = client.get(reverse("account_login")).content.decode()
    assert page.count("Har du glömt ditt lösenord?") == 1


def test_the_group_report_and_an_abuse_report_have_their_own_words(client, request, world):
    client.force_login(request.getfixturevalue("coordinator"))
    page = client.get(reverse("meeting_report", args=[world["meeting"], "storebro"]))
    assert "Skicka rapporten" in page.content.decode()
    client.force_login(world["author"])
    page = client.get(reverse("proposal_report", args=[world["proposal"]])).content.decode()
    assert "Skicka anmälan" in page and "Skicka rapporten" not in page


def test_the_english_site_shows_the_reference_data_in_english_with_the_swedish_names(client):
    client.post("/sprak/", {"language": "en", "next": "/"})
    goal = client.get(reverse("goal_detail", args=["leva"])).content.decode()
    assert "Attractive and sustainable living environments" in goal
    assert '<span lang="sv">Attraktiva och hållbara livsmiljöer</span>' in goal
    assert "<h1>Leva</h1>" in goal
    goals = client.get(reverse("goal_list")).content.decode()
    assert "Trust and social capital" in goals and "Tillit och socialt kapital" not in goals
    ort = client.get(reverse("locality_detail", args=["storebro"])).content.decode()
    assert "Storebro is a built-up area (tätort) in Vimmerby Municipality." in ort
    assert "1,025 inhabitants in the built-up area (tätort, 2020)" in ort
    rural = client.get(reverse("locality_detail", args=["pelarne"])).content.decode()
    assert "Pelarne is a rural locality in Vimmerby Municipality." in rural
    # The Swedish site keeps the official Swedish texts.
    client.post("/sprak/", {"language": "sv", "next": "/"})
    goal = client.get(reverse("goal_detail", args=["leva"])).content.decode()
    assert "Attraktiva och hållbara livsmiljöer" in goal and "Attractive" not in goal


def test_the_profile_asks_only_what_it_must_in_words(client, resident):
    client.force_login(resident)
    page = client.get(reverse("profile")).content.decode()
    assert "---------" not in page and "Vill inte svara" in page
    assert re.search(r'<option value="sv"[^>]*>Svenska</option>', page)
    assert re.search(r'<option value="en"[^>]*>English</option>', page)
    assert "Engelska" not in page
    age = re.search(r'<select name="age_band"[^>]*>', page).group(0)
    assert "required" not in age
    # An empty age is "not stated", not an error.
    response = client.post(
        reverse("profile"),
        {"display_name": "Ny", "home_locality": "", "age_band": "", "language": "sv"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.age_band == "not_stated" and resident.display_name == "Ny"


def test_the_admin_offers_each_language_by_its_own_name(client, request, resident):
    client.force_login(request.getfixturevalue("staff"))
    page = client.get(reverse("admin:allas_user_change", args=[resident.pk])).content.decode()
    assert re.search(r'<option value="en"[^>]*>English</option>', page)
    assert re.search(r'<option value="sv"[^>]*>Svenska</option>', page)


def test_the_member_list_says_role_and_status_apart(client, coordinator, member):
    import csv
    import io

    client.force_login(coordinator)
    raw = client.get(reverse("group_members_csv", args=["storebro"])).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    role, status = rows[0].index("Roll"), rows[0].index("Status")
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Medlem Karlsson"][role] == "Medlem"
    assert by_name["Medlem Karlsson"][status] == "Aktiv"
    assert by_name["Samordnare Berg"][role] == "Samordnare"


def test_the_outbox_names_each_kind_of_email_in_words(client, request, world):
    staff = request.getfixturevalue("staff")
    client.force_login(staff)
    page = client.get(reverse("admin:allas_outboundemail_changelist")).content.decode()
    assert "Nätverksmöte: inbjudan" in page
    assert "meetings.invitation" not in re.sub(r'href="[^"]*"', "", page)


# -- the catalogue ------------------------------------------------------------------------


def test_every_swedish_text_of_the_catalogue_keeps_to_the_glossary():
    bad = []
    for entry in polib.pofile(str(ROOT / "locale/sv/LC_MESSAGES/django.po")):
        for swedish in [entry.msgstr, *(entry.msgstr_plural or {}).values()]:
            if never_words(swedish):
                bad.append((entry.msgid, swedish, never_words(swedish)))
    assert bad == []


def test_every_allauth_text_the_portal_shows_is_in_the_portals_swedish():
    """allauth's texts for the account and two-step verification pages, as the Swedish site
    gets them: none keeps allauth's own Swedish (epost-adress, mail, Vänligen, verifiera)."""
    shown = [
        entry
        for entry in polib.pofile(str(ALLAUTH_PO))
        if entry.occurrences
        and not all(
            re.search(r"socialaccount|usersessions|headless|idp/", path)
            for path, _line in entry.occurrences
        )
    ]
    missing = [e.msgid for e in shown if e.msgid not in RELIED_ON]
    assert missing == [], "allauth shows texts allas/allauth_texts.py does not list"
    bad = []
    with translation.override("sv"):
        for entry in shown:
            if entry.msgid_plural:
                swedish = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
            elif entry.msgctxt:
                swedish = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                swedish = translation.gettext(entry.msgid)
            if never_words(swedish):
                bad.append((entry.msgid, swedish))
    assert bad == []
