"""The messages the coordinators have sent, on the group's management page: one query."""

from django import template

from groups.message_services import MESSAGES_PER_MONTH, month_start
from groups.models import GroupMessage

register = template.Library()


@register.inclusion_tag("groups/_messages_sent.html")
def group_messages_sent(group, limit=20):
    sent = list(GroupMessage.objects.filter(group=group).select_related("author")[:limit])
    # At most MESSAGES_PER_MONTH a month, so this month's are all among the newest.
    this_month = sum(1 for m in sent if m.created_at >= month_start())
    return {
        "group": group,
        "sent": sent,
        "left": max(0, MESSAGES_PER_MONTH - this_month),
        "per_month": MESSAGES_PER_MONTH,
    }
