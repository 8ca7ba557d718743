"""The network meetings' part of a person's register extract and of deleting an account."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Invitation, NetworkRole


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
