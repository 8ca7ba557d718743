"""Who may read and write the development plans. Plain functions over the user and the
group, used by the plan views, the ort page's plan panel and tests."""

from allas.permissions import is_staff_member
from groups.models import Membership
from groups.permissions import can_manage_group, can_see_member_names


def can_edit_plan(user, group, membership: Membership | None = None) -> bool:
    """The group's coordinators and staff write its plan."""
    return can_manage_group(user, group, membership)


def can_see_draft_plans(user, group, membership: Membership | None = None) -> bool:
    """Members read their group's drafts; the public reads published plans only."""
    return can_see_member_names(user, group, membership)


def can_follow_up_plans(user) -> bool:
    """The development department follows every group's plan, drafts included."""
    return is_staff_member(user)
