"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Every page a test opens is watched: a Content-Security-Policy violation reported on the
console, an uncaught JavaScript error, a request to any origin other than the live server or
a stylesheet, script or image that fails to load fails the test (at teardown).

The site's strict CSP stays on (no bypass_csp). axe-core is injected with Playwright's
`page.evaluate`, which runs through the DevTools protocol and is not subject to the page's
CSP. With JavaScript disabled `page.evaluate` never returns, so axe runs only where it is on.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    WebError,
    expect,
    sync_playwright,
)

from allas.models import OutboundEmail, User
from tests.factories import totp_code_for
from tests.services import chromium_path

# Playwright's sync API runs an event loop in the main thread, where the tests also use the ORM.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).parent

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# WCAG 2.2 AA (2.0 and 2.1 included) and axe's best practices, on every page tested.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
AXE = Axe()

# URL schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test in this folder as a browser test, before `-m` selects by marker."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def migrated_data(django_db_serialized_rollback: None) -> None:
    """Each test starts with what the migrations wrote (the orter, the SLUS goals, the staff
    group). The live server makes every test transactional, so the tables are emptied when a
    test ends and Django loads its serialized copy of the migrated data before the next."""


def _serialized_contents() -> dict[str, str]:
    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    executable = chromium_path()
    serialized = _serialized_contents()
    with sync_playwright() as playwright:
        # Playwright's sync API leaves its event loop registered as running in the main
        # thread. From then on asgiref gives the thread new database connection objects
        # (Django's connections are "thread critical" locals, which follow contextvars once
        # a loop runs), and those lack the serialized copy of the migrated data that Django
        # made when it created the test database: serialized rollback would silently restore
        # nothing. Hand the copy to the new connections.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Collects what must never happen on a page of the portal."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("console", self._on_console)
        context.on("weberror", self._on_error)

    def _on_request(self, request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme in LOCAL_SCHEMES:
            return
        if f"{url.scheme}://{url.netloc}" != self.origin:
            self.problems.append(f"request to another origin: {request.method} {request.url}")

    def _on_response(self, response: Response) -> None:
        # Pages may answer 404 and the like; what they load (CSS, script, images) may not.
        if response.request.resource_type != "document" and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(
                f"CSP violation on {message.page and message.page.url}: {message.text}"
            )

    def _on_error(self, web_error: WebError) -> None:
        self.problems.append(f"JavaScript error: {web_error.error}")

    def check(self) -> None:
        if self.problems:
            pytest.fail("The browser reported:\n" + "\n".join(self.problems), pytrace=False)


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh, Swedish-speaking browser context; keyword arguments go to
    `browser.new_context`, e.g. java_script_enabled=False."""
    origin = live_server.url.rstrip("/")
    opened: list[tuple[BrowserContext, PageWatch]] = []

    def open_page(**options) -> Page:
        context = browser.new_context(locale="sv-SE", base_url=origin, **options)
        context.set_default_timeout(10_000)
        watch = PageWatch(origin)
        watch.attach(context)
        opened.append((context, watch))
        return context.new_page()

    yield open_page
    for context, _watch in opened:
        context.close()
    for _context, watch in opened:
        watch.check()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


def assert_accessible(page: Page) -> None:
    """Fails with a readable list when axe-core finds WCAG 2.1 A or AA violations."""
    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    if not violations:
        return
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary", "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


# Helpers shared by the test modules.


def submit_main_form(page: Page) -> None:
    """Clicks the submit button of the form in the page's main content and waits for the
    next page."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def switch_language(page: Page, to: str) -> None:
    button = page.get_by_role("button", name={"en": "English", "sv": "Svenska"}[to])
    with page.expect_navigation():
        button.click()
    expect(page.locator("html")).to_have_attribute("lang", to)


def sign_up(page: Page, email: str, password: str, *, home_ort: str | None = None) -> None:
    """Fills in and sends the signup form the page shows; ends on "verify your e-mail"."""
    page.locator("#id_email").fill(email)
    page.locator("#id_display_name").fill("Ny invånare")
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    if home_ort:
        page.locator("#id_home_locality").select_option(label=home_ort)
    submit_main_form(page)
    expect(page).to_have_url(re.compile(r"/konto/confirm-email/$"))


def log_in(page: Page, email: str, password: str, *, next_url: str = "") -> None:
    """Logs in through allauth's page; an account with a second factor (staff) also
    types the code its authenticator app shows."""
    page.goto("/konto/login/" + (f"?next={next_url}" if next_url else ""))
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    submit_main_form(page)
    user = User.objects.get(email=email)
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        page.locator("#id_code").fill(totp_code_for(user))
        submit_main_form(page)
    if not next_url:
        expect(page.locator("header a[href='/konto/profil/']")).to_be_visible()


def admin_log_in(page: Page, email: str, password: str) -> None:
    """Staff open the admin: allauth's login with password and code, then the admin."""
    log_in(page, email, password, next_url="/admin/")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def delivered(message: OutboundEmail):
    """The e-mail as its recipient got it: the outbox keeps a personal link only until the
    row is sent (allas.redaction)."""
    from django.core import mail

    return next(
        m for m in reversed(mail.outbox) if m.to == [message.to] and m.subject == message.subject
    )


def verification_link(email: str, live_server_url: str) -> str:
    """The link in the verification e-mail sent to `email`, pointed at the live server."""
    message = OutboundEmail.objects.get(to=email, kind__startswith="account.email_confirmation")
    assert message.status == OutboundEmail.Status.SENT, message.last_error
    body = delivered(message).body
    match = re.search(r"https?://\S+/konto/confirm-email/\S+", body)
    assert match, f"no verification link in:\n{body}"
    link = urlsplit(match.group(0))
    server = urlsplit(live_server_url)
    return link._replace(scheme=server.scheme, netloc=server.netloc).geturl()
