"""The groups app's panels on pages the core app renders (the ort page, /orter/).
Each panel does its own reads, a fixed number of queries whatever the group's size."""

from django import template
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from allas.models import Locality
from groups import permissions
from groups.models import Action, DevelopmentGroup, Membership, Plan
from groups.plans.permissions import can_see_draft_plans

register = template.Library()


def _group_for(locality):
    """The ort's group, read once for both of the ort page's panels."""
    if not hasattr(locality, "_panel_group"):
        group = DevelopmentGroup.objects.filter(locality=locality).first()
        if group is not None:
            group.locality = locality
        locality._panel_group = group
    return locality._panel_group


@register.simple_tag(takes_context=True)
def locality_group_panel(context, locality):
    group = _group_for(locality)
    return render_to_string(
        "groups/panel_locality.html", _group_panel_context(context, group), context["request"]
    )


def _group_panel_context(context, group):
    request = context["request"]
    user = request.user
    if group is None:
        return {"group": None}
    membership = permissions.viewer_membership(user, group)
    can_manage = permissions.can_manage_group(user, group, membership)
    members = []
    if permissions.can_see_member_names(user, group, membership):
        members = list(
            Membership.objects.active()
            .filter(group=group)
            .select_related("user")
            .order_by("role", "user__display_name")  # "coordinator" sorts first
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


@register.simple_tag(takes_context=True)
def locality_plan_panel(context, locality):
    """The ort's current plan: its latest published one (members also see drafts)."""
    group = _group_for(locality)
    return render_to_string(
        "groups/panel_plan.html", _plan_panel_context(context, group), context["request"]
    )


def _plan_panel_context(context, group):
    user = context["request"].user
    if group is None:
        return {"plan": None}
    plans = group.plans.order_by("-year")
    if not can_see_draft_plans(user, group):
        plans = plans.published()
    plan = plans.first()
    actions = []
    if plan is not None:
        plan.group = group
        actions = list(plan.actions.all())
    return {"group": group, "plan": plan, "actions": actions}


def selected_year(request) -> tuple[int, list[int]]:
    """The plan year the goal pages show (?ar=), by default the latest with a published
    plan, and the years there are to choose from."""
    years = list(
        Plan.objects.published().order_by("-year").values_list("year", flat=True).distinct()
    )
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else timezone.localdate().year
    return year, years


@register.inclusion_tag("groups/panel_goal_actions.html", takes_context=True)
def goal_actions_panel(context, goal):
    """Every published action for one SLUS area in the year's plans, grouped by ort."""
    year, years = selected_year(context["request"])
    actions = list(
        Action.objects.published()
        .filter(goals=goal, plan__year=year)
        .select_related("plan__group__locality")
        .order_by("plan__group__locality__name", "-plan__year", "position", "id")
    )
    by_locality = {}
    for action in actions:
        by_locality.setdefault(action.plan.group.locality, []).append(action)
    return {
        "goal": goal,
        "by_locality": list(by_locality.items()),
        "count": len(actions),
        "year": year,
        "years": years,
        "request": context["request"],
    }


@register.inclusion_tag("groups/panel_goal_matrix.html", takes_context=True)
def goal_matrix(context, goals):
    """Published actions per ort and SLUS area in the year's plans, by status: three
    aggregate queries."""
    year, years = selected_year(context["request"])
    localities = list(Locality.objects.order_by("name"))
    published = Action.objects.published().filter(plan__year=year).order_by()
    cells = {}
    for row in published.values("plan__group__locality_id", "goals__id", "status").annotate(
        n=Count("id")
    ):
        cell = cells.setdefault((row["plan__group__locality_id"], row["goals__id"]), {})
        cell[row["status"]] = row["n"]
    row_totals = {
        row["plan__group__locality_id"]: row["n"]
        for row in published.values("plan__group__locality_id").annotate(
            n=Count("id", distinct=True)
        )
    }
    column_totals = {
        row["goals__id"]: row["n"]
        for row in published.values("goals__id").annotate(n=Count("id", distinct=True))
    }
    statuses = Action.Status.choices

    def breakdown(counts):
        return [(label, counts.get(value, 0)) for value, label in statuses if counts.get(value)]

    rows = [
        {
            "locality": loc,
            "cells": [
                {
                    "total": sum(cells.get((loc.pk, g.pk), {}).values()),
                    "breakdown": breakdown(cells.get((loc.pk, g.pk), {})),
                }
                for g in goals
            ],
            "total": row_totals.get(loc.pk, 0),
        }
        for loc in localities
    ]
    return {
        "year": year,
        "years": years,
        "request": context["request"],
        "goals": goals,
        "rows": rows,
        "column_totals": [column_totals.get(g.pk, 0) for g in goals],
        "grand_total": sum(row_totals.values()),
    }
