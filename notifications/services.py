"""Writes of follows and notifications, and the weekly digest.

The apps call these functions when something happens (no signals): `notify()` finds who
follows it, sends at once to those who chose "direct", and keeps an item for the weekly
digest of those who chose the digest. Everything goes through the core's outbox."""

from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas.models import User
from allas.services import absolute_url, email_queue_many, render_email

from .models import DEFAULT_DELIVERY, DIGEST, Delivery, Follow, Kind, Notice, NotificationSetting

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# An unsubscribe link works this long; an older one leads to the settings page.
UNSUBSCRIBE_MAX_AGE = timedelta(days=getattr(settings, "UNSUBSCRIBE_LINK_DAYS", 90))
UNSUBSCRIBE_MAILTO = getattr(settings, "UNSUBSCRIBE_MAILTO", "avregistrera@vimmerby.se")
# The digest goes out from this weekday (0 = Monday) and hour, Stockholm time.
DIGEST_WEEKDAY = getattr(settings, "DIGEST_WEEKDAY", 0)
DIGEST_HOUR = getattr(settings, "DIGEST_HOUR", 7)
# People per digest batch; the outbox writes 500 rows per insert.
DIGEST_BATCH_SIZE = 500

# What happened, as the subject of a direct e-mail and the heading of a digest line.
EVENT_SUBJECTS = {
    "proposal_new": gettext_lazy("New proposal in %(ort)s: %(title)s"),
    "proposal_status": gettext_lazy("“%(title)s” is now: %(status)s"),
    "comment": gettext_lazy("New comment on “%(title)s”"),
    "reply": gettext_lazy("New reply on “%(title)s”"),
    "plan_published": gettext_lazy("%(ort)s has published its development plan"),
    "plan_updated": gettext_lazy("%(ort)s has updated its development plan"),
    "meeting_published": gettext_lazy("New network meeting: %(title)s"),
    "group_message": gettext_lazy("Message from the group in %(ort)s: %(title)s"),
}
EVENT_HEADINGS = {
    "proposal_new": gettext_lazy("New proposal"),
    "proposal_status": gettext_lazy("New status: %(status)s"),
    "comment": gettext_lazy("Comment from %(author)s"),
    "reply": gettext_lazy("Reply from %(author)s"),
    "plan_published": gettext_lazy("The plan has been published"),
    "plan_updated": gettext_lazy("The plan has been updated"),
    "meeting_published": gettext_lazy("The meeting has been published"),
    "group_message": gettext_lazy("Message from the coordinators"),
}
# Why a person gets an e-mail, said at its end.
WHY = {
    "ort": gettext_lazy("You get this e-mail because you follow %(ort)s."),
    "proposal": gettext_lazy("You get this e-mail because you follow the proposal."),
    "member": gettext_lazy("You get this e-mail because you are a member of the group in %(ort)s."),
    "network": gettext_lazy("You get this e-mail because you follow an ort in Allas Vimmerby."),
}


class NotificationError(Exception):
    """A rule stopped the change; the message is shown to the user as it is."""


def in_languages(text) -> dict[str, str]:
    """A lazy translation, rendered in every language of the portal."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = str(text)
    return result


def _pick(values, language):
    if isinstance(values, dict):
        return values.get(language) or values.get(settings.LANGUAGE_CODE) or ""
    return values or ""


# -- follows ----------------------------------------------------------------------------


def _target(locality, proposal_id) -> dict:
    if (locality is None) == (proposal_id is None):
        raise ValueError("Follow either an ort or a proposal.")
    return {"locality": locality} if locality is not None else {"proposal_id": proposal_id}


def is_following(user, *, locality=None, proposal_id=None) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.filter(
        user=user, is_active=True, **_target(locality, proposal_id)
    ).exists()


@transaction.atomic
def follow_toggle(*, user, locality=None, proposal_id=None) -> bool:
    """Starts following, or stops. Returns whether the person follows now."""
    target = _target(locality, proposal_id)
    follow = Follow.objects.select_for_update().filter(user=user, **target).first()
    if follow is None:
        try:
            with transaction.atomic():
                Follow.objects.create(user=user, **target)
        except IntegrityError:  # the same click twice in one instant
            pass
        return True
    follow.is_active = not follow.is_active
    follow.automatic = False
    follow.save(update_fields=["is_active", "automatic"])
    return follow.is_active


def follow_auto(*, user, locality=None, proposal_id=None) -> None:
    """Follows because the person wrote, supported, commented or joined. A follow the person
    stopped stays stopped."""
    if user is None or not user.is_active:
        return
    Follow.objects.bulk_create(
        [Follow(user=user, automatic=True, **_target(locality, proposal_id))],
        ignore_conflicts=True,
    )


# -- settings ---------------------------------------------------------------------------


def settings_for(user) -> dict[str, str]:
    """The person's choice for every kind, defaults filled in."""
    chosen = dict(NotificationSetting.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULT_DELIVERY) for kind in Kind.values}


@transaction.atomic
def settings_save(*, user, choices: dict[str, str]) -> None:
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            raise NotificationError(_("Choose direct, weekly digest or never for each kind."))
    now = timezone.now()
    for kind, delivery in choices.items():
        NotificationSetting.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery, "changed_at": now}
        )
    never = [k for k, d in choices.items() if d == Delivery.NEVER]
    if never:
        Notice.objects.filter(user=user, kind__in=never, digest_key__isnull=True).delete()


def _deliveries(user_ids, kind) -> dict[int, str]:
    chosen = dict(
        NotificationSetting.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY) for pk in user_ids}


# -- unsubscribe ------------------------------------------------------------------------


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str):
    """(user, kind) for a valid token; None for a forged, tampered or expired one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    kind = data.get("k") if isinstance(data, dict) else None
    if kind not in (*Kind.values, DIGEST):
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
    mailto = f"mailto:{UNSUBSCRIBE_MAILTO}?subject={quote('unsubscribe ' + token)}"
    headers = {
        "List-Unsubscribe": f"<{link}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if bulk:
        headers["Precedence"] = "bulk"
    return headers


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


# -- notify -----------------------------------------------------------------------------


def _recipients(
    *, locality_id, proposal_id, all_ort_followers, user_ids, actor, exclude_user_ids
) -> dict[int, dict]:
    # locality_id is None when only the proposal's followers are meant.
    """Who hears of it, each once, with the reason: {user_id: {email, language, why}}."""
    found: dict[int, dict] = {}
    q = Q()
    if proposal_id is not None:
        q |= Q(proposal_id=proposal_id)
    if locality_id is not None:
        q |= Q(locality_id=locality_id)
    if all_ort_followers:
        q |= Q(locality__isnull=False)
    if q:
        rows = (
            Follow.objects.filter(q, is_active=True, user__is_active=True)
            .order_by("user_id", F("proposal_id").asc(nulls_last=True))
            .values_list("user_id", "proposal_id", "user__email", "user__language")
        )
        for user_id, followed_proposal, email, language in rows:
            why = "proposal" if followed_proposal is not None else "ort"
            if all_ort_followers and why == "ort":
                why = "network"
            # A proposal follow sorts first (nulls last) and is the closer reason.
            found.setdefault(user_id, {"email": email, "language": language, "why": why})
    if user_ids:
        for user_id, email, language in User.objects.filter(
            pk__in=list(user_ids), is_active=True
        ).values_list("pk", "email", "language"):
            found[user_id] = {"email": email, "language": language, "why": "member"}
    skip = set(exclude_user_ids)
    if actor is not None:
        skip.add(actor.pk)
    return {pk: r for pk, r in found.items() if pk not in skip}


def notify_preview(
    *,
    kind: str,
    locality=None,
    proposal_id=None,
    all_ort_followers=False,
    user_ids=(),
    actor=None,
    exclude_user_ids=(),
) -> dict[str, int]:
    """How many would get it at once and in their digest, without sending anything."""
    recipients = _recipients(
        locality_id=locality.pk if locality is not None else None,
        proposal_id=proposal_id,
        all_ort_followers=all_ort_followers,
        user_ids=user_ids,
        actor=actor,
        exclude_user_ids=exclude_user_ids,
    )
    deliveries = _deliveries(list(recipients), kind)
    direct = sum(1 for d in deliveries.values() if d == Delivery.DIRECT)
    digest = sum(1 for d in deliveries.values() if d == Delivery.DIGEST)
    return {"direct": direct, "digest": digest, "total": direct + digest}


def _texts(event, *, title, ort, data, language):
    values = {
        "title": title,
        "ort": ort or "",
        "status": _pick(data.get("status"), language),
        "author": data.get("author") or "",
    }
    return str(EVENT_SUBJECTS[event]) % values, str(EVENT_HEADINGS[event]) % values


def notify(
    *,
    kind: str,
    event: str,
    key: str,
    topic: str,
    title: str,
    url: str,
    locality=None,
    to_ort_followers: bool = True,
    proposal_id=None,
    all_ort_followers: bool = False,
    user_ids=(),
    actor=None,
    exclude_user_ids=(),
    text: str = "",
    data: dict | None = None,
    cause=None,
) -> dict[str, int]:
    """Tells those who follow the ort (unless to_ort_followers is False: the ort then only
    places the item in the digest; with all_ort_followers, any ort), the proposal, and the
    given people, except the actor: an e-mail now to those who chose "direct", an
    item in the weekly digest to those who chose the digest. `key` names the happening, so
    that one happening gives one e-mail per person. Call it inside the change's transaction.
    """
    if kind not in Kind.values or event not in EVENT_SUBJECTS:
        raise ValueError(f"Unknown kind or event: {kind} {event}")
    data = data or {}
    recipients = _recipients(
        locality_id=locality.pk if locality is not None and to_ort_followers else None,
        proposal_id=proposal_id,
        all_ort_followers=all_ort_followers,
        user_ids=user_ids,
        actor=actor,
        exclude_user_ids=exclude_user_ids,
    )
    if not recipients:
        return {"direct": 0, "digest": 0, "total": 0}
    deliveries = _deliveries(list(recipients), kind)
    link = absolute_url(url)
    ort = locality.name if locality is not None else ""
    now = timezone.now()
    rows, notices = [], []
    settings_link = absolute_url(reverse("notification_settings"))
    for user_id, person in recipients.items():
        delivery = deliveries[user_id]
        if delivery == Delivery.DIGEST:
            notices.append(
                Notice(
                    user_id=user_id,
                    kind=kind,
                    event=event,
                    locality=locality,
                    topic=topic,
                    title=title[:255],
                    url=url,
                    text=text,
                    data=data,
                    created_at=now,
                )
            )
            continue
        if delivery != Delivery.DIRECT:
            continue
        language = person["language"] or settings.LANGUAGE_CODE
        headers = unsubscribe_headers(user_id=user_id, kind=kind)
        with translation.override(language):
            subject, heading = _texts(event, title=title, ort=ort, data=data, language=language)
            why = str(WHY[person["why"]]) % {"ort": ort}
            kind_label = str(Kind(kind).label)
        rendered = render_email(
            template="notifications/direct",
            context={
                "subject": subject,
                "heading": heading,
                "title": title,
                "link": link,
                "text": text,
                "event": event,
                "action": data.get("action"),
                "why": why,
                "kind_label": kind_label,
                "settings_link": settings_link,
                "unsubscribe_link": _link_of(headers),
            },
            language=language,
        )
        rows.append(
            {
                "to": person["email"],
                **rendered,
                "kind": f"notifications.{kind}",
                "dedup_key": f"notify:{key}:{user_id}"[:200],
                "headers": headers,
                # What the e-mail is about, for staff following it back from the outbox.
                "cause": cause,
            }
        )
    if notices:
        Notice.objects.bulk_create(notices)
    if rows:
        email_queue_many(rows)
    return {"direct": len(rows), "digest": len(notices), "total": len(rows) + len(notices)}


def _link_of(headers: dict) -> str:
    return headers["List-Unsubscribe"].split(">", 1)[0].lstrip("<")


# -- the weekly digest --------------------------------------------------------------------


def digest_cutoff(now=None) -> datetime:
    """The start of this week's digest: the latest DIGEST_WEEKDAY at DIGEST_HOUR, Stockholm
    time, not after `now`. Items from before it go in this week's digest."""
    local = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    start = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0) - timedelta(
        days=(local.weekday() - DIGEST_WEEKDAY) % 7
    )
    if start > local:
        start -= timedelta(days=7)
    return start


def digest_week_key(cutoff: datetime) -> str:
    year, week, _day = cutoff.isocalendar()
    return f"{year}-W{week:02d}"


def _digest_context(notices: list[Notice], language: str) -> list[dict]:
    """Grouped by ort (the network's own news last), then by topic, the one with the newest
    news first; each topic once, with its latest status and every comment."""
    by_ort: dict[str, dict] = {}
    for notice in sorted(notices, key=lambda n: (n.created_at, n.pk), reverse=True):
        ort = notice.locality.name if notice.locality_id else ""
        group = by_ort.setdefault(ort, {"ort": ort, "topics": {}})
        topic = group["topics"].get(notice.topic)
        if topic is None:
            topic = group["topics"][notice.topic] = {
                "title": notice.title,
                "url": absolute_url(notice.url),
                "status": "",
                "answer": "",
                "action": None,
                "is_new": False,
                "lines": [],
            }
        if notice.event == "proposal_new":
            topic["is_new"] = True
            topic["lines"].append(
                {"heading": str(EVENT_HEADINGS["proposal_new"]), "text": notice.text}
            )
        elif notice.event == "proposal_status":
            if not topic["status"]:  # the newest status is the latest state
                topic["status"] = _pick(notice.data.get("status"), language)
                topic["answer"] = notice.text
                topic["action"] = notice.data.get("action")
        elif notice.event in ("comment", "reply") or not topic["lines"]:
            # Every comment with its text; of the rest, the newest.
            _subject, heading = _texts(
                notice.event, title=notice.title, ort=ort, data=notice.data, language=language
            )
            topic["lines"].append({"heading": heading, "text": notice.text})
    groups = sorted(by_ort.values(), key=lambda g: (g["ort"] == "", g["ort"]))
    for group in groups:
        group["topics"] = list(group["topics"].values())
        for topic in group["topics"]:
            if topic["status"]:
                # The proposal's "new" line says less than its latest state.
                topic["lines"] = [
                    line
                    for line in topic["lines"]
                    if line["heading"] != str(EVENT_HEADINGS["proposal_new"])
                ]
    return groups


def _digest_batch(user_ids: list[int], *, cutoff, week: str) -> int:
    """One batch: a fixed number of queries whatever its size."""
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=user_ids, is_active=True).only(
            "pk", "email", "language"
        )
    }
    chosen = {}
    for user_id, kind, delivery in NotificationSetting.objects.filter(
        user_id__in=user_ids
    ).values_list("user_id", "kind", "delivery"):
        chosen[(user_id, kind)] = delivery
    waiting = (
        Notice.objects.filter(user_id__in=user_ids, digest_key__isnull=True, created_at__lt=cutoff)
        .select_related("locality")
        .order_by("user_id", "-created_at", "-id")
    )
    by_user: dict[int, list[Notice]] = {}
    for notice in waiting:
        # Turned off since: left out. Turned to "direct" since: still due, in the digest.
        if chosen.get((notice.user_id, notice.kind), DEFAULT_DELIVERY) == Delivery.NEVER:
            continue
        by_user.setdefault(notice.user_id, []).append(notice)
    settings_link = absolute_url(reverse("notification_settings"))
    rows = []
    for user_id, notices in by_user.items():
        user = users.get(user_id)
        if user is None:
            continue
        language = user.language or settings.LANGUAGE_CODE
        headers = unsubscribe_headers(user_id=user_id, kind=DIGEST, bulk=True)
        with translation.override(language):
            groups = _digest_context(notices, language)
        rendered = render_email(
            template="notifications/digest",
            context={
                "groups": groups,
                "count": sum(len(g["topics"]) for g in groups),
                "settings_link": settings_link,
                "unsubscribe_link": _link_of(headers),
            },
            language=language,
        )
        rows.append(
            {
                "to": user.email,
                **rendered,
                "kind": "notifications.digest",
                "dedup_key": f"digest:{user_id}:{week}",
                "headers": headers,
            }
        )
    if rows:
        email_queue_many(rows)
    # Everything looked at is done with: sent, or turned off since.
    Notice.objects.filter(
        user_id__in=user_ids, digest_key__isnull=True, created_at__lt=cutoff
    ).update(digest_key=week)
    return len(rows)


def digest_send_due(*, now=None, batch_size: int = DIGEST_BATCH_SIZE) -> int:
    """The weekly digest: one e-mail per person per ISO week, with what waited for it
    before this week's start. Run as often as you like: the outbox's uniqueness key
    (digest:<person>:<week>) lets a second run, or a run at the same moment, send nothing
    more. Returns the number of digests written."""
    cutoff = digest_cutoff(now)
    week = digest_week_key(cutoff)
    sent = 0
    while True:
        user_ids = list(
            Notice.objects.filter(digest_key__isnull=True, created_at__lt=cutoff)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:batch_size]
        )
        if not user_ids:
            return sent
        with transaction.atomic():
            sent += _digest_batch(user_ids, cutoff=cutoff, week=week)
