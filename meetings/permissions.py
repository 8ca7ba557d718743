"""Who may do what with a network meeting. Plain functions, used by views, the admin,
services and templates."""

from django.utils import timezone

from allas.permissions import is_staff_member
from groups.models import Membership
from groups.permissions import can_manage_group, coordinated_groups

from .models import Invitation, NetworkMeeting


def can_see_meeting(user, meeting: NetworkMeeting) -> bool:
    """Published, cancelled and held meetings are public; a draft is staff's only, and to
    everyone else it does not exist."""
    return meeting.is_public or is_staff_member(user)


def can_answer_invitation(invitation: Invitation, now=None) -> bool:
    """Whoever holds the personal link answers, without logging in, while the meeting is
    published and the last day to answer has not passed."""
    now = now or timezone.now()
    meeting = invitation.meeting
    return meeting.status == NetworkMeeting.Status.PUBLISHED and now <= meeting.rsvp_deadline


def can_answer_signup(signup, now=None) -> bool:
    """A sign-up can be cancelled, by its link or from a calendar, until the meeting
    starts, while it is published."""
    meeting = signup.meeting
    return meeting.status == meeting.Status.PUBLISHED and not meeting.has_started(now)


def can_submit_report(user, group) -> bool:
    """A group's report to the network meeting is written by its coordinators, or by
    staff on their behalf."""
    return can_manage_group(user, group)


def report_groups(user):
    """The groups whose report the person is asked for on the meeting's page: those they
    coordinate."""
    return coordinated_groups(user)


def can_read_booklet(user, meeting: NetworkMeeting, now=None) -> bool:
    """Staff always; from the report deadline, every logged-in member of a group in the
    network and everyone invited, so the groups can read each other's plans before they
    meet."""
    if is_staff_member(user):
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


def can_run_meetings(user) -> bool:
    """Staff run the yearly meeting from the admin: edit it, publish it, build the
    invitation list, add guests, send the invitations, remind, cancel, mark it held and
    publish the minutes. The development department's permission group holds the right."""
    return is_staff_member(user) and user.has_perm("meetings.change_networkmeeting")
