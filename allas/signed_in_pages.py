"""Pages kept for signed-in people: a page rendered once and reused until what it shows
changes, with the few parts that belong to the request filled in each time.

A signed-in page differs from a visitor's in the header (the person's name, their
log-out form) and in every form's CSRF token, and some pages show what only this person
or their role may see. So a page is rendered with those parts left as holes: the header's
account links are `{% personal "account" %}` and every CSRF token is a mark. The page is
kept with its holes, and each request fills them: the account links are rendered for the
person asking and the mark becomes their CSRF token. Nothing of the person who happened to
render the page is ever served to another.

A view opts in with @kept_for_signed_in, in one of two ways:

- Shared (the default): the page shows only public content besides the holes, the same
  for every signed-in person of the same kind (staff or not). Kept under the content
  version (allas.page_cache), like the visitors' pages. A page whose text holds the
  renderer's name, e-mail address or user name is not kept, in case it was not as
  public as its view says.
- `per_person=True`: the page shows what depends on the person (what they support and
  follow, their membership, the members of a group they lead). Kept for that person
  only, under both the content version and the writes version (allas.db_writes), which
  every write to the database renews, so nothing changed since is missed.

With `visitors=True`, a visitor's page is kept the same way, once for every visitor:
for a page whose form carries a CSRF token, which the visitors' page cache cannot store
(a meeting's sign-up form).

Only a GET with the page's own query parameters (as for visitors), with no message
waiting and a status 200 response that set no cookie and kept nothing in the session is
kept. With PAGE_CACHE_SECONDS 0,
or while Redis cannot be trusted after a failure, every page is rendered as before.
"""

import functools
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe

from . import db_writes, page_cache
from .permissions import is_staff_member

# Stands for the CSRF token in a kept page: letters and digits, as a token is, so a template
# prints it unchanged; derived from the secret key, so no one can type it into a comment.
CSRF_MARK = (
    "csrf" + hashlib.sha256(f"kept-page-csrf:{settings.SECRET_KEY}".encode()).hexdigest()[:28]
)
CSRF_HOLE = "csrf_token"
_HOLES = re.compile(rf"<!--personal:([a-z_]+)-->|{CSRF_MARK}")
KEY_PREFIX = "signed-in-page"


def _account(request, csrf_token: str) -> str:
    # A plain context, without the context processors: this runs for every kept page.
    template = get_template("includes/account_links.html").template
    # A page refused before the authentication middleware ran has no user yet.
    user = getattr(request, "user", None) or AnonymousUser()
    context = {"request": request, "user": user, "csrf_token": csrf_token}
    return template.render(Context(context))


# The holes a kept page may have, each rendered for the request that is served.
PERSONAL_PARTS: dict[str, Callable] = {"account": _account}


def personal_part(request, name: str) -> SafeString:
    """A personal part: as a hole while a page is being kept, otherwise rendered."""
    if getattr(request, "keeping_page", False):
        return mark_safe(f"<!--personal:{name}-->")  # noqa: S308 - the part's name only
    # Lazily, as Django's own context: a visitor's page asks for no token, so it stays
    # the same for everyone and can be stored for visitors.
    return PERSONAL_PARTS[name](request, lazy(get_token, str)(request))


def kept_for_signed_in(view=None, *, params=None, per_person=False, visitors=False):
    """Keeps the view's page for signed-in people (see the module). `params` names the
    query parameters it reads (by default those of @cached_for_visitors). With
    `visitors=True` a visitor's page is kept too, shared by every visitor: for a page
    whose form carries a CSRF token, which the visitors' page cache cannot store."""

    def decorate(view):
        names = frozenset(
            params if params is not None else getattr(view, "visitor_cache_params", ())
        )

        @functools.wraps(view)
        def kept(request, *args, **kwargs):
            key = _key(request, names, per_person, visitors)
            if key is None:
                return view(request, *args, **kwargs)
            personal = per_person and request.user.is_authenticated
            asked = [page_cache.VERSION_KEY, key]
            if personal:
                asked.append(db_writes.WRITES_KEY)
            found = cache.get_many(asked)
            versions = (
                page_cache.current_version(found),
                db_writes.current(found) if personal else "",
            )
            entry = found.get(key)
            if entry is not None and entry[0] == versions:
                return _serve(request, entry[1], entry[2])
            return _render_and_keep(request, view, args, kwargs, key, versions, personal)

        kept.kept_for_signed_in = True
        return kept

    return decorate if view is None else decorate(view)


def _key(request, names, per_person, visitors) -> str | None:
    user = getattr(request, "user", None)
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method != "GET"
        or user is None
        or not (user.is_authenticated or visitors)
        or len(request.get_full_path()) > page_cache.MAX_PATH
        # A message waiting is shown on the next page, which is then the person's own.
        or request.session.get("_messages")
        or not page_cache.version_trusted()
    ):
        return None
    query = page_cache.page_query(request, names)
    if query is None:
        return None
    if not user.is_authenticated:
        who = "visitor"
    else:
        # Staff rights hold only in a session past the second factor: the same person's
        # other session may not have them.
        who = "staff" if is_staff_member(user) else "in"
        if per_person:
            who = f"person-{user.pk}-{who}"
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}|{who}"
    digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    return f"{KEY_PREFIX}:{request.LANGUAGE_CODE}:{digest}"


def _render_and_keep(request, view, args, kwargs, key, versions, per_person) -> HttpResponse:
    # Whether anything asks for the real token while the page is rendered with holes.
    asked_before = request.META.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
    request.keeping_page = True
    try:
        response = view(request, *args, **kwargs)
        if getattr(response, "render", None) and not getattr(response, "is_rendered", True):
            response.render()
    finally:
        request.keeping_page = False
    token_asked = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    if asked_before:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = asked_before
    if not _keepable(request, response, token_asked, per_person):
        # Rendered with holes but not kept: filled like a kept page.
        if not response.streaming:
            response.content = _fill(request, _parts(response.content.decode()))
        return response
    headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
    parts = _parts(response.content.decode())
    cache.set(key, (versions, headers, parts), settings.PAGE_CACHE_SECONDS)
    if per_person:
        db_writes.page_kept()
    return _serve(request, headers, parts)


def _keepable(request, response, token_asked, per_person) -> bool:
    cache_control = response.get("Cache-Control", "")
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "no-store" in cache_control
        # Something asked for the real token while the page was rendered with holes.
        or token_asked
        or len(getattr(request, "_messages", ()))
        # Something was kept in the session for this request (a message, a form's state).
        or getattr(getattr(request, "session", None), "modified", False)
    ):
        return False
    if per_person or not request.user.is_authenticated:
        return True
    body = response.content.decode()
    user = request.user
    own = (user.email, user.get_username(), getattr(user, "display_name", ""))
    return not any(len(value) > 2 and value in body for value in own)


def _parts(body: str) -> list[str]:
    """The page as text between holes, split once when it is kept: text at even places,
    the name of a hole at odd ones."""
    parts, start = [], 0
    for match in _HOLES.finditer(body):
        parts += [body[start : match.start()], match.group(1) or CSRF_HOLE]
        start = match.end()
    parts.append(body[start:])
    return parts


def _fill(request, parts: list[str]) -> bytes:
    token = get_token(request) if CSRF_HOLE in parts[1::2] else ""
    filled = []
    for place, part in enumerate(parts):
        if place % 2 == 0:
            filled.append(part)
        elif part == CSRF_HOLE:
            filled.append(token)
        else:
            filled.append(PERSONAL_PARTS[part](request, token or get_token(request)))
    return "".join(filled).encode()


def _serve(request, headers, parts: list[str]) -> HttpResponse:
    response = HttpResponse(_fill(request, parts))
    for name, value in headers:
        response[name] = value
    return response
