"""The coordinators' message to the group: members, and if chosen the ort's followers,
each as they chose in their notification settings, through the outbox."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allas import audit
from notifications.models import Kind
from notifications.services import notify, notify_preview

from .models import DevelopmentGroup, GroupMessage, Membership
from .services import GroupError

MESSAGES_PER_MONTH = 4


def month_start(now=None) -> datetime:
    local = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def messages_left(group, now=None) -> int:
    sent = GroupMessage.objects.filter(group=group, created_at__gte=month_start(now)).count()
    return max(0, MESSAGES_PER_MONTH - sent)


def _audience(group, include_followers: bool, by) -> dict:
    return {
        "kind": Kind.GROUP_MESSAGES,
        "locality": group.locality if include_followers else None,
        "user_ids": list(
            Membership.objects.active().filter(group=group).values_list("user_id", flat=True)
        ),
        "actor": by,
    }


def group_message_recipients(*, group, include_followers: bool, by) -> dict[str, int]:
    """How many get it at once, how many in their weekly digest (none who chose "never")."""
    return notify_preview(**_audience(group, include_followers, by))


@transaction.atomic
def group_message_send(
    *, group, by, subject: str, body: str, include_followers: bool = False
) -> GroupMessage:
    # The group's lock makes two coordinators sending at once count one after the other.
    DevelopmentGroup.objects.select_for_update().filter(pk=group.pk).first()
    if messages_left(group) <= 0:
        raise GroupError(
            _("The group can send at most %(n)d messages a month. Try again next month.")
            % {"n": MESSAGES_PER_MONTH}
        )
    message = GroupMessage.objects.create(
        group=group,
        author=by,
        subject=subject.strip(),
        body=body.strip(),
        to_followers=include_followers,
    )
    audience = _audience(group, include_followers, by)
    counts = notify(
        event="group_message",
        key=f"group-message:{message.pk}",
        topic=f"message:{message.pk}",
        cause=message,
        title=message.subject,
        url=group.get_absolute_url(),
        text=message.body,
        to_ort_followers=include_followers,
        **{**audience, "locality": group.locality},
    )
    message.recipient_count = counts["total"]
    message.save(update_fields=["recipient_count"])
    sent = {"n": message.recipient_count}
    audit.record(
        actor=by, verb=audit.Verb.GROUP_MESSAGE_SENT, obj=message, group=group, values=sent
    )
    return message
