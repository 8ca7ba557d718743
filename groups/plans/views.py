"""The development plan pages: /orter/<slug>/plan/ and the coordinators' editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups.models import DevelopmentGroup
from groups.permissions import viewer_membership

from . import permissions
from . import services as plan_services
from .forms import ActionForm, NoteForm, PlanCreateForm, PlanForm
from .links import actions_with_links
from .models import Action, ActionNote, Plan


def _get_group_for_user(request, slug, *, to_edit=False) -> DevelopmentGroup:
    """The ort's group: groups are public, so only an unknown ort is 404. To write its
    plans the user must be a coordinator of it or staff, 403 for others, asked before any
    plan is read, so the answer tells nobody whether a draft exists."""
    group = get_object_or_404(
        DevelopmentGroup.objects.select_related("locality"), locality__slug=slug
    )
    if to_edit and not permissions.can_edit_plan(request.user, group):
        raise PermissionDenied
    return group


def _plans_for(request, group, membership=None):
    """The plans the viewer may read, newest first: drafts only for members and staff."""
    plans = group.plans.all().order_by("-year")
    if not permissions.can_see_draft_plans(request.user, group, membership):
        plans = plans.published()
    return plans


def _get_plan_for_user(request, slug, year) -> Plan:
    """The plan of that year, for its editors."""
    group = _get_group_for_user(request, slug, to_edit=True)
    plan = get_object_or_404(Plan, group=group, year=year)
    plan.group = group
    return plan


def _get_action_for_user(request, slug, year, action_id) -> Action:
    """An action of that plan, for its editors; an id from another plan or group is 404."""
    plan = _get_plan_for_user(request, slug, year)
    action = get_object_or_404(Action, pk=action_id, plan=plan)
    action.plan = plan
    return action


def plan_detail(request, slug, year=None):
    return _plan_page(request, _get_group_for_user(request, slug), year)


def _plan_page(request, group, year=None, *, refused=None):
    """The plan's page. After a refused progress note, `refused` holds its bound form and
    action: that note form is shown open, with what was typed and the errors."""
    membership = viewer_membership(request.user, group)
    plans = list(_plans_for(request, group, membership))
    if year is None:
        plan = plans[0] if plans else None
    else:
        plan = next((p for p in plans if p.year == year), None)
        if plan is None:
            raise Http404
    actions = []
    if plan is not None:
        plan.group = group
        actions = plan.actions.prefetch_related(
            "goals", Prefetch("notes", queryset=ActionNote.objects.order_by("-date", "-id"))
        )
        # The proposals that led to each action: on the published plan only, as on the
        # proposal's own page, where a link to a draft's action shows nothing.
        actions = actions_with_links(actions) if plan.is_published else list(actions)
        plan_goals = list(plan.goals.all())
    else:
        plan_goals = []
    return render(
        request,
        "groups/plan_detail.html",
        {
            "group": group,
            "plan": plan,
            "plan_goals": plan_goals,
            "plans": plans,
            "actions": actions,
            "can_edit": permissions.can_edit_plan(request.user, group, membership),
            "note_form": NoteForm(),
            **(refused or {}),
        },
    )


@login_required
def plan_create(request, slug):
    group = _get_group_for_user(request, slug, to_edit=True)
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_services.plan_create(group=group, by=request.user, **form.cleaned_data)
        except plan_services.PlanError as exc:
            form.add_error("year", str(exc))
        else:
            plan.group = group
            messages.success(request, _("The plan has been created as a draft."))
            return redirect(plan.get_absolute_url())
    return render(request, "groups/plan_form.html", {"group": group, "form": form, "plan": None})


@login_required
def plan_edit(request, slug, year):
    plan = _get_plan_for_user(request, slug, year)
    form = PlanForm(
        request.POST or None, initial={"needs": plan.needs, "goals": list(plan.goals.all())}
    )
    if request.method == "POST" and form.is_valid():
        plan_services.plan_update(plan=plan, by=request.user, **form.cleaned_data)
        messages.success(request, _("The plan has been saved."))
        return redirect(plan.get_absolute_url())
    return render(
        request, "groups/plan_form.html", {"group": plan.group, "form": form, "plan": plan}
    )


@require_POST
@login_required
def plan_publish(request, slug, year):
    plan = _get_plan_for_user(request, slug, year)
    publish = request.POST.get("publish") == "yes"
    plan_services.plan_set_published(plan=plan, published=publish, by=request.user)
    messages.success(
        request,
        _("The plan is published. Everyone can read it now.")
        if publish
        else _("The plan is a draft again. Only the group's members can read it."),
    )
    return redirect(plan.get_absolute_url())


@login_required
def action_create(request, slug, year):
    plan = _get_plan_for_user(request, slug, year)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan_services.action_create(plan=plan, by=request.user, **form.cleaned_data)
        messages.success(request, _("The action has been added to the plan."))
        return redirect(plan.get_absolute_url())
    return render(
        request, "groups/action_form.html", {"group": plan.group, "plan": plan, "form": form}
    )


@login_required
def action_edit(request, slug, year, action_id):
    action = _get_action_for_user(request, slug, year, action_id)
    plan = action.plan
    initial = {name: getattr(action, name) for name in plan_services.ACTION_FIELDS}
    initial["goals"] = list(action.goals.all())
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan_services.action_update(action=action, by=request.user, **form.cleaned_data)
        messages.success(request, _("The action has been saved."))
        return redirect(plan.get_absolute_url() + f"#atgard-{action.pk}")
    return render(
        request,
        "groups/action_form.html",
        {"group": plan.group, "plan": plan, "action": action, "form": form},
    )


@require_POST
@login_required
def action_close(request, slug, year, action_id):
    action = _get_action_for_user(request, slug, year, action_id)
    plan = action.plan
    plan_services.action_close(action=action, by=request.user)
    messages.success(request, _("The action is marked as done."))
    return redirect(plan.get_absolute_url() + f"#atgard-{action.pk}")


@require_POST
@login_required
def action_move(request, slug, year, action_id):
    action = _get_action_for_user(request, slug, year, action_id)
    plan = action.plan
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose up or down."))
    else:
        plan_services.action_move(action=action, up=direction == "up", by=request.user)
    return redirect(plan.get_absolute_url() + f"#atgard-{action.pk}")


@require_POST
@login_required
def action_note(request, slug, year, action_id):
    action = _get_action_for_user(request, slug, year, action_id)
    plan = action.plan
    form = NoteForm(request.POST)
    if form.is_valid():
        plan_services.action_add_note(action=action, by=request.user, **form.cleaned_data)
        messages.success(request, _("The progress note has been added."))
        return redirect(plan.get_absolute_url() + f"#atgard-{action.pk}")
    # Refused: the plan again, with the date and text kept in that action's note form.
    errors = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
    messages.error(request, _("The note was not saved: %(errors)s") % {"errors": errors})
    return _plan_page(
        request, plan.group, plan.year, refused={"note_form": form, "refused_note": action.pk}
    )
