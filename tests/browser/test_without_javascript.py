"""The portal is server-rendered: with JavaScript off, every page and the main flow work."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from allas.models import User
from tests.browser.conftest import (
    log_in,
    sign_up,
    submit_main_form,
    switch_language,
    verification_link,
)
from tests.browser.test_accessibility import PAGES

EMAIL = "utan.javascript@example.se"
PASSWORD = "Inget-skript-2026"


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page(java_script_enabled=False)


@pytest.mark.parametrize("open_page", PAGES.values(), ids=PAGES.keys())
def test_page_works_without_javascript(page: Page, open_page: Callable[[Page], None]) -> None:
    open_page(page)
    expect(page.locator("main h1")).to_be_visible()


def test_resident_signs_up_and_switches_language_without_javascript(
    page: Page, live_server
) -> None:
    page.goto("/konto/signup/")
    sign_up(page, EMAIL, PASSWORD)
    page.goto(verification_link(EMAIL, live_server.url))
    submit_main_form(page)
    log_in(page, EMAIL, PASSWORD)

    switch_language(page, "en")
    assert User.objects.get(email=EMAIL).language == "en"
    switch_language(page, "sv")
    assert User.objects.get(email=EMAIL).language == "sv"
