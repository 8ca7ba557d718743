"""Who may do what with a group. Plain functions, used by views, templates and tests.

`memberships` is the viewer's own memberships of the group, when the caller already has
them, so a page asks the database once."""

from allas.permissions import is_staff_member, is_verified_resident

from .models import DevelopmentGroup, Membership


def viewer_membership(user, group) -> Membership | None:
    """The viewer's pending or active membership of the group, if any."""
    if not user.is_authenticated:
        return None
    return Membership.objects.current().filter(user=user, group=group).first()


def is_active_member(membership: Membership | None) -> bool:
    return membership is not None and membership.status == Membership.Status.ACTIVE


def is_coordinator(membership: Membership | None) -> bool:
    return membership is not None and membership.is_coordinator


def coordinator_memberships(user):
    """This person's active memberships with the coordinator role, as a queryset."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.coordinators().filter(user=user)


def coordinated_groups(user):
    """The groups this person coordinates, as a queryset: the one answer to that question
    for the groups, the dialogue (whose orter they answer for) and the network meeting
    (whose report they write). Staff coordinate none of their own: their rights come from
    being staff, which each rule asks separately."""
    return DevelopmentGroup.objects.filter(pk__in=coordinator_memberships(user).values("group_id"))


def can_ask_to_join(user) -> bool:
    """Residents with a verified e-mail address ask to join; the coordinators answer them
    by e-mail."""
    return is_verified_resident(user)


def can_manage_group(user, group, membership: Membership | None = None) -> bool:
    """Coordinators of this group and staff run its membership and page."""
    if is_staff_member(user):
        return True
    if membership is None:
        membership = viewer_membership(user, group)
    return is_coordinator(membership)


def can_see_member_names(user, group, membership: Membership | None = None) -> bool:
    """Active members see each other's display names; the public sees only counts."""
    if is_staff_member(user):
        return True
    if membership is None:
        membership = viewer_membership(user, group)
    return is_active_member(membership)


def managed_group_ids(user) -> set[int] | None:
    """The groups whose requests the user may see: None means all (staff), an empty set
    none. Coordinators of one group have no rights in another."""
    if is_staff_member(user):
        return None
    return set(coordinated_groups(user).values_list("pk", flat=True))


def is_last_coordinator(membership: Membership) -> bool:
    """A group always keeps at least one coordinator: true when this membership is the
    group's only active coordinator, who may then not leave, be removed, step down or
    delete their account."""
    if not membership.is_coordinator:
        return False
    others = Membership.objects.coordinators().filter(group_id=membership.group_id)
    return not others.exclude(pk=membership.pk).exists()
