"""The register extract as a page: readable on a phone, accessible, printed as a record
without the site's navigation, and its file downloaded from it."""

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_phones import check_pages
from tests.factories import PASSWORD
from tests.test_personal_data import FILE, PAGE, active_resident  # noqa: F401 (a fixture)


def test_the_page_of_my_data_is_accessible_and_fits_at_320_px(page: Page, active_resident):  # noqa: F811
    log_in(page, active_resident["person"].email, PASSWORD)
    page.goto(PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Allt vi sparar om dig")
    assert_accessible(page)
    # 320, 375 and 1280 px: no sideways scroll, nothing cut off, axe at the narrow widths.
    check_pages(page, [PAGE])


def test_the_page_prints_the_record_without_the_navigation(page: Page, active_resident):  # noqa: F811
    log_in(page, active_resident["person"].email, PASSWORD)
    page.emulate_media(media="print")
    try:
        page.goto(PAGE)
        expect(page.locator("main h1")).to_be_visible()
        for title in ["Medlemskap", "Dina förslag", "Anmälningar till gruppernas möten"]:
            expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
        expect(page.get_by_text("Min kommentar")).to_be_visible()
        for hidden in ["header.site-header", "footer.site-footer", "main nav"]:
            expect(page.locator(hidden)).to_be_hidden()
        expect(page.get_by_role("link", name="Ladda ner som fil")).to_be_hidden()
        # An entry is never cut in two by a page break.
        breaks = page.locator(".my-data-entry").evaluate_all(
            "entries => entries.map(e => getComputedStyle(e).breakInside)"
        )
        assert breaks and set(breaks) == {"avoid"}
        width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert width <= 0
    finally:
        page.emulate_media(media="screen")


def test_the_file_is_downloaded_from_the_page(page: Page, active_resident, tmp_path: Path):  # noqa: F811
    log_in(page, active_resident["person"].email, PASSWORD)
    page.goto(PAGE)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som fil").click()
    assert download.value.suggested_filename == "mina-uppgifter-allas-vimmerby.json"
    saved = tmp_path / "data.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["förslag"][0]["rubrik"] == "Mitt förslag"
    assert FILE in page.get_by_role("link", name="Ladda ner som fil").get_attribute("href")


def test_a_visitor_is_asked_to_log_in_first(page: Page):
    page.goto(PAGE)
    expect(page).to_have_url(re.compile(r"/konto/login/\?next="))
