"""A new staff member sets up two-step verification before the admin opens, then logs in
with password and code. Every page of it is Swedish, axe-clean, fits 320 px and is driven
from the keyboard."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, give_second_factor, totp_code
from tests.test_second_factor_pages import NEVER

NARROW = {"width": 320, "height": 720}
MAX_TABS = 40


def check_second_factor_page(page: Page) -> None:
    """Swedish, in the portal's words, accessible and no wider than a small phone."""
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    text = page.locator("body").inner_text()
    assert "tvåstegsverifiering" in text.lower(), text
    for word in NEVER:
        assert not re.search(word, text, flags=re.IGNORECASE), (word, page.url)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide"


def press_tab_until_focused(page: Page, selector: str) -> None:
    target = page.locator(selector)
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{selector} was not reached with {MAX_TABS} presses of Tab", pytrace=False)


def type_and_send(page: Page, field: str, text: str) -> None:
    """Types into a field from the keyboard and sends its form with Enter."""
    page.locator(field).focus()
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_in_with_password(page: Page, email: str, *, next_url: str = "") -> None:
    page.goto("/konto/login/" + (f"?next={next_url}" if next_url else ""))
    page.locator("#id_login").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_out(page: Page) -> None:
    """The portal's own "Logga ut" (the admin's has its own page)."""
    page.goto("/")
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Logga ut").click()
    expect(page.locator("header a[href='/konto/login/']")).to_be_visible()


def test_staff_member_sets_up_two_step_verification_and_then_logs_in_with_a_code(
    page: Page, live_server
) -> None:
    staff = UserFactory(is_staff=True, display_name="Handläggare Ek")
    staff.groups.add(Group.objects.get(name="Utvecklingsavdelningen"))
    assert not Authenticator.objects.filter(user=staff).exists()
    page.set_viewport_size(NARROW)

    # The password alone does not open the admin: the staff member is sent to set it up.
    log_in_with_password(page, staff.email, next_url="/admin/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/$"))
    expect(page.locator("main")).to_contain_text("Du arbetar i administrationen.")
    check_second_factor_page(page)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/$"))

    press_tab_until_focused(page, "main a[href='/konto/2fa/totp/activate/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The password typed seconds ago is not asked for again (WCAG 3.3.7, redundant entry).
    expect(page).to_have_url(re.compile(r"/konto/2fa/totp/activate/$"))
    check_second_factor_page(page)
    qr = page.get_by_role("img", name="QR-kod att skanna med din autentiseringsapp")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    secret = page.locator("#authenticator-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret

    type_and_send(page, "#id_code", "000000" if totp_code(secret) != "000000" else "111111")
    expect(page.locator("#id_code_error")).to_contain_text("Koden är fel.")
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    check_second_factor_page(page)
    assert not Authenticator.objects.filter(user=staff).exists()

    page.locator("#id_code").fill("")
    type_and_send(page, "#id_code", totp_code(secret))
    expect(page).to_have_url(re.compile(r"/konto/2fa/recovery-codes/$"))
    messages = page.locator("main .messages")
    expect(messages).to_contain_text("Tvåstegsverifiering är på.")
    expect(messages).to_contain_text("Förvara dina reservkoder säkert.")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    check_second_factor_page(page)
    assert set(Authenticator.objects.filter(user=staff).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }

    # Password and code: a wrong code is refused first, then the right one opens the admin.
    log_out(page)
    log_in_with_password(page, staff.email, next_url="/admin/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    check_second_factor_page(page)
    code = totp_code(secret)
    type_and_send(page, "#id_code", "000000" if code != "000000" else "111111")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    expect(page.locator("#id_code_error")).to_contain_text("Koden är fel.")
    check_second_factor_page(page)
    # Not logged in yet: the admin sends the visitor back to the code.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))

    type_and_send(page, "#id_code", code)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name, h1").first).to_be_visible()

    # A code works once: the same one is refused next time, the app's next code is not.
    log_out(page)
    log_in_with_password(page, staff.email, next_url="/admin/")
    type_and_send(page, "#id_code", code)
    expect(page.locator("#id_code_error")).to_contain_text("Koden är fel.")
    page.locator("#id_code").fill("")
    type_and_send(page, "#id_code", totp_code(secret, periods_ahead=1))
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_resident_manages_recovery_codes_and_turns_two_step_verification_off(
    page: Page, live_server
) -> None:
    resident = UserFactory(display_name="Boende Lind")
    give_second_factor(resident)
    page.set_viewport_size(NARROW)
    log_in(page, resident.email, PASSWORD)

    page.goto("/konto/profil/")
    press_tab_until_focused(page, "main a[href='/konto/2fa/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Du har 10 av 10 reservkoder kvar.")
    check_second_factor_page(page)

    page.goto("/konto/2fa/reauthenticate/")
    check_second_factor_page(page)

    # The page that asks for the password again once the login is no longer recent.
    page.goto("/konto/reauthenticate/")
    check_second_factor_page(page)

    # New recovery codes: right after logging in, only a confirmation.
    page.goto("/konto/2fa/")
    old_codes = set(
        RecoveryCodes(
            Authenticator.objects.get(user=resident, type="recovery_codes")
        ).get_unused_codes()
    )
    press_tab_until_focused(page, "main a[href='/konto/2fa/recovery-codes/generate/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/konto/2fa/recovery-codes/generate/$"))
    check_second_factor_page(page)
    press_tab_until_focused(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/konto/2fa/recovery-codes/$"))
    expect(page.locator("main .messages")).to_contain_text("Du har nya reservkoder.")
    new_codes = set(page.locator("#recovery-codes li").all_inner_texts())
    assert len(new_codes) == 10 and not new_codes & old_codes
    check_second_factor_page(page)

    page.goto("/konto/2fa/totp/deactivate/")
    check_second_factor_page(page)
    press_tab_until_focused(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/konto/2fa/$"))
    expect(page.locator("main .messages")).to_contain_text("Tvåstegsverifiering är av.")
    check_second_factor_page(page)
    assert not Authenticator.objects.filter(user=resident).exists()


def test_staff_see_why_they_cannot_turn_it_off(page: Page, staff) -> None:
    page.set_viewport_size(NARROW)
    log_in(page, staff.email, PASSWORD)
    # Right after logging in, the password is not asked for again (WCAG 3.3.7).
    page.goto("/konto/2fa/totp/deactivate/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/totp/deactivate/$"))
    expect(page.locator("main")).to_contain_text("Du kan inte stänga av den.")
    expect(page.locator("main form button[type=submit]")).to_have_count(0)
    check_second_factor_page(page)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
