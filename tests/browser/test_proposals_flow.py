"""A proposal's whole life in Södra Vi, done with the keyboard: a resident sends it, two
neighbours support it and comment, the ort's coordinator answers it and links it to the plan.
Every page on the way has no axe-core violations."""

import re
from collections import Counter
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from allas.models import OutboundEmail, SlusGoal, User
from groups.models import Action, DevelopmentGroup
from groups.plans.services import action_create, plan_create, plan_set_published
from notifications.models import Notice
from notifications.preferences import settings_save
from proposals.models import Proposal
from proposals.services import proposal_create
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, locality, membership

TITLE = "Belysning på cykelvägen"
BODY = (
    "Cykelvägen mellan skolan och idrottsplatsen är helt mörk på vinterkvällarna. "
    "Kan vi få belysning längs den?"
)
ANSWER = "Gruppen tar med belysningen i årets plan och söker pengar från kommunen i vår."
ACTION_TITLE = "Belysning längs cykelvägen vid skolan"
GROUP_NAME = "Utvecklingsgruppen i Södra Vi"
MAX_TABS = 40


# -- the keyboard ------------------------------------------------------------------------


def tab_to(page: Page, target: Locator) -> None:
    """Presses Tab until `target` has focus; fails if it is not reached."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} was not reached with {MAX_TABS} presses of Tab", pytrace=False)


def type_into(page: Page, field: Locator, text: str) -> None:
    field.focus()
    page.keyboard.type(text)


def choose(page: Page, select: Locator, label: str) -> None:
    """Picks an option of a closed <select> with the arrow keys, as a keyboard user does."""
    labels = [text.strip() for text in select.locator("option").all_text_contents()]
    assert label in labels, f"{label!r} is not among the options {labels}"
    select.focus()
    steps = labels.index(label) - select.evaluate("select => select.selectedIndex")
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    expect(select.locator("option:checked")).to_have_text(label)


def press_enter_and_wait(page: Page) -> None:
    """Presses Enter on the focused button and waits for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_in_as(page: Page, user: User) -> None:
    """Logs in with conftest's helper (the login form's own axe check is in
    test_accessibility.py) and checks the page it lands on."""
    log_in(page, user.email, PASSWORD)
    assert_accessible(page)


def main_message(page: Page) -> Locator:
    return page.locator("main .messages")


# -- the steps -----------------------------------------------------------------------------


def make_the_proposal(page: Page) -> Proposal:
    page.goto("/forslag/nytt/?ort=sodra-vi")
    assert_accessible(page)
    expect(page.locator("#id_locality")).to_have_value(str(locality("sodra-vi").pk))

    type_into(page, page.locator("#id_title"), TITLE)
    page.keyboard.press("Tab")
    expect(page.locator("#id_body")).to_be_focused()
    page.keyboard.type(BODY)
    infrastructure = page.get_by_role("checkbox", name=re.compile("infrastruktur"))
    tab_to(page, infrastructure)
    page.keyboard.press("Space")
    expect(infrastructure).to_be_checked()

    # The notice is on screen before sending, and the send button points to it.
    notice = page.locator("#public-record-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Det du skickar blir en allmän handling")
    send = page.get_by_role("button", name="Skicka förslaget")
    expect(send).to_have_attribute("aria-describedby", "public-record-notice")
    tab_to(page, send)
    press_enter_and_wait(page)

    proposal = Proposal.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"/forslag/{proposal.pk}/$"))
    expect(main_message(page)).to_contain_text("Tack! Ditt förslag är publicerat.")
    expect(page.locator("main h1")).to_have_text(TITLE)
    assert_accessible(page)
    assert proposal.locality.slug == "sodra-vi"
    assert proposal.status == Proposal.Status.SUBMITTED
    assert list(proposal.goals.values_list("slug", flat=True)) == ["kontakt"]
    return proposal


def support_and_comment(page: Page, proposal: Proposal, comment: str, supporters: str) -> None:
    page.goto(proposal.get_absolute_url())
    assert_accessible(page)

    support = page.get_by_role("button", name="Stöd förslaget")
    support.focus()
    page.keyboard.press("Enter")  # htmx swaps the box in place
    expect(page.get_by_role("button", name="Ta tillbaka mitt stöd")).to_be_visible()
    expect(page.locator(".support-box")).to_contain_text(f"{supporters} stödjer förslaget")
    assert_accessible(page)

    type_into(page, page.get_by_role("textbox", name="Skriv en kommentar"), comment)
    tab_to(page, page.get_by_role("button", name="Publicera kommentaren"))
    press_enter_and_wait(page)
    expect(main_message(page)).to_contain_text("Din kommentar är publicerad.")
    expect(page.locator("#kommentarer")).to_contain_text(comment)
    assert_accessible(page)


def answer(page: Page, status: str, text: str = "", action: str = "") -> None:
    """Fills in "Svara på förslaget" on the open proposal page and sends it."""
    form = page.get_by_role("region", name="Svara på förslaget")
    expect(form).to_be_visible()
    choose(page, form.get_by_label("Ny status"), status)
    if text:
        type_into(page, form.get_by_label("Offentligt svar"), text)
    if action:
        choose(page, form.get_by_label("Koppla till en åtgärd i planen"), action)
    tab_to(page, form.get_by_role("button", name="Spara och publicera svaret"))
    press_enter_and_wait(page)
    expect(main_message(page)).to_contain_text("Statusen är ändrad och svaret publicerat.")
    expect(page.locator("main h1 + p .proposal-status")).to_have_text(status)
    assert_accessible(page)


# -- the test ------------------------------------------------------------------------------


@pytest.fixture
def sodra_vi_coordinator() -> User:
    coordinator = UserFactory(display_name="Samordnare Vik")
    membership(coordinator, slug="sodra-vi", role="coordinator")
    return coordinator


@pytest.fixture
def sodra_vi_action(sodra_vi_coordinator: User) -> Action:
    """Södra Vi's group has a published plan for 2026 with one action."""
    group = DevelopmentGroup.objects.get(locality__slug="sodra-vi")
    assert group.name == GROUP_NAME
    plan = plan_create(
        group=group,
        year=2026,
        needs="Tryggare vägar för barn och äldre.",
        goals=SlusGoal.objects.filter(slug="kontakt"),
        copy_unfinished=False,
        by=sodra_vi_coordinator,
    )
    plan_set_published(plan=plan, published=True, by=sodra_vi_coordinator)
    return action_create(
        plan=plan,
        goals=SlusGoal.objects.filter(slug="kontakt"),
        by=sodra_vi_coordinator,
        title=ACTION_TITLE,
        responsible="Gatuavdelningen",
        progress=10,
    )


def test_a_cycle_path_light_proposal_in_sodra_vi_goes_from_submitted_to_accepted_with_every_email(
    page: Page,
    new_page: Callable[..., Page],
    sodra_vi_coordinator: User,
    sodra_vi_action: Action,
) -> None:
    author = UserFactory(display_name="Författare Lind")
    resident_a = UserFactory(display_name="Invånare Ask")
    resident_b = UserFactory(display_name="Invånare Björk")
    elsewhere = proposal_create(
        author=UserFactory(), locality=locality("storebro"), title="Ny brygga vid sjön", body="…"
    )

    # The author sends the proposal.
    log_in_as(page, author)
    proposal = make_the_proposal(page)

    # Two neighbours, each in their own browser, support it and comment.
    for resident, comment, supporters in [
        (resident_a, "Ja! Mina barn cyklar där varje dag.", "1 person"),
        (resident_b, "Bra förslag, det är otryggt att gå där i mörkret.", "2 personer"),
    ]:
        neighbour = new_page()
        log_in_as(neighbour, resident)
        support_and_comment(neighbour, proposal, comment, supporters)
    proposal.refresh_from_db()
    assert (proposal.support_count, proposal.comment_count) == (2, 2)
    assert not OutboundEmail.objects.filter(kind="proposals.status_changed").exists()
    # One supporter wants answers at once; the other keeps the weekly digest.
    settings_save(user=resident_a, choices={"answers": "direct"})

    # Södra Vi's coordinator reviews it, then accepts it with an answer and the plan's action.
    group_page = new_page()
    log_in_as(group_page, sodra_vi_coordinator)
    group_page.goto(proposal.get_absolute_url())
    assert_accessible(group_page)
    answer(group_page, "Behandlas")
    answer(group_page, "Antaget", text=ANSWER, action=f"2026: {ACTION_TITLE}")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal.action == sodra_vi_action

    # The author and the supporter who chose "direct" heard of each step, the other
    # supporter has both in the weekly digest, and no one else heard anything.
    status_emails = OutboundEmail.objects.filter(
        kind__in=["proposals.status_changed", "notifications.answers"]
    )
    assert Counter(status_emails.values_list("to", flat=True)) == {
        author.email: 2,
        resident_a.email: 2,
    }
    assert Notice.objects.filter(user=resident_b, event="proposal_status").count() == 2
    for person in (author, resident_a):
        subjects = sorted(status_emails.filter(to=person.email).values_list("subject", flat=True))
        assert subjects == [f"”{TITLE}” är nu: Antaget", f"”{TITLE}” är nu: Behandlas"]
    assert set(status_emails.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
    accepted_emails = status_emails.filter(subject__endswith="Antaget")
    for body in accepted_emails.values_list("body_text", flat=True):
        assert ANSWER in body, f"the answer is missing from the e-mail:\n{body}"

    # The public history tells the whole story, in order, and points to the plan.
    page.goto(proposal.get_absolute_url())
    assert_accessible(page)
    history = page.get_by_role("region", name="Det här har hänt").locator("li")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Inkommet")
    expect(history.nth(1)).to_contain_text(f"Behandlas · {GROUP_NAME}")
    expect(history.nth(2)).to_contain_text(f"Antaget · {GROUP_NAME}")
    expect(history.nth(2).locator(".answer")).to_have_text(ANSWER)
    in_the_plan = page.get_by_role("region", name="I gruppens plan")
    action_link = in_the_plan.get_by_role("link", name=ACTION_TITLE)
    expect(action_link).to_have_attribute(
        "href", f"/orter/sodra-vi/plan/2026/#atgard-{sodra_vi_action.pk}"
    )
    action_link.focus()
    press_enter_and_wait(page)
    expect(page.locator(f"#atgard-{sodra_vi_action.pk}")).to_contain_text(ACTION_TITLE)
    assert_accessible(page)

    # The lists show it to everyone: all proposals, and Södra Vi's only.
    visitor = new_page()
    for path, listed in [
        ("/forslag/", [TITLE, elsewhere.title]),
        ("/forslag/?ort=sodra-vi", [TITLE]),
    ]:
        visitor.goto(path)
        assert_accessible(visitor)
        cards = visitor.locator("main .proposal-card")
        expect(cards.locator("h2")).to_have_text(listed)
        card = cards.filter(has_text=TITLE)
        expect(card.locator(".proposal-status")).to_have_text("Antaget")
        expect(card).to_contain_text("Södra Vi")
