"""The messages the coordinators have sent, on the group's management page."""

from django import template

from groups.message_services import MESSAGES_PER_MONTH, messages_left
from groups.models import GroupMessage

register = template.Library()


@register.inclusion_tag("groups/_messages_sent.html")
def group_messages_sent(group, limit=20):
    return {
        "group": group,
        "sent": list(GroupMessage.objects.filter(group=group).select_related("author")[:limit]),
        "left": messages_left(group),
        "per_month": MESSAGES_PER_MONTH,
    }
