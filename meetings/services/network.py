"""The network the meeting invites: every group's coordinators and delegates, and the
people staff give a network role, who are retired rather than deleted."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import Membership

from ..models import Invitation, NetworkRole
from ..words import AuditVerb as Verb
from .common import record_audit


def roster() -> list[dict]:
    """The network: every group's coordinators and delegates, and the people staff have
    given a network role. One entry per person; a group role comes first."""
    entries: dict[int, dict] = {}
    memberships = (
        Membership.objects.active()
        .filter(Q(role=Membership.Role.COORDINATOR) | Q(is_delegate=True))
        .select_related("user", "group__locality")
        .order_by("group__locality__name", "-role", "user__display_name")
    )
    for m in memberships:
        if m.user_id in entries or not m.user.is_active:
            continue
        what = _("Coordinator") if m.role == Membership.Role.COORDINATOR else _("Network delegate")
        entries[m.user_id] = {
            "user": m.user,
            "represents": Invitation.Represents.GROUP,
            "group": m.group,
            "role_description": f"{what}, {m.group.name}",
        }
    for role in NetworkRole.objects.filter(active=True, user__is_active=True).select_related(
        "user"
    ):
        if role.user_id in entries:
            continue
        entries[role.user_id] = {
            "user": role.user,
            "represents": (
                Invitation.Represents.MUNICIPALITY
                if role.kind == NetworkRole.Kind.MUNICIPALITY
                else Invitation.Represents.ADVISORY_BOARD
            ),
            "group": None,
            "role_description": role.description,
        }
    return list(entries.values())


@transaction.atomic
def network_roles_set_active(*, roles, active: bool, by) -> int:
    """Retires or reinstates network roles. A retired role is left out of the next
    invitation list; invitations already made stay as they are."""
    changed = list(roles.exclude(active=active))
    NetworkRole.objects.filter(pk__in=[role.pk for role in changed]).update(active=active)
    reinstated = gettext_lazy("Reinstated the network role.") if active else None
    for role in changed:
        record_audit(by, Verb.NETWORK_ROLES_CHANGED, role, summary=reinstated)
    return len(changed)
