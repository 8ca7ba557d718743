"""Whole public pages for visitors, served from the cache before the session, the user
or the database is touched: the portal's one cache of what it renders.

A visitor is a GET without a session cookie: not signed in, and with no messages waiting
(they live in the session). Every visitor with the same language sees the same bytes on
a page opted in with @cached_for_visitors, so such a page is rendered once per content
version, language and address, and kept compressed and uncompressed.

The key of freshness is the content version: a random value in the cache, replaced by
every service that changes what visitors can see (those marked @renews_public_content;
tests/test_cache_renewal.py finds any that writes a public model unmarked) and by every
successful save or delete in the admin of a public model (RenewsPublicContentAdmin).
A cached page remembers the version it was rendered under and is served only while
that is still current, so a change shows at once. The version is random rather than a
counter, so a version lost from the cache never brings an old page back.
PAGE_CACHE_SECONDS only bounds what time alone changes (a meeting that has ended); 0
turns the cache off.

A page is stored only if nothing in it can belong to one visitor: status 200, no cookie
set (no CSRF token, session or message was made for it), no CSRF token rendered, not
private. Signed-in people never get a stored page and their pages are never stored.
The version lives in the shared cache (Redis), so all server processes agree on it;
without Redis the cache is the process's own memory, right only for a single process,
which is why PAGE_CACHE_SECONDS defaults to 0 there (settings).

A page is stored per address with only the query parameters it reads, as its opt-in
names them, sorted: a request with any other parameter (utm_source=…), or one of them
twice, is neither served from the cache nor stored, so made-up addresses cannot fill
Redis, and a page is never served for an address it was not made for (the page's own
links, the language switch's included, carry the address).

After an outage: a change made while Redis did not answer could not renew the version,
and Redis comes back with the old version and the old pages (a hung Redis loses nothing;
a restarted one may load them from disk). So a process that has seen Redis fail (the
process making such a change always has) trusts no stored page until it has renewed the
version, first thing when Redis answers again. The version is not also kept in the
database: that would cost a query on every hit, which is what this cache is for. The
limit: a process that saw no failure may serve an old page until one that did renews the
version, which is the next visitor request it takes; with every process behind one
socket that is within a few requests. A command that changed content while Redis was
down and ended before it came back renews nothing, so PAGE_CACHE_SECONDS still bounds
that case.
"""

import functools
import hashlib
import secrets
import threading
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

VERSION_KEY = "content-version"
# An expired version is replaced by a new one: it only costs every page one render.
VERSION_SECONDS = 24 * 3600
# Longer addresses (made-up queries) are served without the cache.
MAX_PATH = 1000


def cached_for_visitors(view=None, *, params=()):
    """Marks a view whose page is the same for every visitor with the same language and
    address; `params` names the query parameters it reads (any other keeps a request out
    of the cache). The services that change what it shows are @renews_public_content."""

    def mark(view):
        view.cached_for_visitors = True
        view.visitor_cache_params = frozenset(params)
        return view

    return mark if view is None else mark(view)


def content_changed() -> None:
    """What visitors see has changed: every cached page is rendered again on its next
    request. Called inside the writer's transaction: once now (this connection already
    sees the change) and once after commit, so a page rendered by another request from
    the data before the commit is not kept either."""
    _new_version()
    transaction.on_commit(_new_version)


# The services marked @renews_public_content, as "module.name": the test of renewals
# compares them with the services that write a public model.
RENEWING_SERVICES: set[str] = set()


def renews_public_content(service: Callable) -> Callable:
    """Marks a service that changes what visitors see: once it has returned, every
    cached page is rendered again (content_changed). Placed under @transaction.atomic,
    so the first renewal is inside the service's transaction."""

    @functools.wraps(service)
    def renewing(*args, **kwargs):
        result = service(*args, **kwargs)
        content_changed()
        return result

    RENEWING_SERVICES.add(f"{service.__module__}.{service.__qualname__}")
    return renewing


class RenewsPublicContentAdmin:
    """For the ModelAdmin of a model visitors see: a change saved or deleted there shows
    at once. Only a successful save or delete renews; a refused form or the login page
    changes nothing."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        content_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed()


def _new_version() -> str:
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, VERSION_SECONDS)
    return version


def current_version(found: dict) -> str:
    return current_random(found, VERSION_KEY, VERSION_SECONDS)


def current_random(found: dict, key: str, seconds: int) -> str:
    """The random version under `key` in `found` (a get_many that asked for it); when
    there is none, one is made, unless another process made one first."""
    version = found.get(key)
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(key, version, seconds):
            version = cache.get(key) or version
    return version


# Per cache location: how many of its failures this process has renewed the version after.
_settled: dict[str, int] = {}
_settled_lock = threading.Lock()


def version_trusted() -> bool:
    """Whether the stored version may be trusted: yes, unless this process has seen Redis
    fail since it last renewed the version; then it renews it as soon as Redis answers."""
    failures = getattr(cache, "failures", 0)
    location = getattr(cache, "location", "")
    if _settled.get(location, 0) == failures:
        return True
    if cache.paused():
        return False
    with _settled_lock:
        if _settled.get(location, 0) == failures:
            return True
        _new_version()
        if cache.failures != failures:  # the write failed too
            return False
        _settled[location] = failures
    return True


def content_version() -> str | None:
    """The version of everything public, for other caches of computed public content to be
    kept under (renewed by every change, as the pages are); None when it cannot be trusted
    now (Redis failed since), and nothing should be kept."""
    if not version_trusted():
        return None
    return current_version(cache.get_many([VERSION_KEY]))


def cached_public(name: str, make: Callable):
    """A computed piece of public content (the same for everyone who may see it), kept
    under the content version and the active language: made once per change and reused by
    every request, signed in or not. Made every time when it may not be kept (the cache
    off, or Redis failed since the version was last renewed). `name` must name everything
    the value depends on besides the content and the language."""
    version = content_version() if settings.PAGE_CACHE_SECONDS else None
    if version is None:
        return make()
    key = f"public:{version}:{translation.get_language()}:{name}"
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, settings.PAGE_CACHE_SECONDS)
    return found


def _visitor_language(request) -> str:
    """As allas.middleware.LanguageMiddleware decides it for someone not signed in."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@lru_cache(maxsize=4096)
def _cacheable(urlconf, path_info: str) -> frozenset | None:
    """The query parameters of the page, if the address is a page opted in, so that no
    other request (a static file, a form, the health check) waits for the cache. Resolved
    once per address and process."""
    try:
        func = resolve(path_info, urlconf).func
    except Resolver404:
        return None
    if not getattr(func, "cached_for_visitors", False):
        return None
    return getattr(func, "visitor_cache_params", frozenset())


def page_query(request, params: frozenset) -> str | None:
    """The query string the page is stored under: its own parameters, sorted; None for
    any other parameter, a repeated one, or text that did not decode (the page would show
    it otherwise than it was sent)."""
    pairs = []
    for name, values in request.GET.lists():
        if name not in params or len(values) != 1:
            return None
        if "\ufffd" in values[0] or "\x00" in values[0]:
            return None
        pairs.append((name, values[0]))
    return urlencode(sorted(pairs))


def _key(request) -> tuple[str, str] | None:
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method != "GET"
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    ):
        return None
    params = _cacheable(get_urlconf(), request.path_info)
    if params is None or len(request.get_full_path()) > MAX_PATH:
        return None
    query = page_query(request, params)
    if query is None:
        return None
    language = _visitor_language(request)
    # The host as sent: a page is only ever stored after the portal has accepted it.
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.path}?{query}"
    digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    return f"visitor-page:{language}:{digest}", language


def _storable(request, response, language) -> bool:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return bool(
        match is not None
        and getattr(match.func, "cached_for_visitors", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and (user is None or not user.is_authenticated)
        and not len(getattr(request, "_messages", ()))
        and getattr(request, "LANGUAGE_CODE", None) == language
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _entries(key, version, response) -> dict:
    """The page plain and gzipped, under keys of their own: a hit reads only the one the
    browser takes."""
    headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
    body = response.content
    # Nothing in a stored page belongs to one visitor, so there is no secret for BREACH
    # to find; the random padding is kept as GZipMiddleware adds it.
    gzipped = compress_string(body, max_random_bytes=GZipMiddleware.max_random_bytes)
    return {f"{key}:plain": (version, headers, body), f"{key}:gzip": (version, headers, gzipped)}


def _takes_gzip(request) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _serve(entry, gzip: bool) -> HttpResponse:
    _version, headers, body = entry
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    if gzip:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    response["Content-Length"] = str(len(body))
    return response


class VisitorPageCacheMiddleware:
    """Before the session: a visitor's GET of a stored page is answered from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request)
        version = None
        if key is not None and not version_trusted():
            key = None
        if key is not None:
            gzip = _takes_gzip(request)
            variant = f"{key[0]}:{'gzip' if gzip else 'plain'}"
            found = cache.get_many([VERSION_KEY, variant])
            entry = found.get(variant)
            version = current_version(found)
            if entry is not None and entry[0] == version:
                return _serve(entry, gzip)
        response = self.get_response(request)
        if key is not None and _storable(request, response, key[1]):
            patch_vary_headers(response, ("Cookie",))
            entries = _entries(key[0], version, response)
            cache.set_many(entries, settings.PAGE_CACHE_SECONDS)
        return response
