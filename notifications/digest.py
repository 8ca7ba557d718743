"""The weekly digest: what waited for each person who chose it, in one e-mail a week."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from allas.models import User
from allas.services import absolute_url, email_queue_many, render_email

from .models import DEFAULT_DELIVERY, DIGEST, Delivery, Notice, NotificationSetting
from .notices import Event, InDigest, event_texts, pick_language, registered_events
from .unsubscribe import unsubscribe_headers, unsubscribe_link_in

# People per digest batch; the outbox writes 500 rows per insert.
DIGEST_BATCH_SIZE = 500


def digest_cutoff(now=None) -> datetime:
    """The start of this week's digest: the latest DIGEST_WEEKDAY at DIGEST_HOUR, Stockholm
    time, not after `now`. Items from before it go in this week's digest."""
    local = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    start = local.replace(hour=settings.DIGEST_HOUR, minute=0, second=0, microsecond=0)
    start -= timedelta(days=(local.weekday() - settings.DIGEST_WEEKDAY) % 7)
    if start > local:
        start -= timedelta(days=7)
    return start


def digest_week_key(cutoff: datetime) -> str:
    year, week, _day = cutoff.isocalendar()
    return f"{year}-W{week:02d}"


def _digest_context(notices: list[Notice], language: str, events: dict[str, Event]) -> list:
    """Grouped by ort (the network's own news last), then by topic, the one with the newest
    news first; each topic once, with its latest state and every line its events give."""
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
        event = events[notice.event]
        _subject, heading = event_texts(
            event, title=notice.title, ort=ort, data=notice.data, language=language
        )
        if event.in_digest == InDigest.OPENS:
            topic["is_new"] = True
            topic["lines"].append({"heading": heading, "text": notice.text, "opens": True})
        elif event.in_digest == InDigest.STATE:
            if not topic["status"]:  # the newest status is the latest state
                topic["status"] = pick_language(notice.data.get("status"), language)
                topic["answer"] = notice.text
                topic["action"] = notice.data.get("action")
        elif event.in_digest == InDigest.EACH or not topic["lines"]:
            topic["lines"].append({"heading": heading, "text": notice.text})
    groups = sorted(by_ort.values(), key=lambda g: (g["ort"] == "", g["ort"]))
    for group in groups:
        group["topics"] = list(group["topics"].values())
        for topic in group["topics"]:
            if topic["status"]:
                # The line that opened the topic says less than its latest state.
                topic["lines"] = [line for line in topic["lines"] if not line.get("opens")]
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
    events = registered_events()
    rows = []
    for user_id, notices in by_user.items():
        user = users.get(user_id)
        if user is None:
            continue
        language = user.language or settings.LANGUAGE_CODE
        headers = unsubscribe_headers(user_id=user_id, kind=DIGEST, bulk=True)
        with translation.override(language):
            groups = _digest_context(notices, language, events)
        rendered = render_email(
            template="notifications/digest",
            context={
                "groups": groups,
                "count": sum(len(g["topics"]) for g in groups),
                "settings_link": settings_link,
                "unsubscribe_link": unsubscribe_link_in(headers),
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
