"""The proposal page with its whole path (answered, lifted, registered with a case number
and a corrected one, decided with a link, and the plan's action) passes axe-core (WCAG 2.0,
2.1 and 2.2 A/AA), fits 320 px without sideways scroll, reads in order as a list, and
prints with the timeline and without the buttons; a coordinator's page offers the next
step as a link that works by keyboard."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE, WCAG_TAGS, log_in
from tests.browser.test_dialogue_accessibility import SIDEWAYS
from tests.factories import PASSWORD, UserFactory
from tests.proposals.conftest import make_proposal
from tests.proposals.test_path_timeline import whole_path

pytestmark = pytest.mark.django_db(transaction=True)

PORTAL_AXE = {
    "runOnly": {"type": "tag", "values": [*WCAG_TAGS, "wcag22a", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def assert_axe_passes(page) -> None:
    violations = AXE.run(page, options=PORTAL_AXE).response["violations"]
    found = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']]}" for v in violations]
    assert found == [], f"axe-core on {page.url}:\n" + "\n".join(found)


@pytest.fixture
def author(db):
    return UserFactory(display_name="Förslags Ställare")


@pytest.fixture
def decided(author, coordinator, staff):
    proposal = make_proposal(author)
    whole_path(proposal, coordinator, staff)
    return proposal


@pytest.mark.parametrize("width", [320, 1280])
def test_the_whole_path_passes_axe_and_fits_the_width(new_page, decided, width):
    page = new_page(viewport={"width": width, "height": 800})
    page.goto(decided.get_absolute_url())
    path = page.get_by_role("region", name="Det här har hänt")
    steps = path.locator("ol.history > li")
    # Submitted, accepted, lifted, registered, decided: nothing left "not yet".
    expect(steps).to_have_count(5)
    expect(steps.nth(3)).to_contain_text("KS 2026/123")
    expect(path.locator("#beslut a")).to_have_attribute("href", decided.municipal_case.decision_url)
    expect(path.get_by_role("region", name="I gruppens plan")).to_contain_text("60 %")
    assert page.evaluate(SIDEWAYS) is None
    assert_axe_passes(page)


def test_the_path_prints_without_the_buttons(new_page, decided, coordinator):
    page = new_page()
    log_in(page, coordinator.email, PASSWORD, next_url=decided.get_absolute_url())
    actions = page.locator(".path-actions")
    expect(actions).to_be_visible()
    page.emulate_media(media="print")
    expect(actions).to_be_hidden()
    expect(page.locator("#diarienummer")).to_be_visible()
    expect(page.locator("#beslut")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_a_coordinator_reaches_the_lift_page_by_keyboard(new_page, author, coordinator):
    proposal = make_proposal(author)
    page = new_page()
    log_in(page, coordinator.email, PASSWORD, next_url=proposal.get_absolute_url())
    link = page.locator(".path-actions a")
    expect(link).to_have_attribute("href", f"/forslag/{proposal.pk}/lyft/")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/forslag/{proposal.pk}/lyft/")
