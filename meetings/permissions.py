"""Who may read what of a network meeting. Plain functions, used by views and templates."""

from groups.models import Membership

from .models import Invitation, NetworkMeeting


def _is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def can_read_booklet(user, meeting: NetworkMeeting, now=None) -> bool:
    """Staff always; from the report deadline, every logged-in member of a group in the
    network and everyone invited, so the groups can read each other's plans before they
    meet."""
    if _is_staff(user):
        return True
    if not user.is_authenticated or not meeting.booklet_is_open(now):
        return False
    return (
        Membership.objects.active().filter(user=user).exists()
        or meeting.invitations.filter(user=user).exists()
    )


def can_read_booklet_by_invitation(invitation: Invitation, now=None) -> bool:
    """The personal link works for every invitee once the booklet is open."""
    return invitation.meeting.booklet_is_open(now)
