"""Passwords and codes may be pasted, from a password manager or an authenticator app
(WCAG 3.3.8, accessible authentication): no page cancels a paste into them, and they tell
the browser what they hold, so it can fill them in."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import submit_main_form
from tests.factories import PASSWORD, UserFactory, give_second_factor, totp_code_for

# A real paste: the clipboard's text goes into the focused field, unless a script cancels
# the event. Returns whether it was cancelled.
PASTE = """([selector, text]) => {
    const field = document.querySelector(selector);
    field.focus();
    const data = new DataTransfer();
    data.setData("text/plain", text);
    const event = new ClipboardEvent(
        "paste", {clipboardData: data, bubbles: true, cancelable: true}
    );
    const cancelled = !field.dispatchEvent(event);
    if (!cancelled) field.value = text;
    return cancelled;
}"""


def paste(page: Page, selector: str, text: str) -> None:
    assert not page.evaluate(PASTE, [selector, text]), f"a paste into {selector} was refused"


def test_the_password_and_the_code_can_be_pasted_to_log_in(page: Page) -> None:
    user = UserFactory(display_name="Boende Lind")
    give_second_factor(user)
    page.goto("/konto/login/")
    expect(page.locator("#id_password")).to_have_attribute("autocomplete", "current-password")
    page.locator("#id_login").fill(user.email)
    paste(page, "#id_password", PASSWORD)
    submit_main_form(page)
    code = page.locator("#id_code")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    paste(page, "#id_code", totp_code_for(user))
    submit_main_form(page)
    expect(page.locator("header a[href='/konto/profil/']")).to_be_visible()


def test_a_new_password_can_be_pasted_when_signing_up(page: Page) -> None:
    page.goto("/konto/signup/")
    password = page.locator("#id_password1")
    expect(password).to_have_attribute("autocomplete", "new-password")
    paste(page, "#id_password1", "en-lång-lösenfras-från-hanteraren")
    expect(password).to_have_value("en-lång-lösenfras-från-hanteraren")
