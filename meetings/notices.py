"""What the followers hear of meetings: that a network meeting is published, and that the
group of an ort they follow has published a dialogue meeting. The texts are
registered with notifications through settings.NOTICE_MODULES."""

from django.utils.translation import gettext_lazy as _

from notifications.notices import Audience, Event, Notification

from .words import NoticeKind

EVENTS = {
    "meeting_published": Event(
        subject=_("New network meeting: %(title)s"),
        heading=_("The meeting has been published"),
    ),
    "dialogue_published": Event(
        subject=_("Meeting in %(ort)s: %(title)s"),
        heading=_("The group has invited to a meeting"),
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


def dialogue_published(meeting, *, by) -> Notification:
    """The followers of the meeting's ort hear of it, as their settings say."""
    locality = meeting.group.locality
    return Notification(
        kind=NoticeKind.DIALOGUE,
        event="dialogue_published",
        key=f"dialogue-published:{meeting.pk}",
        topic=f"dialogue:{meeting.pk}",
        cause=meeting,
        title=meeting.title,
        url=meeting.get_absolute_url(),
        locality=locality,
        audience=Audience(ort=locality, actor=by),
    )
