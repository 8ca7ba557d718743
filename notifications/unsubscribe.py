"""Unsubscribe links and headers: a signed token names the person and the kind, so that one
click (or a mail program's one-click POST, or an e-mail to the unsubscribe address) turns
that kind off without signing in."""

from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from allas.models import User
from allas.services import absolute_url
from allas.vocabulary import notice_kinds

from .models import DIGEST, Delivery
from .preferences import settings_for, settings_save

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_max_age() -> timedelta:
    """How long a link works; an older one leads to the settings page."""
    return timedelta(days=settings.UNSUBSCRIBE_LINK_DAYS)


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str):
    """(user, kind) for a valid token; None for a forged, tampered or expired one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=unsubscribe_max_age())
    except signing.BadSignature:
        return None
    kind = data.get("k") if isinstance(data, dict) else None
    if kind not in (*notice_kinds(), DIGEST):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    return (user, kind) if user is not None else None


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return absolute_url(reverse("notifications_unsubscribe", args=[token]))


def unsubscribe_headers(*, user_id: int, kind: str, bulk: bool = False) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers, and for digests the headers of bulk mail (RFC 3834)."""
    token = unsubscribe_token(user_id=user_id, kind=kind)
    link = absolute_url(reverse("notifications_unsubscribe", args=[token]))
    mailto = f"mailto:{settings.UNSUBSCRIBE_MAILTO}?subject={quote('unsubscribe ' + token)}"
    headers = {
        "List-Unsubscribe": f"<{link}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if bulk:
        headers["Precedence"] = "bulk"
    return headers


def unsubscribe_link_in(headers: dict) -> str:
    """The link of unsubscribe_headers(), for the e-mail's own footer."""
    return headers["List-Unsubscribe"].split(">", 1)[0].lstrip("<")


@transaction.atomic
def unsubscribe_apply(*, user, kind: str) -> list[str]:
    """Turns the kind off ("never"); the digest's link turns off every kind that went to the
    digest. Returns the kinds turned off."""
    if kind == DIGEST:
        current = settings_for(user)
        kinds = [k for k, d in current.items() if d == Delivery.DIGEST]
    else:
        kinds = [kind]
    settings_save(user=user, choices=dict.fromkeys(kinds, Delivery.NEVER))
    return kinds
