"""A staff member adds a passkey (inloggningsnyckel) as the second factor before the admin
opens, then logs in with password and passkey. Chromium's virtual authenticator (DevTools'
WebAuthn domain) plays the phone: a real credential, made and checked by fido2 through
allauth.mfa. Every page is Swedish, axe-clean, fits 320 px, has no CSP violation (the
conftest fails on any) and is driven from the keyboard."""

import re

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from playwright.sync_api import CDPSession, Page, expect

from tests.browser.test_staff_second_factor import (
    NARROW,
    check_second_factor_page,
    log_in_with_password,
    log_out,
    press_tab_until_focused,
)
from tests.factories import UserFactory


def add_virtual_authenticator(page: Page) -> tuple[CDPSession, str]:
    """A platform authenticator that verifies the user at once (as a fingerprint would)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    answer = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, answer["authenticatorId"]


def press_enter_and_wait(page: Page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_staff_member_adds_a_passkey_and_then_logs_in_with_it(page: Page, live_server) -> None:
    staff = UserFactory(is_staff=True, display_name="Handläggare Ek")
    staff.groups.add(Group.objects.get(name="Utvecklingsavdelningen"))
    assert not Authenticator.objects.filter(user=staff).exists()
    page.set_viewport_size(NARROW)
    cdp, authenticator_id = add_virtual_authenticator(page)

    # The password alone does not open the admin: the staff member is sent to set it up.
    log_in_with_password(page, staff.email, next_url="/admin/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/$"))
    expect(page.locator("main")).to_contain_text("Inloggningsnycklar (passkeys)")
    check_second_factor_page(page)

    press_tab_until_focused(page, "main a[href='/konto/2fa/webauthn/add/']")
    press_enter_and_wait(page)
    # Right after logging in, the password is not asked for again (WCAG 3.3.7).
    expect(page).to_have_url(re.compile(r"/konto/2fa/webauthn/add/$"))
    expect(page.locator("main")).to_contain_text("En inloggningsnyckel (passkey) finns i")
    check_second_factor_page(page)
    name = page.get_by_label("Namn på inloggningsnyckeln")
    expect(name).to_have_value("Inloggningsnyckel 1")
    name.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Telefonen")
    press_tab_until_focused(page, "#mfa_webauthn_add")
    # The browser makes the passkey with the virtual authenticator; the script sends the form.
    press_enter_and_wait(page)

    expect(page).to_have_url(re.compile(r"/konto/2fa/recovery-codes/$"))
    expect(page.locator("main .messages")).to_contain_text("Inloggningsnyckeln är tillagd.")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    check_second_factor_page(page)
    passkey = Authenticator.objects.get(user=staff, type=Authenticator.Type.WEBAUTHN)
    assert passkey.data["name"] == "Telefonen"
    assert (
        len(
            cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})[
                "credentials"
            ]
        )
        == 1
    )

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/konto/2fa/")
    expect(page.locator("main")).to_contain_text("Du har lagt till 1 inloggningsnyckel.")
    expect(page.locator("main")).not_to_contain_text("Du arbetar i administrationen.")
    check_second_factor_page(page)
    press_tab_until_focused(page, "main a[href='/konto/2fa/webauthn/']")
    press_enter_and_wait(page)
    expect(page.locator("#passkeys")).to_contain_text("Telefonen")
    expect(page.locator("#passkeys")).to_contain_text("Inte använd än.")
    check_second_factor_page(page)

    # Renaming it from the keyboard.
    press_tab_until_focused(page, f"main a[href='/konto/2fa/webauthn/keys/{passkey.pk}/edit/']")
    press_enter_and_wait(page)
    check_second_factor_page(page)
    page.get_by_label("Namn på inloggningsnyckeln").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Min telefon")
    press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/konto/2fa/webauthn/$"))
    expect(page.locator("#passkeys")).to_contain_text("Min telefon")
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Min telefon"

    # The only second factor of a staff member stays: the page says why, with no button.
    press_tab_until_focused(page, f"main a[href='/konto/2fa/webauthn/keys/{passkey.pk}/remove/']")
    press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(rf"/konto/2fa/webauthn/keys/{passkey.pk}/remove/$"))
    expect(page.locator("main")).to_contain_text("Det här är din enda inloggningsnyckel")
    expect(page.locator("main form button[type=submit]")).to_have_count(0)
    check_second_factor_page(page)

    # Password and passkey open the admin.
    log_out(page)
    log_in_with_password(page, staff.email, next_url="/admin/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    expect(page.locator("main")).to_contain_text("Logga in med din inloggningsnyckel (passkey)")
    check_second_factor_page(page)
    # Not logged in yet: the admin sends the visitor back.
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    press_tab_until_focused(page, "#mfa_webauthn_authenticate")
    press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name, h1").first).to_be_visible()
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None

    # Confirming that it is you (before changing the second factor) works with the passkey.
    page.goto("/konto/2fa/webauthn/reauthenticate/?next=/konto/2fa/webauthn/")
    expect(page.locator("main")).to_contain_text("Bekräfta med din inloggningsnyckel (passkey)")
    check_second_factor_page(page)
    press_tab_until_focused(page, "#mfa_webauthn_reauthenticate")
    press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/konto/2fa/webauthn/$"))
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.WEBAUTHN).count() == 1


def test_without_javascript_the_page_says_a_passkey_needs_it(new_page, live_server) -> None:
    resident = UserFactory(display_name="Boende Lind")
    page = new_page(java_script_enabled=False)
    page.set_viewport_size(NARROW)
    log_in_with_password(page, resident.email)
    page.goto("/konto/2fa/webauthn/add/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/webauthn/add/$"))
    # Playwright turns off script execution, not the parser's scripting flag, so Chromium
    # keeps <noscript> as raw text here: read it from the page's HTML. (With JavaScript off,
    # page.evaluate never returns: no axe or width check here.)
    assert re.search(
        r"<noscript>.*En inloggningsnyckel kräver JavaScript\..*</noscript>", page.content(), re.S
    )
    expect(page.get_by_label("Namn på inloggningsnyckeln")).to_be_visible()
    assert not Authenticator.objects.filter(user=resident).exists()
