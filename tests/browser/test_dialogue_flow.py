"""A group's dialogue meeting end to end, with the keyboard alone: the coordinator makes a
meeting with one place from the group's page and publishes it; a visitor signs up with a
name and an address and confirms from the link in the e-mail; a second visitor does the
same and lands on the waiting list; the first cancels by the personal link, and the
second moves up and is told, with a calendar file. Then the sign-up without JavaScript,
and the focus ring on every control of the busiest pages."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from allas.models import OutboundEmail
from groups.models import DialogueMeeting
from meetings.models import SignUp
from tests.browser.conftest import delivered, submit_main_form
from tests.browser.test_dialogue_accessibility import dialogue  # noqa: F401 (a fixture)
from tests.browser.test_keyboard import HAS_FOCUS_RING
from tests.dialogue_factories import dialogue_meeting
from tests.factories import PASSWORD

TITLE = "Bygdemöte om lekplatsen"
FIRST = ("Första Besökare", "forsta.besokare@example.se")
SECOND = ("Andra Besökare", "andra.besokare@example.se")
MAX_TABS = 80


def swedish(text: str, **values) -> str:
    """A sentence of the personal page as the Swedish visitor reads it."""
    with translation.override("sv"):
        return translation.gettext(text) % values if values else translation.gettext(text)


SIGNED_UP = "You are signed up for the meeting."
WAITING = (
    "You are on the waiting list, in place %(place)s. We will e-mail you if a place becomes free."
)
CANCELLED = "You have cancelled your sign-up."


def tab_to(page: Page, selector: str, *, back: bool = False) -> None:
    """Presses Tab (Shift+Tab with `back`) until an element the CSS selector matches has
    the focus, and checks that the focus is visible there: the portal's 3 px ring."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            assert page.locator(":focus").evaluate(HAS_FOCUS_RING), (
                f"no visible focus ring on {selector}"
            )
            return
    pytest.fail(f"{selector} was not reached with {MAX_TABS} presses of Tab", pytrace=False)


def type_into_picker(page: Page, selector: str, value: str, ways: list[str]) -> None:
    """Types into the focused date or time picker, whose parts stand in the order of the
    browser's own language, whatever the page's (2026-05-12 or 05/12/2026, 20.30 or
    08:30 PM): one way of typing after the other, each from the first part again, until
    the picker holds `value`."""
    field = page.locator(selector)
    for keys in ways:
        page.keyboard.type(keys)
        if field.input_value() == value:
            return
        while field.evaluate("element => element === document.activeElement"):
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
    pytest.fail(f"{selector} did not take {value} from the keyboard", pytrace=False)


def press_and_wait(page: Page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)
    expect(page.locator("main .alert-danger")).to_have_count(0)


def keyboard_log_in(page: Page, email: str) -> None:
    page.goto("/konto/login/")
    tab_to(page, "#id_login")
    page.keyboard.type(email)
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    press_and_wait(page)
    expect(page.locator("header a[href='/konto/profil/']")).to_be_visible()


def personal_link(email: str, live_server_url: str) -> str:
    """The link in the e-mail that asks the visitor to confirm, as they got it."""
    message = OutboundEmail.objects.get(kind="meetings.dialogue_verify", to=email)
    assert message.status == OutboundEmail.Status.SENT, message.last_error
    body = delivered(message).body
    match = re.search(r"https?://\S+/moten/anmalan/[\w-]+/", body)
    assert match, f"no personal link in the e-mail:\n{body}"
    assert match.group(0).startswith(live_server_url)
    return match.group(0)


def sign_up_and_confirm(page: Page, meeting: DialogueMeeting, who, live_server_url) -> str:
    """Signs up on the meeting's page, going back once with Shift+Tab to correct the name,
    and confirms from the e-mail's link; returns the link."""
    name, email = who
    page.goto(f"/moten/{meeting.pk}/")
    tab_to(page, "#id_name")
    page.keyboard.type(name + "x")
    page.keyboard.press("Tab")
    expect(page.locator("#id_email")).to_be_focused()
    page.keyboard.type(email)
    # A slip in the name: back to it, and away with the last letter.
    tab_to(page, "#id_name", back=True)
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    expect(page.locator("#id_name")).to_have_value(name)
    tab_to(page, "main form[action$='/anmal/'] button[type=submit]")
    press_and_wait(page)
    expect(page).to_have_url(re.compile(rf"/moten/{meeting.pk}/$"))
    expect(page.locator("main .alert-success")).to_contain_text(email)
    signup = SignUp.objects.get(meeting=meeting, email=email)
    assert signup.status == SignUp.Status.UNCONFIRMED

    link = personal_link(email, live_server_url)
    page.goto(link)
    tab_to(page, "main form[action$='/bekrafta/'] button")
    press_and_wait(page)
    expect(page).to_have_url(link)
    return link


def status_of(page: Page) -> Locator:
    return page.locator("section[aria-labelledby=status-heading] [role=status]")


def test_a_meeting_is_made_signed_up_for_and_its_waiting_list_moves_up_by_keyboard(
    new_page: Callable[..., Page], live_server, settings, coordinator
) -> None:
    settings.SITE_URL = live_server.url
    day = timezone.localdate() + timedelta(days=21)

    # The coordinator makes the meeting from the group's page.
    page = new_page()
    keyboard_log_in(page, coordinator.email)
    page.goto("/orter/storebro/grupp/")
    tab_to(page, "main a[href='/orter/storebro/grupp/moten/nytt/']")
    press_and_wait(page)
    expect(page).to_have_url(re.compile(r"/orter/storebro/grupp/moten/nytt/$"))
    tab_to(page, "#id_title")
    page.keyboard.type(TITLE)
    # The kind stays a village meeting. The start and the end go into the date and time
    # pickers, part by part.
    dates = [day.strftime(order) for order in ("%Y%m%d", "%m%d%Y", "%d%m%Y")]
    for field, hour in [("starts_at", 18), ("ends_at", 20)]:
        tab_to(page, f"#id_{field}_0")
        type_into_picker(page, f"#id_{field}_0", day.isoformat(), dates)
        tab_to(page, f"#id_{field}_1")
        type_into_picker(page, f"#id_{field}_1", f"{hour}:30", [f"{hour}30", f"{hour - 12:02}30P"])
    tab_to(page, "#id_venue")
    page.keyboard.type("Bygdegården")
    tab_to(page, "#id_goals_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_goals_0")).to_be_checked()
    tab_to(page, "#id_capacity")
    page.keyboard.type("1")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page)

    meeting = DialogueMeeting.objects.get(title=TITLE)
    assert meeting.status == DialogueMeeting.Status.DRAFT
    assert meeting.capacity == 1
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == (
        f"{day.isoformat()} 18:30"
    )
    assert meeting.goals.count() == 1
    expect(page).to_have_url(re.compile(rf"/orter/storebro/grupp/moten/{meeting.pk}/$"))
    tab_to(page, "main form[action$='/publicera/'] button")
    press_and_wait(page)
    meeting.refresh_from_db()
    assert meeting.status == DialogueMeeting.Status.PUBLISHED

    # The first visitor gets the place.
    first = new_page()
    first_link = sign_up_and_confirm(first, meeting, FIRST, live_server.url)
    expect(status_of(first)).to_have_text(swedish(SIGNED_UP))
    expect(first.locator("a[href$='/kalender.ics']")).to_be_visible()
    assert SignUp.objects.get(email=FIRST[1]).status == SignUp.Status.SIGNED_UP
    assert OutboundEmail.objects.filter(kind="meetings.dialogue_confirmation", to=FIRST[1]).exists()

    # The second is first on the waiting list.
    second = new_page()
    second_link = sign_up_and_confirm(second, meeting, SECOND, live_server.url)
    expect(status_of(second)).to_have_text(swedish(WAITING, place=1))
    assert SignUp.objects.get(email=SECOND[1]).status == SignUp.Status.WAITING

    # The first cannot come after all, and cancels by the personal link.
    first.goto(first_link)
    tab_to(first, "main form[action$='/avanmal/'] button")
    press_and_wait(first, "Space")
    expect(status_of(first)).to_have_text(swedish(CANCELLED))
    expect(first.locator("main form[action$='/avanmal/']")).to_have_count(0)
    assert SignUp.objects.get(email=FIRST[1]).status == SignUp.Status.CANCELLED

    # The place went to the second, who was told at once, with the calendar file.
    second.goto(second_link)
    expect(status_of(second)).to_have_text(swedish(SIGNED_UP))
    expect(second.locator("a[href$='/kalender.ics']")).to_be_visible()
    assert SignUp.objects.get(email=SECOND[1]).status == SignUp.Status.SIGNED_UP
    moved = OutboundEmail.objects.get(kind="meetings.dialogue_moved_up", to=SECOND[1])
    [attachment] = moved.attachments
    assert attachment["filename"].endswith(".ics")
    assert "BEGIN:VCALENDAR" in attachment["content"]
    assert "PARTSTAT=ACCEPTED" in attachment["content"]

    # On the coordinator's page one person is left to cancel for: the second.
    page.goto(f"/orter/storebro/grupp/moten/{meeting.pk}/")
    active = page.locator("main tbody tr:has(button)")
    expect(active).to_have_count(1)
    expect(active).to_contain_text(SECOND[1])


def test_a_visitor_signs_up_confirms_and_cancels_without_javascript(
    new_page: Callable[..., Page], live_server, settings
) -> None:
    settings.SITE_URL = live_server.url
    meeting = dialogue_meeting(title=TITLE, capacity=10)
    page = new_page(java_script_enabled=False)

    # The list's filters are a plain form.
    page.goto("/moten/")
    page.locator("#id_ort").select_option("storebro")
    with page.expect_navigation():
        page.locator("main form.filter-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/moten/\?(.*&)?ort=storebro"))
    with page.expect_navigation():
        page.get_by_role("link", name=TITLE).click()

    page.locator("#id_name").fill(FIRST[0])
    page.locator("#id_email").fill(FIRST[1])
    submit_main_form(page)
    expect(page.locator("main .alert-success")).to_contain_text(FIRST[1])

    page.goto(personal_link(FIRST[1], live_server.url))
    submit_main_form(page)
    expect(status_of(page)).to_have_text(swedish(SIGNED_UP))
    expect(page.locator("a[href$='/kalender.ics']")).to_be_visible()
    assert SignUp.objects.get(meeting=meeting, email=FIRST[1]).status == SignUp.Status.SIGNED_UP

    with page.expect_navigation():
        page.locator("main form[action$='/avanmal/'] button").click()
    expect(status_of(page)).to_have_text(swedish(CANCELLED))
    assert SignUp.objects.get(meeting=meeting, email=FIRST[1]).status == SignUp.Status.CANCELLED


# What has the focus now, and whether the portal's focus ring shows on it. A date or time
# picker that is the active element without matching :focus has the focus on its own
# button that opens the calendar or clock: the browser draws that button's ring itself.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    if (e.matches("input[type=date], input[type=time]") && !e.matches(":focus")) {
        return {ring: true};
    }
    const s = getComputedStyle(e);
    const text = (e.innerText || "").trim().slice(0, 30);
    return {ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
            what: `${e.tagName} ${e.id || e.name || ""} "${text}"`};
}"""


def walk_with_tab(page: Page, path: str) -> list[str]:
    """Tabs through the whole page; returns each control that took the focus without
    showing it."""
    page.goto(path)
    seen, missing = 0, []
    for _ in range(MAX_TABS * 2):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED)
        if found is None:  # past the last control
            break
        seen += 1
        if not found["ring"]:
            missing.append(f"{path}: {found['what']}")
    assert seen >= 10, f"{path}: only {seen} elements took the focus"
    return missing


def test_focus_is_visible_on_every_control_of_the_busiest_dialogue_pages(
    new_page: Callable[..., Page],
    coordinator,
    dialogue: dict,  # noqa: F811
) -> None:
    visitor = new_page()
    missing = walk_with_tab(visitor, f"/moten/{dialogue['open']}/")
    missing += walk_with_tab(visitor, f"/moten/anmalan/{dialogue['signed_up']}/")
    page = new_page()
    keyboard_log_in(page, coordinator.email)
    missing += walk_with_tab(page, f"/orter/storebro/grupp/moten/{dialogue['full']}/")
    missing += walk_with_tab(page, "/orter/storebro/grupp/moten/nytt/")
    assert not missing, "no visible focus on:\n" + "\n".join(missing)
