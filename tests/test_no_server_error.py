"""What a web-vulnerability scanner sends, on every URL pattern, as a visitor, a resident, a
coordinator and staff: a NUL byte, an overlong value, invalid UTF-8, URL names and other
sites in `next` and in every query parameter a page reads (and some it does not), in every
field of every form the pages show, and in the address's own arguments. Never a server
error; a NUL is always a 400.

The pages and their real objects are tests/test_swedish.py's, so a new URL pattern is
walked here as soon as it is listed there."""

import time
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from tests.test_swedish import (  # noqa: F401 (world is a fixture)
    EVERYONE,
    NOT_PAGES,
    PAGES,
    RESET_KEY,
    S,
    V,
    admin_pages,
    log_in,
    world,
)

pytestmark = pytest.mark.django_db

# Already percent-encoded, as they stand in an address or a form body.
NUL = "abc%00"
BAD = {
    "nul": NUL,
    "overlong": "x" * 10_000,
    "invalid-utf8": "%ff%fe",
    "url-name": "account_logout",
    "bare-word": "id",
    "other-site": "%2F%2Fevil.example",
    "huge-number": "9" * 30,
}
# Read by some page; tried on every page, with one the portal never reads.
KNOWN_PARAMETERS = ["next", "q", "sida", "ort", "mal", "status", "kommunen", "sort", "ar", "junk"]
# What the admin's lists read.
ADMIN_PARAMETERS = ["q", "o", "p", "e", "_changelist_filters", "next"]

# Arguments of the URL patterns that are not pages (tests/test_swedish.py's NOT_PAGES).
NOT_PAGE_ARGUMENTS = {
    "group_leave": {"slug": "slug"},
    "group_members_csv": {"slug": "slug"},
    "group_decide": {"slug": "slug", "membership_id": "request_id"},
    "group_member_remove": {"slug": "slug", "membership_id": "member_id"},
    "plan_publish": {"slug": "slug", "year": "year"},
    "action_close": {"slug": "slug", "year": "year", "action_id": "action_id"},
    "action_move": {"slug": "slug", "year": "year", "action_id": "action_id"},
    "action_note": {"slug": "slug", "year": "year", "action_id": "action_id"},
    "followup_csv": {"year": "year"},
    "year_account_csv": {"year": "year"},
    "year_account_json": {"year": "year"},
    "proposal_feed_ort": {"slug": "slug"},
    "proposal_withdraw": {"pk": "proposal"},
    "proposal_status": {"pk": "proposal"},
    "proposal_support": {"pk": "proposal"},
    "proposal_follow": {"pk": "proposal"},
    "comment_create": {"pk": "proposal"},
    "proposal_moderate": {"pk": "proposal"},
    "comment_delete": {"pk": "comment"},
    "comment_moderate": {"pk": "comment"},
    "meeting_ics": {"pk": "meeting"},
    "dialogue_ics": {"pk": "dialogue"},
    "dialogue_signup_create": {"pk": "dialogue"},
    "dialogue_signup_ics": {"token": "dialogue_token"},
    "dialogue_signup_confirm": {"token": "dialogue_token"},
    "dialogue_signup_needs": {"token": "dialogue_token"},
    "dialogue_signup_withdraw": {"token": "dialogue_token"},
    "dialogue_ort_feed_ics": {"slug": "slug"},
    "dialogue_publish": {"slug": "slug", "pk": "dialogue"},
    "dialogue_signups_csv": {"slug": "slug", "pk": "dialogue"},
    "dialogue_signup_cancel": {"slug": "slug", "pk": "dialogue", "signup_id": "dialogue_signup"},
    "dialogue_short": {"short": "dialogue_short"},
    "proposal_raised_at": {"pk": "proposal"},
    "follow_locality": {"slug": "slug"},
    # Nobody in the walk has a passkey: any number.
    "mfa_edit_webauthn": {"pk": "meeting"},
    "mfa_remove_webauthn": {"pk": "meeting"},
}
# Posted last or not at all: they end the session or the second factor the walk needs.
NOT_POSTED = {"account_logout", "mfa_deactivate_totp"}


class _Forms(HTMLParser):
    """The forms of a page: method, action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []
        self._open = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = ((attrs.get("method") or "get").lower(), attrs.get("action") or "", set())
            self.forms.append(self._open)
        elif tag in {"input", "select", "textarea", "button"} and self._open and attrs.get("name"):
            self._open[2].add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def _url_name(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).url_name
    except Resolver404:
        return None


class Walk:
    def __init__(self, client):
        self.client = client
        self.problems: list[str] = []
        self.requests = 0

    def send(self, method: str, path: str, body: str | None = None, *, value: str):
        self.requests += 1
        try:
            if method == "GET":
                response = self.client.get(path)
            else:
                response = self.client.post(
                    path, body or "", content_type="application/x-www-form-urlencoded"
                )
        except Exception as exc:  # noqa: BLE001 (every server error is a finding)
            self.problems.append(f"{method} {path[:150]} {(body or '')[:150]}: {exc!r}")
            return None
        if response.status_code >= 500:
            self.problems.append(f"{method} {path[:150]}: {response.status_code}")
        elif value == NUL and response.status_code != 400:
            self.problems.append(f"{method} {path[:150]}: NUL answered {response.status_code}")
        return response

    def query(self, path: str, names, value: str) -> str:
        base = path.split("?", 1)[0]
        return base + "?" + "&".join(f"{quote(name)}={value}" for name in names)

    def page(self, path: str, *, opens=False):
        """GET the page with each bad value in every parameter at once, and in each one it
        reads alone (a form made invalid by one parameter would not read the others). The
        parameters it reads are its GET forms' fields and those of its links to itself."""
        read = set()
        response = self.client.get(path)
        if response.status_code == 302 and path.startswith(RESET_KEY):
            # allauth moves the key from the address into the session, then shows the form.
            path = response.url
            response = self.client.get(path)
        if opens and response.status_code != 200:
            # The walk would only meet a refusal: the persona must reach the page itself.
            self.problems.append(f"GET {path}: {response.status_code}, not walked")
        forms = _Forms()
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            forms.feed(response.content.decode())
            for method, action, fields in forms.forms:
                if method == "get" and action in {"", path.split("?")[0]}:
                    read |= fields
            for link in forms.links:
                if urlsplit(link).path in {"", path.split("?")[0]}:
                    read |= {name for name, _value in parse_qsl(urlsplit(link).query)}
        for value in BAD.values():
            self.send(
                "GET", self.query(path, sorted(read | set(KNOWN_PARAMETERS)), value), value=value
            )
            if value != NUL:
                for name in sorted(read - {"junk"}):
                    self.send("GET", self.query(path, [name], value), value=value)
        return [
            (action or path, fields)
            for method, action, fields in forms.forms
            if method == "post"
            and (action == "" or action.startswith("/"))
            and not action.startswith("//")
        ]

    def post(self, action: str, fields):
        """Every field of the form, then only `next`, with each bad value."""
        for value in BAD.values():
            names = sorted(set(fields) | {"next", "junk"})
            self.send("POST", action, "&".join(f"{quote(n)}={value}" for n in names), value=value)
            self.send("POST", action, f"next={value}", value=value)


def _kwargs(arguments: dict, objects: dict) -> dict:
    return {name: objects.get(key, key) for name, key in arguments.items()}


def _with_bad_arguments(name: str, kwargs: dict):
    """The pattern's address with each bad value in each of its arguments, where the pattern
    takes it (an int or slug argument only matches what it can be)."""
    for argument in kwargs:
        for value in ("abc\x00", "x" * 10_000, "\ufffd\ufffd", "account_logout"):
            try:
                yield reverse(name, kwargs={**kwargs, argument: value})
            except NoReverseMatch:
                continue


@pytest.mark.parametrize("persona", EVERYONE)
def test_no_input_gives_a_server_error(request, persona):
    objects = request.getfixturevalue("world")
    started = time.monotonic()
    client = Client()
    log_in(client, request, persona, objects)
    walk = Walk(client)
    posts: dict[str, set[str]] = {}
    pages = [
        (name, _kwargs(arguments, objects))
        for name, (who, arguments) in PAGES.items()
        if persona in who
    ]
    for name, kwargs in pages:
        for action, fields in walk.page(reverse(name, kwargs=kwargs), opens=True):
            if _url_name(action) not in NOT_POSTED and not action.startswith("/admin/"):
                posts.setdefault(action, set()).update(fields)
    for name, arguments in NOT_PAGE_ARGUMENTS.items():
        path = reverse(name, kwargs=_kwargs(arguments, objects))
        walk.page(path)
        posts.setdefault(path, set())
    for name in NOT_PAGES:
        if name is not None and name not in NOT_PAGE_ARGUMENTS:
            walk.page(reverse(name))
            posts.setdefault(reverse(name), set())
    for action, fields in posts.items():
        walk.post(action, fields)
    for name, arguments in [*NOT_PAGE_ARGUMENTS.items(), *((n, a) for n, (_w, a) in PAGES.items())]:
        for path in _with_bad_arguments(name, _kwargs(arguments, objects)):
            walk.send("GET", path, value=NUL if "%00" in path else "")
            walk.send("POST", path, "next=id", value=NUL if "%00" in path else "")
    if persona == S:
        for path in admin_pages(request.getfixturevalue("staff")):
            for value in BAD.values():
                walk.send("GET", walk.query(path, ADMIN_PARAMETERS, value), value=value)
    if persona != V:
        # Last: the session ends.
        walk.send("POST", reverse("account_logout"), "next=account_logout", value="")
    seconds = time.monotonic() - started
    print(f"{persona}: {walk.requests} requests in {seconds:.0f} s")
    assert walk.problems == [], f"{len(walk.problems)} problem(s):\n" + "\n".join(walk.problems)
