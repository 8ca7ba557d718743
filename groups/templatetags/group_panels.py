"""The groups app's panels on pages the core app renders (the ort page, /orter/).
Each panel does its own reads, a fixed number of queries whatever the group's size."""

from django import template
from django.db.models import Count

from groups import permissions
from groups.models import DevelopmentGroup, Membership

register = template.Library()


@register.inclusion_tag("groups/panel_locality.html", takes_context=True)
def locality_group_panel(context, locality):
    request = context["request"]
    user = request.user
    group = DevelopmentGroup.objects.filter(locality=locality).first()
    if group is None:
        return {"group": None}
    group.locality = locality
    membership = permissions.viewer_membership(user, group)
    can_manage = permissions.can_manage_group(user, group, membership)
    members = []
    if permissions.can_see_member_names(user, group, membership):
        members = list(
            Membership.objects.active()
            .filter(group=group)
            .select_related("user")
            .order_by("-role", "user__display_name")
        )
    pending_count = Membership.objects.pending().filter(group=group).count() if can_manage else 0
    return {
        "request": request,
        "user": user,
        "group": group,
        "composition": Membership.objects.composition_by_group([group.pk])[group.pk],
        "membership": membership,
        "can_manage": can_manage,
        "members": members,
        "pending_count": pending_count,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("groups/network_overview.html", takes_context=True)
def network_overview(context):
    user = context["request"].user
    groups = list(DevelopmentGroup.objects.select_related("locality").order_by("locality__name"))
    compositions = Membership.objects.composition_by_group([g.pk for g in groups])
    managed = permissions.managed_group_ids(user)
    show_pending = managed is None or bool(managed)
    pending = {}
    if show_pending:
        pending_qs = Membership.objects.pending().order_by()
        if managed is not None:
            pending_qs = pending_qs.filter(group_id__in=managed)
        pending = {
            row["group_id"]: row["n"]
            for row in pending_qs.values("group_id").annotate(n=Count("id"))
        }
    rows = [
        {
            "group": g,
            "composition": compositions[g.pk],
            "pending": pending.get(g.pk, 0) if managed is None or g.pk in managed else None,
        }
        for g in groups
    ]
    return {"rows": rows, "show_pending": show_pending}
