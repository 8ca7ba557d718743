"""What the followers hear of the network meeting: that one is published. The texts are
registered with notifications through settings.NOTICE_MODULES."""

from django.utils.translation import gettext_lazy as _

from notifications.notices import Audience, Event, Notification

from .words import NoticeKind

EVENTS = {
    "meeting_published": Event(
        subject=_("New network meeting: %(title)s"),
        heading=_("The meeting has been published"),
    ),
}


def meeting_published(meeting, *, by) -> Notification:
    """The followers of every ort hear of it: the meeting is the whole network's."""
    return Notification(
        kind=NoticeKind.MEETINGS,
        event="meeting_published",
        key=f"meeting-published:{meeting.pk}",
        topic=f"meeting:{meeting.pk}",
        cause=meeting,
        title=meeting.title,
        url=meeting.get_absolute_url(),
        audience=Audience(every_ort=True, actor=by),
    )
