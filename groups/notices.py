"""What the followers of an ort and a group's members hear from the group: its development
plan and the coordinators' messages. The texts are registered with notifications through
settings.NOTICE_MODULES."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.notices import Audience, Event, Notification

from .models import Membership
from .words import NoticeKind

EVENTS = {
    "plan_published": Event(
        subject=_("%(ort)s has published its development plan"),
        heading=_("The plan has been published"),
    ),
    "plan_updated": Event(
        subject=_("%(ort)s has updated its development plan"),
        heading=_("The plan has been updated"),
    ),
    "group_message": Event(
        subject=_("Message from the group in %(ort)s: %(title)s"),
        heading=_("Message from the coordinators"),
    ),
}


def _plan_notice(plan, *, by, event: str, key: str) -> Notification:
    locality = plan.group.locality
    return Notification(
        kind=NoticeKind.PLANS,
        event=event,
        key=key,
        topic=f"plan:{plan.pk}",
        cause=plan,
        title=str(plan.title),
        url=plan.get_absolute_url(),
        locality=locality,
        audience=Audience(ort=locality, actor=by),
    )


def plan_published(plan, *, by) -> Notification:
    """The ort's followers hear that its group published the plan."""
    return _plan_notice(plan, by=by, event="plan_published", key=f"plan-published:{plan.pk}")


def plan_updated(plan, *, by) -> Notification:
    """The ort's followers hear of changes to a published plan: one e-mail a day at most."""
    day = timezone.localdate().isoformat()
    return _plan_notice(plan, by=by, event="plan_updated", key=f"plan-updated:{plan.pk}:{day}")


def group_message_audience(group, *, include_followers: bool, by) -> Audience:
    """The group's members, and if chosen the ort's followers; not the sender."""
    members = Membership.objects.active().filter(group=group).values_list("user_id", flat=True)
    return Audience(
        ort=group.locality if include_followers else None,
        user_ids=tuple(members),
        actor=by,
    )


def group_message_sent(message) -> Notification:
    """The coordinators' message, to its audience as each person chose."""
    group = message.group
    return Notification(
        kind=NoticeKind.GROUP_MESSAGES,
        event="group_message",
        key=f"group-message:{message.pk}",
        topic=f"message:{message.pk}",
        cause=message,
        title=message.subject,
        url=group.get_absolute_url(),
        locality=group.locality,
        audience=group_message_audience(
            group, include_followers=message.to_followers, by=message.author
        ),
        text=message.body,
    )
