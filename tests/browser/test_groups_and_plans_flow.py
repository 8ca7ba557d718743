"""A development group at work, driven with the keyboard: a resident joins Storebro's group
and its coordinator approves by the link in the e-mail; the coordinator writes a plan,
publishes it, and the public sees it on the ort page and on the SLUS goal pages."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from allas.models import OutboundEmail
from groups.models import Action, Membership, Plan
from tests.browser.conftest import assert_accessible, sign_up, verification_link
from tests.factories import PASSWORD

RESIDENT_EMAIL = "ny.medlem@example.se"
RESIDENT_PASSWORD = "Storebro-Sommar-2026"
MAX_TABS = 80


# Keyboard helpers: fields are focused and typed into, everything that is pressed is
# reached with Tab and pressed with Enter or Space.


def tab_to(page: Page, target: Locator) -> None:
    """Presses Tab until `target` has the focus; fails if it is never reached."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} was not reached with {MAX_TABS} presses of Tab", pytrace=False)


def press_enter_on(page: Page, target: Locator) -> None:
    """Tabs to a link or button, presses Enter and waits for the next page."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page: Page, field: Locator, text: str) -> None:
    field.focus()
    page.keyboard.press("ControlOrMeta+a")  # replace what the field held
    page.keyboard.type(text)
    expect(field).to_have_value(text)


def tick(page: Page, box: Locator) -> None:
    """Checks a checkbox or chooses a radio button with the space bar."""
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def choose_in_select(page: Page, select: Locator, label: str, value: str) -> None:
    """Chooses an option of a focused <select> by typing the start of its label."""
    select.focus()
    page.keyboard.type(label)
    expect(select).to_have_value(value)


def enter_date(field: Locator, iso_date: str) -> None:
    """Fills in an <input type=date>. Not typed: the order of the day, month and year
    segments follows the browser's own language (Debian's Chromium shows mm/dd/yyyy
    whatever the page's locale), so the keystrokes would depend on the machine."""
    field.fill(iso_date)
    expect(field).to_have_value(iso_date)


def log_in_with_keyboard(page: Page, email: str, password: str) -> None:
    page.goto("/konto/login/")
    assert_accessible(page)
    type_into(page, page.locator("#id_login"), email)
    type_into(page, page.locator("#id_password"), password)
    press_enter_on(page, page.locator("main form button[type=submit]"))
    expect(page.locator("header a[href='/konto/profil/']")).to_be_visible()
    assert_accessible(page)


def link_in(message: OutboundEmail, path_pattern: str) -> str:
    assert message.status == OutboundEmail.Status.SENT, message.last_error
    match = re.search(rf"https?://\S+{path_pattern}", message.body_text)
    assert match, f"no link to {path_pattern} in:\n{message.body_text}"
    return match.group(0)


def count_in_row(table: Locator, row_label: str) -> Locator:
    """The count cell of the row whose header is `row_label` in a make-up table."""
    row = table.locator("tbody tr").filter(
        has=table.page.get_by_role("rowheader", name=row_label, exact=True)
    )
    return row.locator("td").first


def test_resident_joins_storebro_and_coordinator_approves_by_the_emailed_link(
    page: Page, new_page, live_server, settings, coordinator
) -> None:
    settings.SITE_URL = live_server.url

    # The resident signs up, verifies the address and logs in.
    page.goto("/konto/signup/")
    assert_accessible(page)
    sign_up(page, RESIDENT_EMAIL, RESIDENT_PASSWORD)
    assert_accessible(page)
    page.goto(verification_link(RESIDENT_EMAIL, live_server.url))
    assert_accessible(page)
    press_enter_on(page, page.locator("main form button[type=submit]"))
    expect(page).to_have_url(f"{live_server.url}/konto/login/")
    log_in_with_keyboard(page, RESIDENT_EMAIL, RESIDENT_PASSWORD)

    # ... asks to join Storebro's group.
    page.goto("/orter/storebro/")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("Gruppen har 1 medlem.")
    expect(page.locator(".member-names")).to_have_count(0)  # names are for members only
    press_enter_on(page, page.get_by_role("link", name="Gå med i gruppen"))
    expect(page).to_have_url(f"{live_server.url}/orter/storebro/bli-medlem/")
    assert_accessible(page)
    tick(page, page.locator("input[name=sector][value=business]"))
    choose_in_select(page, page.locator("#id_age_band"), "30", "30_49")
    type_into(page, page.locator("#id_motivation"), "Jag driver kaféet vid torget.")
    press_enter_on(page, page.get_by_role("button", name="Skicka ansökan"))
    expect(page).to_have_url(f"{live_server.url}/orter/storebro/")
    expect(page.locator("main .alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Du har ansökt om att gå med")
    assert_accessible(page)

    request = Membership.objects.get(user__email=RESIDENT_EMAIL, group__locality__slug="storebro")
    assert request.status == Membership.Status.PENDING
    assert (request.sector, request.age_band) == ("business", "30_49")

    # The coordinator is told by e-mail and follows the link in it.
    notice = OutboundEmail.objects.get(kind="groups.join_request", to=coordinator.email)
    link = link_in(notice, r"/orter/storebro/grupp/#ansokan-\d+")
    assert link == f"{live_server.url}/orter/storebro/grupp/#ansokan-{request.pk}"
    assert "Ny invånare" in notice.body_text

    coordinators_page = new_page()
    log_in_with_keyboard(coordinators_page, coordinator.email, PASSWORD)
    coordinators_page.goto(link)
    assert_accessible(coordinators_page)
    application = coordinators_page.locator(f"#ansokan-{request.pk}")
    expect(application).to_contain_text("Ny invånare")
    expect(application).to_contain_text("Jag driver kaféet vid torget.")
    type_into(coordinators_page, application.locator("textarea"), "Välkommen i gruppen!")
    press_enter_on(coordinators_page, application.get_by_role("button", name="Godkänn Ny invånare"))
    expect(coordinators_page.locator("main .alert-success")).to_contain_text(
        "Ny invånare är nu medlem i gruppen."
    )
    expect(coordinators_page.locator(f"#ansokan-{request.pk}")).to_have_count(0)
    assert_accessible(coordinators_page)

    request.refresh_from_db()
    assert request.status == Membership.Status.ACTIVE
    assert request.decided_by == coordinator

    # The resident is told, and now sees the other members and is counted.
    decision = OutboundEmail.objects.get(kind="groups.join_decision", to=RESIDENT_EMAIL)
    assert link_in(decision, "/orter/storebro/") == f"{live_server.url}/orter/storebro/"
    assert "Välkommen i gruppen!" in decision.body_text

    page.reload()
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("Du är medlem i gruppen.")
    names = page.locator("ul.member-names li")
    expect(names).to_have_count(2)
    expect(names.filter(has_text="Samordnare Berg (samordnare)")).to_have_count(1)
    expect(names.filter(has_text="Ny invånare")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Gruppen har 2 medlemmar.")
    by_sector = page.locator("table.composition-table").filter(has_text="Medlemmar per sektor")
    expect(count_in_row(by_sector, "Näringslivet")).to_have_text("1")
    expect(count_in_row(by_sector, "Landsbygdsrådet")).to_have_text("1")
    expect(count_in_row(by_sector, "Föreningslivet")).to_have_text("0")
    by_age = page.locator("table.composition-table").filter(has_text="Medlemmar per åldersgrupp")
    expect(count_in_row(by_age, "30–49")).to_have_text("1")


ACTIONS = [
    # title, SLUS areas, status (label to type, value), progress, start, end
    ("Bättre busstider till Vimmerby", ["Kontakt"], ("Pågår", "ongoing"), "40", "03-01", "09-30"),
    ("Fiber till byarna runt Storebro", ["Kontakt"], ("Plan", "planned"), "0", "05-01", "12-31"),
    ("Ny lekplats vid skolan", ["Leva"], ("Pågår", "ongoing"), "75", "04-15", "08-31"),
]


def add_action(page: Page, year: int, title, areas, status, progress, start, end) -> None:
    press_enter_on(page, page.get_by_role("link", name="Lägg till en åtgärd"))
    assert_accessible(page)
    type_into(page, page.locator("#id_title"), title)
    type_into(page, page.locator("#id_description"), f"{title}: ett av gruppens mål för {year}.")
    for area in areas:
        tick(page, page.get_by_role("checkbox", name=re.compile(rf"^{area} –")))
    choose_in_select(page, page.locator("#id_status"), *status)
    type_into(page, page.locator("#id_responsible"), "Storebro utvecklingsgrupp")
    enter_date(page.locator("#id_start_date"), f"{year}-{start}")
    enter_date(page.locator("#id_end_date"), f"{year}-{end}")
    type_into(page, page.locator("#id_progress"), progress)
    press_enter_on(page, page.get_by_role("button", name="Spara"))
    expect(page.locator("main .alert-success")).to_contain_text("Åtgärden är tillagd i planen.")
    assert_accessible(page)


def test_coordinator_writes_a_plan_with_three_actions_in_two_areas_and_publishes_it(
    page: Page, new_page, live_server, coordinator
) -> None:
    year = timezone.localdate().year
    titles = [title for title, *_ in ACTIONS]

    # The coordinator starts this year's plan.
    log_in_with_keyboard(page, coordinator.email, PASSWORD)
    page.goto("/orter/storebro/plan/")
    assert_accessible(page)
    press_enter_on(page, page.get_by_role("link", name="Börja på ett nytt års plan"))
    expect(page).to_have_url(f"{live_server.url}/orter/storebro/plan/ny/")
    assert_accessible(page)
    expect(page.locator("#id_year")).to_have_value(str(year))
    type_into(page, page.locator("#id_needs"), "Storebro behöver bättre kommunikationer.")
    press_enter_on(page, page.get_by_role("button", name="Skapa planen"))
    expect(page).to_have_url(f"{live_server.url}/orter/storebro/plan/{year}/")
    expect(page.locator("main h1")).to_contain_text(f"Handlingsplan {year}")
    assert_accessible(page)

    # ... adds three actions, two for "Kontakt" and one for "Leva" ...
    for action in ACTIONS:
        add_action(page, year, *action)
    expect(page.locator("ol.action-list > li h3")).to_have_text(titles)

    # ... and publishes the plan.
    press_enter_on(page, page.get_by_role("button", name="Publicera planen"))
    expect(page.locator("main .alert-success")).to_contain_text("Planen är publicerad.")
    assert_accessible(page)

    plan = Plan.objects.get(group__locality__slug="storebro", year=year)
    assert plan.is_published
    assert plan.needs == "Storebro behöver bättre kommunikationer."
    saved = {a.title: a for a in Action.objects.filter(plan=plan).prefetch_related("goals")}
    assert sorted(saved) == sorted(titles)
    for title, areas, (_label, status), progress, start, end in ACTIONS:
        action = saved[title]
        assert [goal.short_name for goal in action.goals.all()] == areas
        assert (action.status, action.progress) == (status, int(progress))
        assert (str(action.start_date), str(action.end_date)) == (
            f"{year}-{start}",
            f"{year}-{end}",
        )

    # A visitor who is not logged in sees the plan on the ort page ...
    visitor = new_page()
    visitor.goto("/orter/storebro/")
    assert_accessible(visitor)
    plan_panel = visitor.locator("section[aria-labelledby=plan-heading]")
    expect(plan_panel.get_by_role("link", name=f"Handlingsplan {year}")).to_be_visible()
    expect(plan_panel.locator("tbody tr td:first-child")).to_have_text(titles)

    # ... on the pages of the two SLUS areas ...
    for path, expected in [("/mal/kontakt/", titles[:2]), ("/mal/leva/", titles[2:])]:
        visitor.goto(path)
        assert_accessible(visitor)
        goal_panel = visitor.locator("section[aria-labelledby=goal-actions-heading]")
        expect(goal_panel.get_by_role("heading", name="Storebro")).to_be_visible()
        expect(goal_panel.locator("li > a")).to_have_text(expected)

    # ... and in the matrix of actions per ort and area.
    visitor.goto("/mal/")
    assert_accessible(visitor)
    matrix = visitor.locator("table.goal-matrix")
    columns = matrix.locator("thead th").all_inner_texts()
    storebro = matrix.locator("tbody tr").filter(
        has=visitor.get_by_role("rowheader", name="Storebro", exact=True)
    )
    cells = storebro.locator("th, td")
    expect(cells.nth(columns.index("Kontakt")).locator(".cell-total")).to_have_text("2")
    expect(cells.nth(columns.index("Leva")).locator(".cell-total")).to_have_text("1")
    expect(cells.last).to_have_text("3")  # the row total counts each action once
