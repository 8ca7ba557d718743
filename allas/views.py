import datetime
import functools
import threading
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST, require_safe

from . import audit, personal_data, services
from . import search as search_core
from .forms import AccessibilityFeedbackForm, DeleteAccountForm, ProfileForm
from .models import Locality, SlusGoal
from .page_cache import cached_for_visitors, content_changed
from .redirects import redirect_back
from .signed_in_pages import kept_for_signed_in


@kept_for_signed_in
@cached_for_visitors
def home(request):
    return render(
        request,
        "allas/home.html",
        {"localities": Locality.objects.all(), "goals": SlusGoal.objects.all()},
    )


@kept_for_signed_in(per_person=True)  # coordinators see their requests waiting
@cached_for_visitors
def locality_list(request):
    return render(request, "allas/locality_list.html", {"localities": Locality.objects.all()})


@kept_for_signed_in(per_person=True)
@cached_for_visitors
def locality_detail(request, slug):
    locality = get_object_or_404(Locality, slug=slug)
    return render(request, "allas/locality_detail.html", {"locality": locality})


@cached_for_visitors(params=("q",))
@require_GET
def search(request):
    """The portal's one search: each app's results as a group of their own."""
    query = request.GET.get("q", "").strip()[: search_core.MAX_QUERY]
    groups = search_core.search_all(query=query, user=request.user) if query else []
    return render(request, "allas/search.html", {"query": query, "groups": groups})


@kept_for_signed_in
@cached_for_visitors(params=("ar",))
def goal_list(request):
    # Read only when the page's public part is rendered, not when it is reused.
    return render(request, "allas/goal_list.html", {"goals": SlusGoal.objects.all()})


@kept_for_signed_in
@cached_for_visitors(params=("ar",))
def goal_detail(request, slug):
    goal = get_object_or_404(SlusGoal, slug=slug)
    return render(request, "allas/goal_detail.html", {"goal": goal})


# Update these when the statement is reviewed (DIGG asks for both dates).
ACCESSIBILITY_ASSESSED = datetime.date(2026, 11, 27)
ACCESSIBILITY_UPDATED = datetime.date(2026, 11, 27)


def accessibility(request):
    form = AccessibilityFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.accessibility_feedback_create(**form.cleaned_data)
        messages.success(request, _("Thank you. We have received your message."))
        return redirect("accessibility")
    statement = {
        "assessed": ACCESSIBILITY_ASSESSED,
        "updated": ACCESSIBILITY_UPDATED,
        # DIGG's wording for "partially compliant", the honest status while known
        # problems remain (helt / delvis / inte förenlig).
        "compliance_text": _(
            "This website is partially compliant with the law on accessibility to digital "
            "public services, because of the shortcomings described below."
        ),
    }
    return render(request, "allas/accessibility.html", {"form": form, "statement": statement})


def privacy(request):
    return render(
        request,
        "allas/privacy.html",
        {
            "audit_retention": audit.retention_period(),
            "signup_retention_days": settings.DIALOGUE_SIGNUP_RETENTION_DAYS,
        },
    )


@csrf_exempt
@require_POST
def set_language(request):
    """The language switch: sets the language cookie and goes back to the page. A
    visitor's switch needs no CSRF token: it changes only how the next pages read, and a
    page without a token is the same for every visitor, so it can be cached whole
    (allas.page_cache). A signed-in person's choice is also saved to their account,
    which is a change to the account, so that still needs the token."""
    if request.user.is_authenticated:
        return _set_language_and_remember(request)
    return _set_language_cookie(request)


def _set_language_cookie(request):
    language = request.POST.get("language")
    response = redirect_back(request, "/")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@csrf_protect
def _set_language_and_remember(request):
    response = _set_language_cookie(request)
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        content_changed()  # the name shows on their proposals and comments
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "allas/profile.html", {"form": form})


def _private(response: HttpResponse) -> HttpResponse:
    """A person's own data is kept by no cache on the way nor in the browser."""
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data(request):
    """The register extract as a JSON file, downloaded at once."""
    data = services.personal_data_export(user=request.user)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = 'attachment; filename="mina-uppgifter-allas-vimmerby.json"'
    return _private(response)


@login_required
def my_data_page(request):
    """The same register extract as a page to read and print, in the person's language."""
    extract = personal_data.extract_for(user=request.user)
    return _private(render(request, "allas/my_data.html", {"extract": extract}))


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("home")
    return render(request, "allas/delete_account.html", {"form": form})


# Each Redis check of /healthz waits at most this for a connection and for an answer.
HEALTH_TIMEOUT = 0.5
# A failed broker check is the answer for this long: probes that pile up while the broker
# hangs then hold no thread.
HEALTH_ERROR_SECONDS = 3.0
_broker_check = threading.Lock()
_broker_failed = {"url": None, "at": 0.0}


def _broker_status() -> str:
    """One check at a time per process, with short timeouts and no retry."""
    url = settings.CELERY_BROKER_URL
    if not url or url == "memory://":
        return "not configured"
    if not _broker_check.acquire(timeout=2 * HEALTH_TIMEOUT):
        return "error"  # another check has waited that long already
    try:
        failed = _broker_failed["url"] == url
        if failed and time.monotonic() - _broker_failed["at"] < HEALTH_ERROR_SECONDS:
            return "error"
        try:
            _ping_broker(url)
        except Exception:
            _broker_failed.update(url=url, at=time.monotonic())
            return "error"
        _broker_failed["url"] = None
        return "ok"
    finally:
        _broker_check.release()


def _ping_broker(url: str) -> None:
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=HEALTH_TIMEOUT,
            socket_timeout=HEALTH_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )
        try:
            client.ping()
        finally:
            client.close()
        return
    from kombu import Connection

    with Connection(url, connect_timeout=HEALTH_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=HEALTH_TIMEOUT)


def _cache_status() -> str:
    from django.core.cache import caches

    ping = getattr(caches["default"], "ping", None)
    if ping is None:
        return "not configured"
    try:
        # Not through get(): the portal's cache hides a dead Redis on purpose (allas.cache).
        return "ok" if ping() else "error"
    except Exception:
        return "error"


def _periodic_status() -> str:
    """Whether the sweep runs: "ok", "late" (three intervals missed) or "never". Kept in
    the database, so it is known with the broker down."""
    return services.periodic_status()["status"]


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:
        database = "error"
    broker = _broker_status()
    healthy = database == "ok" and broker in ("ok", "not configured")
    status = {"database": database, "broker": broker, "cache": _cache_status()}
    status["periodic"] = _periodic_status() if database == "ok" else "unknown"
    return JsonResponse(status, status=200 if healthy else 503)


# Browsers ask again at most once a day; the icon seldom changes.
FAVICON_MAX_AGE = 24 * 3600


@require_safe
def favicon(request):
    """The ICO at /favicon.ico, where browsers look on their own (a page without an icon
    link, a PDF or image opened in a tab): the static file's bytes, without the database."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response


@functools.cache
def _favicon_bytes() -> bytes:
    # The finders read static/ whether or not collectstatic has run (DEBUG on or off).
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        return icon.read()


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
