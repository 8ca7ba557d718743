"""The yearly network meeting end to end: staff create and send it in the admin, an invitee
answers from the link in the e-mail without logging in, and staff see the answer."""

import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from allas.models import OutboundEmail, SlusGoal
from meetings.models import Invitation, NetworkMeeting
from tests.browser.conftest import admin_log_in, assert_accessible, delivered
from tests.factories import PASSWORD

TITLE = "Nätverksträffen i Storebro"
DIETARY_NEED = "Vegetarisk"
MAX_TABS = 60

ANSWER_REFUSED = (
    "The answer form's POST was refused with 403 by Django's CSRF check (the log says "
    "'Origin checking failed - null does not match any trusted origins'). "
    "meetings/views.py, in answer(), sends the answer page with "
    "`Referrer-Policy: no-referrer`; under that policy Chromium sends `Origin: null` with "
    "the page's own form POST, which Django's CsrfViewMiddleware rejects. No invitee can "
    "answer from a real browser. `same-origin` (the site's default) would keep the token "
    "out of other sites' referrers and let the form work."
)


def press_admin_button(page: Page, name: str) -> None:
    """Presses one of the POST buttons on the invitations page and waits for the page again."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator(".messagelist .error")).to_have_count(0)


def confirm_admin_action(page: Page, link: str, button: str) -> None:
    """Follows an action that cannot be undone to its question page, checks that page with
    axe, and says yes."""
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()
    expect(page.locator("#content-main")).to_contain_text("Det går inte att ångra.")
    assert_accessible(page)
    press_admin_button(page, button)


def fill_split_datetime(page: Page, field: str, when) -> None:
    """The admin's date and time inputs, <field>_0 and <field>_1, in Swedish local time."""
    page.locator(f"#id_{field}_0").fill(when.strftime("%Y-%m-%d"))
    page.locator(f"#id_{field}_1").fill(when.strftime("%H:%M"))


def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until the element has focus; fails if it is never reached."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached with {MAX_TABS} presses of Tab")


def answer_link(email: str) -> str:
    message = OutboundEmail.objects.get(kind="meetings.invitation", to=email)
    assert message.status == OutboundEmail.Status.SENT, message.last_error
    body = delivered(message).body
    match = re.search(r"https?://\S+/natverksmoten/svar/[\w-]+/", body)
    assert match, f"no answer link in the invitation:\n{body}"
    return match.group(0)


def test_staff_create_and_send_a_meeting_and_an_invitee_answers_yes_from_the_emailed_link(
    page: Page,
    new_page: Callable[..., Page],
    live_server,
    settings,
    staff,
    coordinator,
    other_coordinator,
) -> None:
    settings.SITE_URL = live_server.url
    starts = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0)
    starts += timedelta(days=30)
    theme = SlusGoal.objects.order_by("pk").first()

    # Staff create the meeting in the admin.
    admin_log_in(page, staff.email, PASSWORD)
    page.goto("/admin/meetings/networkmeeting/add/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_theme").select_option(str(theme.pk))
    fill_split_datetime(page, "starts_at", starts)
    fill_split_datetime(page, "ends_at", starts + timedelta(hours=6))
    page.locator("#id_venue").fill("Storebro bygdegård")
    fill_split_datetime(page, "rsvp_deadline", starts - timedelta(days=10))
    fill_split_datetime(page, "report_deadline", starts - timedelta(days=5))
    page.locator("#id_agenda-0-time").fill("09:30")
    page.locator("#id_agenda-0-title").fill("Välkommen och fika")
    page.locator("#id_agenda-0-led_by").fill("Utvecklingsavdelningen")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    expect(page.locator(".errornote")).to_have_count(0)

    meeting = NetworkMeeting.objects.get(title=TITLE)
    assert meeting.status == NetworkMeeting.Status.DRAFT
    assert meeting.theme == theme
    assert timezone.localtime(meeting.starts_at) == starts
    assert [item.title for item in meeting.agenda.all()] == ["Välkommen och fika"]

    # ... then publish it, build the invitation list and send the invitations.
    with page.expect_navigation():
        page.get_by_role("link", name="Inbjudningar och svar").click()
    expect(page).to_have_url(
        re.compile(rf"/admin/meetings/networkmeeting/{meeting.pk}/inbjudningar/$")
    )
    assert_accessible(page)
    confirm_admin_action(page, "Publicera mötet …", "Ja, publicera mötet")
    press_admin_button(page, "Skapa inbjudningslistan från nätverket")
    expect(page.locator("#count-invited")).to_have_text("2")
    expect(page.locator("#count-unsent")).to_have_text("2")
    expect(page.locator("#body-group")).to_contain_text("2")
    confirm_admin_action(page, "Skicka inbjudningar …", "Ja, skicka inbjudningarna")
    expect(page.locator("#count-unsent")).to_have_text("0")
    expect(page.locator("#progress-sent")).to_have_text("2")
    assert_accessible(page)
    meeting.refresh_from_db()
    assert meeting.status == NetworkMeeting.Status.PUBLISHED
    assert OutboundEmail.objects.filter(kind="meetings.invitation").count() == 2

    # The public pages show the published meeting.
    public = new_page()
    public.goto("/natverksmoten/")
    expect(public.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(public)
    with public.expect_navigation():
        public.get_by_role("link", name=TITLE).click()
    expect(public).to_have_url(f"{live_server.url}/natverksmoten/{meeting.pk}/")
    expect(public.locator("main h1")).to_have_text(TITLE)
    expect(public.locator("table.agenda")).to_contain_text("Välkommen och fika")
    assert_accessible(public)

    # The coordinator opens the link in the e-mail, not logged in, and answers with the
    # keyboard alone.
    link = answer_link(coordinator.email)
    assert link.startswith(f"{live_server.url}/natverksmoten/svar/")
    invitee = new_page()
    invitee.goto(link)
    expect(invitee.locator("main h1")).to_contain_text(TITLE)
    answer_status = invitee.get_by_role("region", name="Ditt svar").get_by_role("status")
    expect(answer_status).to_have_text("Du har inte svarat än.")
    assert_accessible(invitee)

    tab_to(invitee, "#id_answer_0")
    expect(invitee.locator("#id_answer_0")).to_have_accessible_name("Ja, jag kommer")
    invitee.keyboard.press("Space")
    expect(invitee.locator("#id_answer_0")).to_be_checked()
    invitee.keyboard.press("Tab")
    expect(invitee.locator("#id_dietary_needs")).to_be_focused()
    invitee.keyboard.type(DIETARY_NEED)
    tab_to(invitee, "main form button[type=submit]")
    with invitee.expect_response(lambda r: r.request.method == "POST") as posted:
        invitee.keyboard.press("Enter")
    assert posted.value.status != 403, ANSWER_REFUSED
    invitee.wait_for_load_state()

    expect(invitee).to_have_url(link)
    expect(invitee.locator("main")).to_contain_text("Tack! Vi har fått ditt svar.")
    expect(answer_status).to_have_text("Du har svarat att du kommer.")
    expect(invitee.locator("#id_answer_0")).to_be_checked()
    expect(invitee.locator("#id_dietary_needs")).to_have_value(DIETARY_NEED)
    assert_accessible(invitee)
    invitation = Invitation.objects.get(meeting=meeting, email=coordinator.email)
    assert invitation.answer == Invitation.Answer.YES
    assert invitation.dietary_needs == DIETARY_NEED
    confirmation = OutboundEmail.objects.get(kind="meetings.confirmation", to=coordinator.email)
    assert "PARTSTAT=ACCEPTED" in confirmation.attachments[0]["content"]

    # Back in the admin, staff see the answer, the counts and the attendees list.
    page.reload()
    row = page.locator("#invitations tbody tr", has_text=coordinator.email)
    expect(row.locator("td.answer")).to_have_text("Kommer")
    expect(row).to_contain_text(DIETARY_NEED)
    other_row = page.locator("#invitations tbody tr", has_text=other_coordinator.email)
    expect(other_row.locator("td.answer")).to_have_text("Inte svarat än")
    expect(page.locator("#count-yes")).to_have_text("1")
    expect(page.locator("#count-no")).to_have_text("0")
    expect(page.locator("#count-pending")).to_have_text("1")

    csv_link = page.get_by_role("link", name="Ladda ner deltagarlistan (CSV)")
    csv_url = f"/admin/meetings/networkmeeting/{meeting.pk}/deltagare.csv"
    expect(csv_link).to_have_attribute("href", csv_url)
    response = page.request.get(live_server.url + csv_url)
    assert response.ok, response.status
    assert response.headers["content-type"].startswith("text/csv")
    body = response.body()
    assert body.startswith(b"\xef\xbb\xbf"), "the CSV has no UTF-8 byte order mark"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2, rows  # the header and the one who is coming
    assert rows[1][0] == coordinator.display_name
    assert rows[1][1] == coordinator.email
    assert rows[1][4] == "Kommer"
    assert rows[1][5] == DIETARY_NEED
