"""The groups app's part of a person's register extract and of deleting an account."""

from django.utils.translation import gettext as _

from allas import audit

from .models import Membership
from .permissions import coordinator_memberships, is_last_coordinator


def export(user) -> dict:
    return {
        "memberships": [
            {
                "group": m.group.name,
                "role": m.role,
                "status": m.status,
                "represents": m.sector,
                "age_band": m.age_band,
                "network_delegate": m.is_delegate,
                "why": m.motivation,
                "asked": m.requested_at,
                "member_since": m.joined_at,
                "left": m.left_at,
            }
            for m in Membership.objects.filter(user=user).select_related("group")
        ]
    }


def refuse_erase(user) -> str | None:
    """A group always keeps a coordinator, also when one deletes their account."""
    for m in coordinator_memberships(user).select_related("group"):
        if is_last_coordinator(m):
            return _(
                "You are the only coordinator of %(group)s. Appoint another coordinator "
                "before you delete your account."
            ) % {"group": m.group.name}
    return None


def erase(user) -> None:
    """Memberships go with the account; the record of decisions and the audit log keep
    no name."""
    memberships = Membership.objects.filter(user=user)
    audit.forget_person(memberships)
    memberships.delete()
