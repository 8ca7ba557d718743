"""Who may do what with a group's dialogue meeting. Plain functions, used by views,
services and templates."""

from allas.permissions import is_verified_resident
from groups.models import DialogueMeeting
from groups.permissions import can_manage_group


def can_manage_meetings(user, group) -> bool:
    """The group's coordinators and staff (with a second factor) hold its meetings:
    create, edit, publish, cancel, see the sign-ups, mark held, publish minutes."""
    return can_manage_group(user, group)


def can_see_meeting(user, meeting: DialogueMeeting) -> bool:
    """Published, cancelled and held meetings are public; a draft is its group's
    coordinators' and staff's, and to everyone else it does not exist."""
    return meeting.is_public or can_manage_meetings(user, meeting.group)


def can_sign_up_in_one_step(user) -> bool:
    """A signed-in resident with a confirmed address signs up without a link to confirm."""
    return is_verified_resident(user)
