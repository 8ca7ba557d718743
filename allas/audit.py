"""The audit log: one call in each service that changes something on behalf of a
coordinator or staff member, inside that service's transaction, so the entry and the change
are kept or rolled back together. A public body must be able to say who published a plan,
sent the invitations or cancelled a meeting."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.text import Truncator

from .models import AuditEvent, PeriodicJobRun

Verb = AuditEvent.Verb

# The retention job's entry in PeriodicJobRun.
RETENTION_JOB = "audit-retention"


def record(*, actor, verb: str, obj, summary, group=None, values=None) -> AuditEvent:
    """Writes one entry. `summary` is a translatable text, filled with `values`; it is
    stored in the portal's language (Swedish) whatever language the actor uses, like the
    object's name, which is kept so the entry still reads after the object is deleted."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(summary) % values if values is not None else str(summary)
        label = str(obj) if obj is not None else ""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        object_label=Truncator(label).chars(200),
        group=group,
        summary=Truncator(text).chars(500),
    )


def events_for_group(group, *, limit: int):
    """The latest entries about one group, for its coordinators' page: one query."""
    return list(
        AuditEvent.objects.filter(group=group)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def remove_expired(now=None) -> int:
    """The periodic job: entries older than AUDIT_RETENTION_DAYS are deleted (three years
    by default, as the privacy notice says). Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _by_model = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    PeriodicJobRun.objects.update_or_create(job=RETENTION_JOB, defaults={"finished_at": now})
    return deleted
