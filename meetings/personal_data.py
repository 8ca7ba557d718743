"""The meetings' part of a person's register extract and of deleting an account: the
network meeting's invitations and roles, and the sign-ups to the groups' dialogue
meetings."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .dialogue import signups
from .models import Invitation, NetworkRole, SignUp


def export(user) -> dict:
    return {
        "invitations": [
            {
                "meeting": i.meeting.title,
                "starts": i.meeting.starts_at,
                "answer": i.answer,
                "dietary_needs": i.dietary_needs,
                "accessibility_needs": i.accessibility_needs,
            }
            for i in Invitation.objects.filter(user=user).select_related("meeting")
        ],
        "network_roles": [r.description for r in NetworkRole.objects.filter(user=user)],
        "dialogue_meeting_signups": [
            {
                "meeting": s.meeting.title,
                "group": s.meeting.group.name,
                "starts": s.meeting.starts_at,
                "name": s.name,
                "email": s.email,
                "status": s.status,
                "food_needs": s.food_needs,
                "access_needs": s.access_needs,
                "signed_up": s.created_at,
                "confirmed": s.confirmed_at,
                "cancelled": s.cancelled_at,
            }
            for s in SignUp.objects.filter(user=user)
            .select_related("meeting__group")
            .order_by("meeting__starts_at", "id")
        ],
    }


def refuse_erase(user) -> str | None:
    return None


def erase(user) -> None:
    """Invitations are kept for the meetings' counts, without name, address or needs."""
    with translation.override(settings.LANGUAGE_CODE):
        former = _("Former user")
    for invitation in Invitation.objects.filter(user=user):
        invitation.name = former
        invitation.email = f"raderad-{invitation.pk}@invalid.example"
        invitation.dietary_needs = invitation.accessibility_needs = ""
        invitation.user = None
        invitation.save()
    NetworkRole.objects.filter(user=user).delete()
    # The sign-ups go with the account (the foreign key cascades); a seat at a coming
    # meeting is given up first, so that the first on the waiting list moves up.
    for signup in SignUp.objects.filter(user=user, status=SignUp.Status.SIGNED_UP).filter(
        meeting__status="published", meeting__starts_at__gt=timezone.now()
    ):
        signups.signup_cancel(signup=signup)
