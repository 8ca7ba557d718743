"""A resident finds things in Swedish by keyboard on a 320 px phone, with and without
JavaScript: the whole portal's search and the proposals list's search."""

import pytest
from playwright.sync_api import Page, expect

from allas.models import Locality
from proposals.models import Proposal
from tests.browser.conftest import assert_accessible
from tests.browser.test_proposals_flow import press_enter_and_wait, tab_to, type_into
from tests.factories import UserFactory

NARROW = {"width": 320, "height": 720}


@pytest.fixture
def proposals(db):
    author = UserFactory()
    storebro = Locality.objects.get(slug="storebro")
    made = Proposal.objects.bulk_create(
        [
            Proposal(
                author=author, locality=storebro, title="Belysning längs cykelvägen", body="Mörkt."
            ),
            Proposal(
                author=author, locality=storebro, title="Ny lekplats i parken", body="Gungor."
            ),
        ]
    )
    Proposal.objects.filter(pk__in=[p.pk for p in made]).update_search_vectors()
    return made


def fits_320(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide"


LABEL = "Sök bland förslag, handlingsplaner, möten och orter"


def test_a_resident_finds_a_compound_from_its_last_part_by_keyboard(page: Page, proposals) -> None:
    page.set_viewport_size(NARROW)
    page.goto("/sok/")
    assert_accessible(page)
    fits_320(page)
    type_into(page, page.get_by_label(LABEL), "vägen")
    tab_to(page, page.get_by_role("button", name="Sök", exact=True))
    press_enter_and_wait(page)
    results = page.get_by_role("region", name="Förslag")
    expect(results).to_contain_text("Belysning längs cykelvägen")
    expect(results.locator("mark")).to_have_text("cykelvägen")
    expect(results).not_to_contain_text("lekplats")
    assert_accessible(page)
    fits_320(page)


def test_the_search_works_without_javascript(new_page, proposals) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/sok/")
    page.get_by_label(LABEL).fill("belysnig")
    with page.expect_navigation():
        page.get_by_label(LABEL).press("Enter")
    expect(page.get_by_role("region", name="Förslag")).to_contain_text("Belysning längs cykelvägen")


def test_the_proposals_list_marks_what_matched_and_links_to_the_whole_search(
    page: Page, proposals
) -> None:
    page.set_viewport_size(NARROW)
    page.goto("/forslag/?q=lekplatser")
    expect(page.locator(".proposal-card mark")).to_have_text("lekplats")
    assert_accessible(page)
    fits_320(page)
    page.get_by_role("link", name="Sök efter ”lekplatser” i hela portalen").click()
    expect(page.get_by_role("region", name="Förslag")).to_contain_text("Ny lekplats i parken")
