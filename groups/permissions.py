"""Who may do what with a group. Plain functions, used by views, templates and tests.

`memberships` is the viewer's own memberships of the group, when the caller already has
them, so a page asks the database once."""

from .models import Membership


def _is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def viewer_membership(user, group) -> Membership | None:
    """The viewer's pending or active membership of the group, if any."""
    if not user.is_authenticated:
        return None
    return Membership.objects.current().filter(user=user, group=group).first()


def is_active_member(membership: Membership | None) -> bool:
    return membership is not None and membership.status == Membership.Status.ACTIVE


def is_coordinator(membership: Membership | None) -> bool:
    return membership is not None and membership.is_coordinator


def can_manage_group(user, group, membership: Membership | None = None) -> bool:
    """Coordinators of this group and staff run its membership and page."""
    if _is_staff(user):
        return True
    if membership is None:
        membership = viewer_membership(user, group)
    return is_coordinator(membership)


def can_see_member_names(user, group, membership: Membership | None = None) -> bool:
    """Active members see each other's display names; the public sees only counts."""
    if _is_staff(user):
        return True
    if membership is None:
        membership = viewer_membership(user, group)
    return is_active_member(membership)


def managed_group_ids(user) -> set[int] | None:
    """The groups whose requests the user may see: None means all (staff), an empty set
    none. Coordinators of one group have no rights in another."""
    if _is_staff(user):
        return None
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.coordinators().filter(user=user).values_list("group_id", flat=True)
    )


def can_edit_plan(user, group, membership: Membership | None = None) -> bool:
    """The group's coordinators and staff write its plan."""
    return can_manage_group(user, group, membership)


def can_see_draft_plans(user, group, membership: Membership | None = None) -> bool:
    """Members read their group's drafts; the public reads published plans only."""
    return can_see_member_names(user, group, membership)
