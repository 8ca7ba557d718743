"""Telling people what happened. The apps call `notify()` with a `Notification` when
something happens (no signals): it finds who hears of it, sends at once to those who chose
"direct", and keeps an item for the weekly digest of those who chose the digest. Everything
goes through the core's outbox."""

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from allas.models import User
from allas.services import absolute_url, email_queue_many, render_email
from allas.vocabulary import notice_kind_label, notice_kinds

from .models import Delivery, Follow, Notice
from .notices import Audience, Notification, event_texts, registered_events
from .preferences import deliveries_for
from .unsubscribe import unsubscribe_headers, unsubscribe_link_in

# Why a person gets an e-mail, said at its end.
WHY = {
    "ort": gettext_lazy("You get this e-mail because you follow %(ort)s."),
    "proposal": gettext_lazy("You get this e-mail because you follow the proposal."),
    "member": gettext_lazy("You get this e-mail because you are a member of the group in %(ort)s."),
    "network": gettext_lazy("You get this e-mail because you follow an ort in Allas Vimmerby."),
}


def _recipients(audience: Audience) -> dict[int, dict]:
    """Who hears of it, each once, with the reason: {user_id: {email, language, why}}."""
    found: dict[int, dict] = {}
    q = Q()
    by_proposal = Value(False)
    if audience.proposal_followers is not None:
        by_proposal = Q(pk__in=audience.proposal_followers)
        q |= by_proposal
    ort_follows = Follow.objects.filter(is_active=True)
    if audience.every_ort:
        q |= Q(pk__in=ort_follows.values("user_id"))
    elif audience.ort is not None:
        q |= Q(pk__in=ort_follows.filter(locality_id=audience.ort.pk).values("user_id"))
    if q:
        rows = (
            User.objects.filter(q, is_active=True)
            .annotate(by_proposal=ExpressionWrapper(by_proposal, output_field=BooleanField()))
            .order_by("pk")
            .values_list("pk", "email", "language", "by_proposal")
        )
        ort_why = "network" if audience.every_ort else "ort"
        for user_id, email, language, follows_proposal in rows:
            # Following the proposal is the closer reason than following its ort.
            why = "proposal" if follows_proposal else ort_why
            found[user_id] = {"email": email, "language": language, "why": why}
    if audience.user_ids:
        for user_id, email, language in User.objects.filter(
            pk__in=list(audience.user_ids), is_active=True
        ).values_list("pk", "email", "language"):
            found[user_id] = {"email": email, "language": language, "why": "member"}
    skip = set(audience.exclude_user_ids)
    if audience.actor is not None:
        skip.add(audience.actor.pk)
    return {pk: r for pk, r in found.items() if pk not in skip}


def notify_preview(*, kind: str, audience: Audience) -> dict[str, int]:
    """How many would get it at once and in their digest, without sending anything."""
    deliveries = deliveries_for(list(_recipients(audience)), kind)
    direct = sum(1 for d in deliveries.values() if d == Delivery.DIRECT)
    digest = sum(1 for d in deliveries.values() if d == Delivery.DIGEST)
    return {"direct": direct, "digest": digest, "total": direct + digest}


def notify(notification: Notification) -> dict[str, int]:
    """Tells its audience: an e-mail now to those who chose "direct", an item in the weekly
    digest to those who chose the digest, nothing to those who chose "never". One
    notification key gives one e-mail per person. Call it inside the change's transaction.
    Returns how many were told each way."""
    n = notification
    event = registered_events().get(n.event)
    if n.kind not in notice_kinds() or event is None:
        raise ValueError(f"Unknown kind or event: {n.kind} {n.event}")
    recipients = _recipients(n.audience)
    if not recipients:
        return {"direct": 0, "digest": 0, "total": 0}
    deliveries = deliveries_for(list(recipients), n.kind)
    link = absolute_url(n.url)
    ort = n.locality.name if n.locality is not None else ""
    now = timezone.now()
    rows, notices = [], []
    settings_link = absolute_url(reverse("notification_settings"))
    for user_id, person in recipients.items():
        delivery = deliveries[user_id]
        if delivery == Delivery.DIGEST:
            notices.append(
                Notice(
                    user_id=user_id,
                    kind=n.kind,
                    event=n.event,
                    locality=n.locality,
                    topic=n.topic,
                    title=n.title[:255],
                    url=n.url,
                    text=n.text,
                    data=n.data,
                    created_at=now,
                )
            )
            continue
        if delivery != Delivery.DIRECT:
            continue
        language = person["language"] or settings.LANGUAGE_CODE
        headers = unsubscribe_headers(user_id=user_id, kind=n.kind)
        with translation.override(language):
            subject, heading = event_texts(
                event, title=n.title, ort=ort, data=n.data, language=language
            )
            why = str(WHY[person["why"]]) % {"ort": ort}
            kind_label = notice_kind_label(n.kind)
        rendered = render_email(
            template="notifications/direct",
            context={
                "subject": subject,
                "heading": heading,
                "title": n.title,
                "link": link,
                "text": n.text,
                "event": n.event,
                "action": n.data.get("action"),
                "why": why,
                "kind_label": kind_label,
                "settings_link": settings_link,
                "unsubscribe_link": unsubscribe_link_in(headers),
            },
            language=language,
        )
        rows.append(
            {
                "to": person["email"],
                **rendered,
                "kind": f"notifications.{n.kind}",
                "dedup_key": f"notify:{n.key}:{user_id}"[:200],
                "headers": headers,
                # What the e-mail is about, for staff following it back from the outbox.
                "cause": n.cause,
            }
        )
    if notices:
        Notice.objects.bulk_create(notices)
    if rows:
        email_queue_many(rows)
    return {"direct": len(rows), "digest": len(notices), "total": len(rows) + len(notices)}
