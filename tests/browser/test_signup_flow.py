"""A new resident's first visit, from signing up to reading the portal in English."""

import re

from playwright.sync_api import Page, expect

from allas.models import Locality, User
from tests.browser.conftest import (
    assert_accessible,
    log_in,
    sign_up,
    submit_main_form,
    switch_language,
    verification_link,
)

EMAIL = "ny.invanare@example.se"
PASSWORD = "Vimmerby-Sommar-2026"


def test_new_resident_signs_up_verifies_logs_in_and_switches_language(
    page: Page, live_server
) -> None:
    page.goto("/konto/signup/")
    assert_accessible(page)
    sign_up(page, EMAIL, PASSWORD, home_ort="Storebro")
    assert_accessible(page)
    user = User.objects.get(email=EMAIL)
    assert user.display_name == "Ny invånare"
    assert user.home_locality == Locality.objects.get(slug="storebro")
    assert user.language == "sv"

    page.goto(verification_link(EMAIL, live_server.url))
    assert_accessible(page)
    submit_main_form(page)
    assert user.emailaddress_set.get(email=EMAIL).verified

    expect(page).to_have_url(f"{live_server.url}/konto/login/")
    assert_accessible(page)
    log_in(page, EMAIL, PASSWORD)
    profile_link = page.locator("header a[href='/konto/profil/']")
    expect(profile_link).to_contain_text(re.compile("Min profil|My profile"))
    assert_accessible(page)

    switch_language(page, "en")
    expect(profile_link).to_contain_text("My profile")
    expect(page.locator("header")).to_contain_text("Log out")
    assert_accessible(page)
    user.refresh_from_db()
    assert user.language == "en"

    switch_language(page, "sv")
    assert_accessible(page)
    user.refresh_from_db()
    assert user.language == "sv"
