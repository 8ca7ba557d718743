from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from allas.models import Locality
from allas.redirects import redirect_back
from allas.vocabulary import notice_kind_label

from . import permissions
from .follows import follow_toggle
from .forms import SettingsForm
from .models import DIGEST, Delivery, Follow
from .notices import follows_elsewhere
from .preferences import settings_for, settings_save
from .unsubscribe import unsubscribe_apply, unsubscribe_read


def refuse_unverified(request):
    return render(request, "notifications/verify_first.html", status=403)


@require_POST
@login_required
def follow_locality(request, slug):
    locality = get_object_or_404(Locality, slug=slug)
    if not permissions.can_follow(request.user):
        return refuse_unverified(request)
    following = follow_toggle(user=request.user, locality=locality)
    messages.success(
        request,
        (
            _("You now follow %(ort)s. Choose how often you hear about it under Notifications.")
            if following
            else _("You no longer follow %(ort)s.")
        )
        % {"ort": locality.name},
    )
    return redirect_back(request, locality.get_absolute_url())


@login_required
def notification_settings(request):
    current = settings_for(request.user)
    form = SettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        settings_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notification_settings")
    follows = (
        Follow.objects.filter(user=request.user, is_active=True)
        .select_related("locality")
        .order_by("locality__name")
    )
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "follows": follows, "elsewhere": follows_elsewhere(request.user)},
    )


def _kind_label(kind: str) -> str:
    return _("the weekly digest") if kind == DIGEST else notice_kind_label(kind)


# Mail programs post here with no cookies and no CSRF token (RFC 8058); the signed token
# in the link is what proves the request, so nothing here reads the session.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user, kind = found
    if request.method == "POST":
        kinds = unsubscribe_apply(user=user, kind=kind)
        return render(
            request,
            "notifications/unsubscribe_done.html",
            {"kind_label": _kind_label(kind), "labels": [notice_kind_label(k) for k in kinds]},
        )
    current = settings_for(user)
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "token": token,
            "kind_label": _kind_label(kind),
            "already_off": (
                Delivery.DIGEST not in current.values()
                if kind == DIGEST
                else current[kind] == Delivery.NEVER
            ),
        },
    )
