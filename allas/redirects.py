"""Going back where a form came from: the `next` a page sends along is only ever a path on
this site. It is never looked up as a URL name (redirect("account_logout") would send the
person to that view) and never leaves the site; anything else falls back to the page the
form belongs to, so a change that was made still lands the person on a real page."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

# Longer than any address the portal makes; a longer `next` is not one of ours.
MAX_LENGTH = 2000


def is_local_path(target: str, request=None) -> bool:
    """True for "/some/path?query": a path on this site, not "//host", "/\\host", a scheme,
    a bare word or anything with control characters (a browser drops some of those, which
    can turn "/\t/host" into "//host")."""
    if not isinstance(target, str) or not target.startswith("/"):
        return False
    if len(target) > MAX_LENGTH or not target.isprintable():
        return False
    allowed_hosts = {request.get_host()} if request is not None else set()
    return url_has_allowed_host_and_scheme(
        target, allowed_hosts=allowed_hosts, require_https=bool(request and request.is_secure())
    ) and not target.replace("\\", "/").startswith("//")


def next_path(request, fallback: str) -> str:
    """The form's `next` (or the address's `?next=`) when it is a local path, else fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_local_path(target, request) else fallback


def redirect_back(request, fallback: str) -> HttpResponseRedirect:
    """Redirects to the form's `next`, or to fallback, by path alone."""
    return HttpResponseRedirect(next_path(request, fallback))
