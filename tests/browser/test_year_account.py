"""The year's account in Chromium: accessible with and without data, no sideways scroll
on a 320 px phone, usable by keyboard, and printed as an A4 report whose every page
carries the municipality's name, the year and its page number."""

import io
import re

from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from tests.browser.conftest import assert_accessible
from tests.year_account.conftest import year_data  # noqa: F401  (a fixture)

A4 = (595, 842)  # points, give or take one


def test_account_with_data_is_accessible_and_prints_as_an_a4_report(page, year_data):  # noqa: F811
    page.goto(f"/uppfoljning/{year_data}/")
    assert page.locator("svg[role=img]").count() == 3
    assert_accessible(page)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 1
    municipality = settings.MUNICIPALITY["name"]
    for number, sheet in enumerate(pages, start=1):
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2
        text = sheet.extract_text()
        assert municipality in text, (number, text[:200])
        assert str(year_data) in text, (number, text[:200])
        assert re.search(rf"(^|\n){number} / {len(pages)}(\n|$)", text), (number, text[:200])


def test_year_without_data_is_accessible_and_says_so(page, db):
    year = timezone.localdate().year
    page.goto(f"/uppfoljning/{year}/")
    assert page.locator("svg[role=img]").count() == 0
    assert page.locator(".ya-empty").count() == 1
    assert_accessible(page)


def test_account_fits_a_320_px_screen_without_sideways_scroll(new_page, year_data):  # noqa: F811
    page = new_page(viewport={"width": 320, "height": 640})
    page.goto(f"/uppfoljning/{year_data}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


def test_account_is_used_by_keyboard_alone(page, year_data):  # noqa: F811
    this_year = timezone.localdate().year
    page.goto(f"/uppfoljning/{this_year}/")
    target = f"/uppfoljning/{year_data}/"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == target:
            break
    else:
        raise AssertionError(f"the link to {year_data} was never reached by Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(target)
    # The downloads are links the keyboard reaches too.
    page.get_by_role("link", name=re.compile(r"CSV")).focus()
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith(".csv")
