"""The pages of the groups' dialogue meetings pass axe-core (WCAG 2.0, 2.1 and 2.2 A/AA)
and never scroll sideways, at 320, 375 and 1280 px, in every state the people who use
them bring them to: the public lists and meetings (open, full with a waiting list,
cancelled, held with minutes and proposals), the sign-up with its errors and its answer,
the personal page in each state, the coordinators' pages, the panels of the group, ort
and home pages, and the staff's admin pages.

One browser context per role logs in once and opens each of its pages once; each page is
then laid out at every width in turn and checked there, and every problem of every page
is reported together. (The poster has its own test: test_dialogue_poster.py.)
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allas.models import SlusGoal
from groups.models import DevelopmentGroup, DialogueMeeting
from meetings.models import SignUp
from proposals.models import Proposal
from tests.browser.conftest import AXE, AXE_OPTIONS, WCAG_TAGS, log_in, submit_main_form
from tests.dialogue_factories import dialogue_meeting, signup
from tests.factories import PASSWORD

WIDTHS = (320, 375, 1280)
HEIGHT = 800
# Every page, the admin's too, is held to WCAG 2.2 AA and axe's best practices
# (conftest.WCAG_TAGS), the size of targets included.
PORTAL_AXE = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# What reaches past the right edge, to say what to fix.
SIDEWAYS = """() => {
  const iw = window.innerWidth;
  const wide = document.documentElement.scrollWidth;
  if (wide <= iw) return null;
  const past = [...document.querySelectorAll("body *")].filter(
    (el) => el.getBoundingClientRect().right > iw + 1 &&
      ![...el.children].some((c) => c.getBoundingClientRect().right > iw + 1));
  const describe = (el) => `<${el.tagName.toLowerCase()}${el.className ? "." +
    String(el.className).trim().split(/\\s+/).slice(0, 2).join(".") : ""}> "${
    (el.innerText || "").trim().slice(0, 30)}"`;
  return `${wide} px wide: ${past.slice(0, 3).map(describe).join(", ")}`;
}"""

S = SignUp.Status
LONG_NAME = "Anna-Karin Johansson-Öberg Lindqvist"
LONG_EMAIL = "anna-karin.johansson-oberg@landsbygdsradet-i-norra-vimmerby.example.se"


def _days(n: int) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=n)
    return moment.replace(hour=18, minute=30, second=0, microsecond=0)


@pytest.fixture
def dialogue(coordinator, resident) -> dict:
    """Storebro's meetings in every state, with sign-ups in every state, and a walk in
    Tuna for the list's filters."""
    goals = list(SlusGoal.objects.filter(slug__in=["leva", "motas"]))
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    open_ = dialogue_meeting(
        title="Hur vill vi ha det i Storebro?",
        capacity=25,
        signup_deadline=_days(12),
        asks_food=True,
        asks_access=True,
        online_link="https://moten.example.se/storebro-bygdemote-om-framtiden",
        description="Vi pratar om lekplatsen och belysningen vid ån.\n\nKaffe finns.",
        goals=goals,
    )
    full = dialogue_meeting(
        title="Workshop om den gamla skolan och vad den kan bli i framtiden",
        kind=DialogueMeeting.Kind.WORKSHOP,
        starts_at=_days(20),
        venue="Församlingshemmet, stora salen en trappa upp",
        capacity=1,
        asks_food=True,
        asks_access=True,
    )
    cancelled = dialogue_meeting(
        title="Vandring längs ån",
        kind=DialogueMeeting.Kind.WALK,
        starts_at=_days(9),
        status=DialogueMeeting.Status.CANCELLED,
        cancel_reason="Flera i gruppen är sjuka. Vi bjuder in till en ny vandring i höst.",
    )
    held = dialogue_meeting(
        title="Bygdemöte om bryggan",
        starts_at=_days(-3),
        status=DialogueMeeting.Status.HELD,
        attendance=17,
        minutes="Vi bestämde att bygga en brygga.\nGruppen tar kontakt med kommunen.",
        minutes_published_at=timezone.now(),
    )
    draft = dialogue_meeting(title="Utkast: höstens bygdemöte", status=DialogueMeeting.Status.DRAFT)
    dialogue_meeting(
        group=DevelopmentGroup.objects.get(locality__slug="tuna"),
        title="Vandring runt sjön",
        kind=DialogueMeeting.Kind.WALK,
    )
    Proposal.objects.create(
        locality=group.locality,
        author=resident,
        title="Bygg en brygga vid ån",
        body="Så att fler kan bada.",
        raised_at=held,
    )
    signup(held)
    signup(open_)
    seated = signup(
        full, name=LONG_NAME, email=LONG_EMAIL, food_needs="Glutenfri", access_needs="Hörslinga"
    )
    waiting = signup(full, status=S.WAITING, name="Väntande Ek", food_needs="Vegetarisk")
    signup(full, user=resident, status=S.WAITING)
    signup(full, status=S.UNCONFIRMED, name="Obekräftad Ås")
    signup(full, status=S.CANCELLED, name="Avanmäld Berg")
    return {
        "open": open_.pk,
        "full": full.pk,
        "cancelled": cancelled.pk,
        "held": held.pk,
        "draft": draft.pk,
        "unconfirmed": signup(open_, status=S.UNCONFIRMED, name="Ny Besökare").token,
        "signed_up": seated.token,
        "waiting": waiting.token,
        "withdrawn": signup(open_, status=S.CANCELLED, name="Ångrad Besökare").token,
        "signup": seated.pk,
    }


@dataclass
class Step:
    """A page to check: the address to open, and what to do there first."""

    path: str
    then: Callable[[Page], None] | None = None
    status: int = 200


def submitted_empty(page: Page) -> None:
    submit_main_form(page)
    expect(page.locator("main .invalid-feedback").first).to_be_visible()


def signed_up_as_visitor(page: Page) -> None:
    """The page a visitor lands on after signing up: it says to look in the inbox."""
    page.locator("#id_name").fill("Besökare Lund")
    page.locator("#id_email").fill("besokare.lund@example.se")
    submit_main_form(page)
    expect(page.locator("main .alert-success")).to_contain_text("besokare.lund@example.se")


def shows_minutes_and_proposals(page: Page) -> None:
    expect(page.locator("#minutes-heading")).to_be_visible()
    expect(page.locator("#proposals-heading ~ ul a")).to_have_text("Bygg en brygga vid ån")


def offers_the_waiting_list(page: Page) -> None:
    expect(page.locator("main form[action$='/anmal/'] #id_email")).to_be_visible()


def shows_own_place_in_line(page: Page) -> None:
    expect(page.locator("section[aria-labelledby=signup-heading] [role=status]")).to_be_visible()


def lists_sign_ups_and_waiting_list(page: Page) -> None:
    # One with a place and two in line, each with a button; the rest folded away.
    expect(page.locator("main tbody tr:has(button)")).to_have_count(3)
    expect(page.locator("main details summary")).to_be_visible()


def shows_storebros_village_meetings(page: Page) -> None:
    items = page.locator("main ul.list-unstyled > li")
    expect(items).to_have_count(1)
    expect(items).to_contain_text("Hur vill vi ha det i Storebro?")


def filtered_to_nothing(page: Page) -> None:
    page.locator("#id_ort").select_option("djursdala")
    with page.expect_navigation():
        page.locator("main form.filter-form button[type=submit]").click()


def axe_violations(page: Page, options: dict) -> list[str]:
    """axe-core, injected once per page by check_pages, run on the page as laid out now."""
    found = []
    for violation in page.evaluate("options => axe.run(document, options)", options)["violations"]:
        nodes = [" ".join(str(part) for part in node["target"]) for node in violation["nodes"]]
        found.append(
            f"axe {violation['id']} ({violation['impact']}): {violation['help']} "
            f"at {', '.join(nodes[:3])}"
        )
    return found


def check_pages(page: Page, steps: list[Step], values: dict) -> None:
    """Opens each page once, lays it out at every width and checks it there; fails once
    with every problem found."""
    problems: list[str] = []
    for step in steps:
        path = step.path.format(**values)
        page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
        response = page.goto(path)
        if response is None or response.status != step.status:
            problems.append(f"{path}: answered {response and response.status}")
            continue
        if step.then:
            step.then(page)
        page.evaluate(AXE.axe_script)
        options = AXE_OPTIONS if step.path.startswith("/admin/") else PORTAL_AXE
        address = urlsplit(page.url)
        here = address.path + (f"?{address.query}" if address.query else "")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            sideways = page.evaluate(SIDEWAYS)
            if sideways:
                problems.append(f"{here} at {width} px: scrolls sideways, {sideways}")
            problems += [
                f"{here} at {width} px: {found}" for found in axe_violations(page, options)
            ]
    if problems:
        pytest.fail(
            f"{len(problems)} problem(s) on {len(steps)} pages:\n" + "\n".join(problems),
            pytrace=False,
        )


VISITOR = [
    Step("/"),
    Step("/orter/storebro/"),
    Step("/moten/"),
    Step("/moten/?ort=storebro&typ=bygdemote", shows_storebros_village_meetings),
    Step("/moten/", filtered_to_nothing),
    Step("/orter/storebro/moten/"),
    Step("/moten/{open}/"),
    Step("/moten/{full}/", offers_the_waiting_list),
    Step("/moten/{cancelled}/"),
    Step("/moten/{held}/", shows_minutes_and_proposals),
    Step("/moten/anmalan/{unconfirmed}/"),
    Step("/moten/anmalan/{signed_up}/"),
    Step("/moten/anmalan/{waiting}/"),
    Step("/moten/anmalan/{withdrawn}/"),
    Step("/moten/anmalan/finns-inte-0123456789abcdefghijklmnopqrstuvwxyz/", status=404),
    Step("/moten/{open}/", submitted_empty),
    Step("/moten/{open}/", signed_up_as_visitor),
]

RESIDENT = [
    # One step: no name or address to give, only the needs the meeting asks about.
    Step("/moten/{open}/"),
    # On the waiting list with their account.
    Step("/moten/{full}/", shows_own_place_in_line),
]

COORDINATOR = [
    Step("/orter/storebro/grupp/"),
    Step("/orter/storebro/grupp/moten/"),
    Step("/orter/storebro/grupp/moten/nytt/"),
    Step("/orter/storebro/grupp/moten/nytt/", submitted_empty),
    Step("/orter/storebro/grupp/moten/{draft}/"),
    Step("/orter/storebro/grupp/moten/{full}/", lists_sign_ups_and_waiting_list),
    Step("/orter/storebro/grupp/moten/{held}/"),
    Step("/orter/storebro/grupp/moten/{cancelled}/"),
    Step("/orter/storebro/grupp/moten/{full}/redigera/"),
    Step("/orter/storebro/grupp/moten/{full}/stall-in/"),
    Step("/orter/storebro/grupp/moten/{full}/stall-in/", submitted_empty),
    Step("/orter/storebro/grupp/moten/{held}/genomfort/"),
    Step("/orter/storebro/grupp/moten/{held}/protokoll/"),
    Step("/orter/storebro/grupp/moten/{full}/narvarolista/"),
    Step("/moten/{draft}/"),
]

STAFF = [
    Step("/admin/groups/dialoguemeeting/"),
    # A held meeting is a record: every field read-only.
    Step("/admin/groups/dialoguemeeting/{held}/change/"),
    Step("/admin/meetings/signup/"),
    Step("/admin/meetings/signup/{signup}/change/"),
]

ROLES = {
    "visitor": VISITOR,
    "resident": RESIDENT,
    "coordinator": COORDINATOR,
    "staff": STAFF,
}


@pytest.mark.parametrize("role", ROLES.keys())
def test_every_dialogue_page_passes_axe_and_fits_320_375_and_1280_px(
    page: Page, request, dialogue, role
) -> None:
    if role != "visitor":
        log_in(page, request.getfixturevalue(role).email, PASSWORD)
    check_pages(page, ROLES[role], dialogue)


def test_the_admin_form_of_a_coming_meeting_passes_axe_and_fits(
    page: Page, staff, dialogue
) -> None:
    log_in(page, staff.email, PASSWORD)
    check_pages(page, [Step("/admin/groups/dialoguemeeting/{open}/change/")], dialogue)


def test_the_sign_in_sheet_prints_with_black_lines(page: Page, coordinator) -> None:
    """By the door the sheet is a black-and-white printout: its lines must not print the
    screen's light grey."""
    meeting = dialogue_meeting()
    signup(meeting, name="Anna Andersson", email="anna@example.se")
    log_in(page, coordinator.email, PASSWORD)
    page.emulate_media(media="print")
    try:
        page.goto(f"/orter/storebro/grupp/moten/{meeting.pk}/narvarolista/")
        colours = page.locator("table.table-bordered td").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c).borderBottomColor)"
        )
    finally:
        page.emulate_media(media="screen")
    assert colours and set(colours) == {"rgb(0, 0, 0)"}
