"""The coordinators' message to the group: members, and if chosen the ort's followers,
each as they chose in their notification settings, through the outbox."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from allas import audit
from notifications.models import Delivery, Follow, NotificationSetting
from notifications.notify import notify, notify_preview

from .models import DevelopmentGroup, GroupMessage, Membership
from .notices import group_message_audience, group_message_sent
from .services import GroupError
from .words import AuditVerb as Verb
from .words import NoticeKind

MESSAGES_PER_MONTH = 4


def month_start(now=None) -> datetime:
    local = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def messages_left(group, now=None) -> int:
    sent = GroupMessage.objects.filter(group=group, created_at__gte=month_start(now)).count()
    return max(0, MESSAGES_PER_MONTH - sent)


def chose_never(*, group, include_followers: bool, by) -> int:
    """How many of the message's audience chose never to get the group's messages: one
    query. "Never" is only ever a setting someone saved (the default is the digest), so
    the count is of those settings among the members and, if chosen, the ort's followers;
    the audience is the one group_message_audience names, the sender left out."""
    members = Membership.objects.active().filter(group=group).values("user_id")
    among = Q(user_id__in=members)
    if include_followers:
        among |= Q(
            user_id__in=Follow.objects.filter(is_active=True, locality_id=group.locality_id).values(
                "user_id"
            )
        )
    return (
        NotificationSetting.objects.filter(
            among,
            kind=NoticeKind.GROUP_MESSAGES,
            delivery=Delivery.NEVER,
            user__is_active=True,
        )
        .exclude(user_id=by.pk)
        .count()
    )


def group_message_recipients(*, group, include_followers: bool, by) -> dict[str, int]:
    """How many get it at once, how many in their weekly digest, and how many chose never
    to get the group's messages (they are not among the recipients)."""
    audience = group_message_audience(group, include_followers=include_followers, by=by)
    counts = notify_preview(kind=NoticeKind.GROUP_MESSAGES, audience=audience)
    never = chose_never(group=group, include_followers=include_followers, by=by)
    return {**counts, "never": never}


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
    counts = notify(group_message_sent(message))
    message.recipient_count = counts["total"]
    message.save(update_fields=["recipient_count"])
    # Not stored: what the confirmation tells the sender, who gets it now and who in
    # the weekly digest (the stored count is everyone told either way).
    message.delivered = {
        "direct": counts["direct"],
        "digest": counts["digest"],
        "never": chose_never(group=group, include_followers=include_followers, by=by),
    }
    sent = {"n": message.recipient_count}
    audit.record(
        actor=by,
        verb=Verb.GROUP_MESSAGE_SENT,
        obj=message,
        locality_id=group.locality_id,
        values=sent,
    )
    return message
