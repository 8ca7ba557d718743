"""Whole public pages for visitors, served from the cache before the session, the user
or the database is touched: the portal's one cache of what it renders.

A visitor is a GET without a session cookie: not signed in, and with no messages waiting
(they live in the session). Every visitor with the same language sees the same bytes on
a page opted in with @cached_for_visitors, so such a page is rendered once per content
version, language and address, and kept compressed and uncompressed.

The key of freshness is the content version: a random value in the cache that every
service changing what visitors can see replaces by calling content_changed() (as do
successful POSTs in the admin, which edit any model). A cached page remembers the
version it was rendered under and is served only while that is still current, so a
change shows at once. The version is random rather than a counter, so a version lost
from the cache never brings an old page back. PAGE_CACHE_SECONDS only bounds what time
alone changes (a meeting that has ended); 0 turns the cache off.

A page is stored only if nothing in it can belong to one visitor: status 200, no cookie
set (no CSRF token, session or message was made for it), no CSRF token rendered, not
private. Signed-in people never get a stored page and their pages are never stored.
The version lives in the shared cache (Redis), so all server processes agree on it;
without Redis the cache is the process's own memory, right only for a single process,
which is why PAGE_CACHE_SECONDS defaults to 0 there (settings).
"""

import hashlib
import secrets
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import Resolver404, get_urlconf, resolve, reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

VERSION_KEY = "content-version"
# An expired version is replaced by a new one: it only costs every page one render.
VERSION_SECONDS = 24 * 3600
# Longer addresses (made-up queries) are served without the cache.
MAX_PATH = 1000


def cached_for_visitors(view):
    """Marks a view whose page is the same for every visitor with the same language and
    address. The services that change what it shows must call content_changed()."""
    view.cached_for_visitors = True
    return view


def content_changed() -> None:
    """What visitors see has changed: every cached page is rendered again on its next
    request. Called by the services, inside their transaction: once now (this
    connection already sees the change) and once after commit, so a page rendered by
    another request from the data before the commit is not kept either."""
    _new_version()
    transaction.on_commit(_new_version)


def _new_version() -> str:
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, VERSION_SECONDS)
    return version


def _current_version(found: dict) -> str:
    version = found.get(VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(VERSION_KEY, version, VERSION_SECONDS):
            version = cache.get(VERSION_KEY) or version
    return version


def _visitor_language(request) -> str:
    """As allas.middleware.LanguageMiddleware decides it for someone not signed in."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@lru_cache(maxsize=4096)
def _cacheable(urlconf, path_info: str) -> bool:
    """Whether the address is a page opted in, so that no other request (a static file, a
    form, the health check) waits for the cache. Resolved once per address and process."""
    try:
        return getattr(resolve(path_info, urlconf).func, "cached_for_visitors", False)
    except Resolver404:
        return False


def _key(request) -> tuple[str, str] | None:
    if (
        not settings.PAGE_CACHE_SECONDS
        or request.method != "GET"
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or not _cacheable(get_urlconf(), request.path_info)
    ):
        return None
    path = request.get_full_path()
    if len(path) > MAX_PATH:
        return None
    language = _visitor_language(request)
    # The host as sent: a page is only ever stored after the portal has accepted it.
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{path}"
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
    """Before the session: a visitor's GET of a stored page is answered from the cache.
    Also the admin's hook: a successful POST there may have changed any public content."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_path = None

    def __call__(self, request):
        key = _key(request)
        version = None
        if key is not None:
            gzip = _takes_gzip(request)
            variant = f"{key[0]}:{'gzip' if gzip else 'plain'}"
            found = cache.get_many([VERSION_KEY, variant])
            entry = found.get(variant)
            version = _current_version(found)
            if entry is not None and entry[0] == version:
                return _serve(entry, gzip)
        response = self.get_response(request)
        if key is not None:
            if _storable(request, response, key[1]):
                patch_vary_headers(response, ("Cookie",))
                entries = _entries(key[0], version, response)
                cache.set_many(entries, settings.PAGE_CACHE_SECONDS)
        elif request.method == "POST" and response.status_code < 400:
            if self.admin_path is None:
                self.admin_path = reverse("admin:index")
            if request.path.startswith(self.admin_path):
                content_changed()
        return response
