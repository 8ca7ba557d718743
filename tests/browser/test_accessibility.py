"""axe-core finds no WCAG 2.1 A or AA violation on any page, in any state a visitor can
bring it to: errors showing, messages showing, logged in, in English."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in, submit_main_form, switch_language
from tests.factories import PASSWORD, UserFactory


def visit(path: str) -> Callable[[Page], None]:
    def open_path(page: Page) -> None:
        response = page.goto(path)
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )

    return open_path


def ort_without_population_figure(page: Page) -> None:
    visit("/orter/djursdala/")(page)
    expect(page.locator("main dd")).not_to_contain_text("2020")


def feedback_form_submitted_empty(page: Page) -> None:
    visit("/tillganglighet/")(page)
    submit_main_form(page)
    expect(page.locator("main .invalid-feedback").first).to_be_visible()


def feedback_form_sent(page: Page) -> None:
    visit("/tillganglighet/")(page)
    page.locator("input[name=kind][value=barrier]").check()
    page.locator("#id_message").fill("Knappen för språkbyte går inte att nå med skärmläsare.")
    submit_main_form(page)
    expect(page.locator("main .alert-success")).to_be_visible()


def login_with_wrong_password(page: Page) -> None:
    user = UserFactory()
    visit("/konto/login/")(page)
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill("inte-det-ratta-losenordet")
    submit_main_form(page)
    expect(page.locator("main .alert-danger, main .invalid-feedback").first).to_be_visible()


def signup_with_errors(page: Page) -> None:
    taken = UserFactory()
    visit("/konto/signup/")(page)
    page.locator("#id_email").fill(taken.email)
    page.locator("#id_display_name").fill("Anna")
    page.locator("#id_password1").fill("kort")
    page.locator("#id_password2").fill("kort")
    submit_main_form(page)
    expect(page.locator("main .invalid-feedback").first).to_be_visible()


def profile_when_logged_in(page: Page) -> None:
    log_in(page, UserFactory().email, PASSWORD)
    visit("/konto/profil/")(page)


def page_not_found(page: Page) -> None:
    response = page.goto("/orter/finns-inte/")
    assert response is not None and response.status == 404


def bad_request(page: Page) -> None:
    response = page.goto("/forslag/?q=cykel%00")
    assert response is not None and response.status == 400


def in_english(path: str) -> Callable[[Page], None]:
    def open_in_english(page: Page) -> None:
        visit(path)(page)
        switch_language(page, "en")

    return open_in_english


PAGES = {
    "the home page": visit("/"),
    "the list of orter": visit("/orter/"),
    "an ort with a population figure": visit("/orter/storebro/"),
    "an ort without a population figure": ort_without_population_figure,
    "the list of SLUS goals": visit("/mal/"),
    "a SLUS goal": visit("/mal/leva/"),
    "the accessibility statement": visit("/tillganglighet/"),
    "the accessibility feedback form submitted empty": feedback_form_submitted_empty,
    "the accessibility statement after feedback was sent": feedback_form_sent,
    "the privacy notice": visit("/personuppgifter/"),
    "the login page": visit("/konto/login/"),
    "the login page after a wrong password": login_with_wrong_password,
    "the signup page": visit("/konto/signup/"),
    "the signup page with validation errors": signup_with_errors,
    "the password reset page": visit("/konto/password/reset/"),
    "the profile page of a logged-in resident": profile_when_logged_in,
    "the page-not-found page": page_not_found,
    "the page for an address the portal cannot read": bad_request,
    "the home page in English": in_english("/"),
    "the signup page in English": in_english("/konto/signup/"),
}


@pytest.mark.parametrize("open_page", PAGES.values(), ids=PAGES.keys())
def test_has_no_accessibility_violations(page: Page, open_page: Callable[[Page], None]) -> None:
    open_page(page)
    assert_accessible(page)
