"""Everything a visitor needs can be done with the keyboard alone."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from allas.models import OutboundEmail

MAX_TABS = 40

# The portal's own focus ring (static/css/allas.css): a 3px outline, visible on the green
# header and on white. Bootstrap's faint box-shadow does not count.
HAS_FOCUS_RING = """element => {
    const style = getComputedStyle(element);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, selector: str) -> Locator:
    """Presses Tab until the element is focused; fails if it is not reached."""
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if is_focused(target):
            return target
    pytest.fail(f"{selector} was not reached with {MAX_TABS} presses of Tab", pytrace=False)


def test_skip_link_is_reached_first_and_moves_focus_to_main(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is off screen"

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(re.compile("#main$"))


def test_language_switch_works_with_the_keyboard(page: Page) -> None:
    page.goto("/mal/")
    tab_to(page, "button[name=language][value=en]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile("/mal/$"))

    tab_to(page, "button[name=language][value=sv]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_signup_form_can_be_filled_and_sent_with_the_keyboard(page: Page) -> None:
    page.goto("/konto/signup/")
    tab_to(page, "#id_email")
    page.keyboard.type("tangentbord@example.se")
    # The fields follow each other in the tab order, in the order they are shown.
    for field, text in [
        ("#id_display_name", "Tangent"),
        ("#id_password1", "Bara-tangentbord-2026"),
        ("#id_password2", "Bara-tangentbord-2026"),
    ]:
        page.keyboard.press("Tab")
        expect(page.locator(field)).to_be_focused()
        page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/konto/confirm-email/$"))
    expect(page.locator("main h1")).to_be_visible()
    assert OutboundEmail.objects.filter(to="tangentbord@example.se").exists()


@pytest.mark.parametrize(
    "path",
    ["/", "/konto/signup/", "/tillganglighet/"],
    ids=["the home page", "the signup page", "the accessibility statement"],
)
def test_every_control_reached_with_tab_shows_the_focus_ring(page: Page, path: str) -> None:
    page.goto(path)
    without_ring = []
    for _ in range(MAX_TABS * 2):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if not focused.count():  # past the last control
            break
        if not focused.evaluate(HAS_FOCUS_RING):
            without_ring.append(focused.evaluate("element => element.outerHTML.slice(0, 100)"))
    assert not without_ring, "no visible focus ring on:\n" + "\n".join(without_ring)


# Whether the focused element can be seen: the point at its middle belongs to it (or to its
# label), not to something drawn over it, such as a sticky header or column (WCAG 2.4.11).
FOCUS_SEEN = """element => {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) return true;
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    return !top || element.contains(top) || top.contains(element)
        || [...(element.labels || [])].some(label => label.contains(top));
}"""


def focus_hidden_while_tabbing(page: Page, tabs: int) -> list[str]:
    hidden = []
    for _ in range(tabs):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if not focused.count():
            break
        if not focused.evaluate(FOCUS_SEEN):
            hidden.append(focused.evaluate("element => element.outerHTML.slice(0, 100)"))
    return hidden


@pytest.mark.parametrize("width", [375, 1280])
def test_focus_is_never_hidden_behind_a_sticky_part_of_the_page(
    page: Page, width: int, staff
) -> None:
    """The proposal page keeps its support box in view as the page scrolls (sticky), and the
    admin keeps its side menu: tabbing through either, every control is seen."""
    from proposals.services import comment_create, proposal_create
    from tests.factories import PASSWORD, UserFactory, locality

    from .conftest import log_in

    author = UserFactory()
    proposal = proposal_create(
        author=author, locality=locality("storebro"), title="Belysning", body="Mörkt.\n" * 40
    )
    for n in range(12):
        comment_create(proposal=proposal, author=UserFactory(), body=f"Kommentar {n}.\n" * 4)
    page.set_viewport_size({"width": width, "height": 700})
    # Each focus is checked where it lands, not while the page still scrolls smoothly to it.
    page.emulate_media(reduced_motion="reduce")
    log_in(page, staff.email, PASSWORD)
    hidden = []
    for path in (proposal.get_absolute_url(), "/admin/proposals/proposal/"):
        page.goto(path)
        hidden += [f"{path}: {h}" for h in focus_hidden_while_tabbing(page, MAX_TABS * 3)]
    assert not hidden, "focus hidden behind something drawn over it:\n" + "\n".join(hidden)
