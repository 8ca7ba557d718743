from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allas import audit
from allas.outcomes import acted, form_saved
from allas.signed_in_pages import kept_for_signed_in

from . import permissions, services
from .exports import members_csv_response
from .forms import DecisionForm, GroupForm, JoinForm, MemberForm
from .models import DevelopmentGroup, Membership

# The coordinators' page shows this many of the latest audit log entries about the group;
# staff read the whole log in the admin.
AUDIT_EVENTS_SHOWN = 20


def _get_group_for_user(request, slug, *, to_manage=False) -> DevelopmentGroup:
    """The ort's group. Groups are public, so only an unknown ort is 404; to run it the
    user must be one of its coordinators or staff, and others get 403."""
    group = get_object_or_404(
        DevelopmentGroup.objects.select_related("locality"), locality__slug=slug
    )
    if to_manage and not permissions.can_manage_group(request.user, group):
        raise PermissionDenied
    return group


def _get_membership_for_user(request, slug, membership_id) -> Membership:
    """A membership of the group, for those who run it; an id from another group is 404."""
    group = _get_group_for_user(request, slug, to_manage=True)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, group=group
    )
    membership.group = group
    return membership


@login_required
def join(request, slug):
    group = _get_group_for_user(request, slug)
    if not permissions.can_ask_to_join(request.user):
        return render(request, "groups/join_unverified.html", {"group": group}, status=403)
    current = permissions.viewer_membership(request.user, group)
    if current is not None:
        messages.info(
            request,
            _("You are already a member of this group.")
            if current.status == Membership.Status.ACTIVE
            else _("You have already asked to join. The coordinators will answer you by e-mail."),
        )
        return redirect(group.get_absolute_url())
    form = JoinForm(request.POST or None, initial={"age_band": request.user.age_band})
    if request.method == "POST" and form.is_valid():
        done = _(
            "Thank you! Your request has been sent to the group's coordinators. "
            "You will get an e-mail when they have decided."
        )
        acted(
            request,
            services.membership_request,
            done=done,
            user=request.user,
            group=group,
            **form.cleaned_data,
        )
        return redirect(group.get_absolute_url())
    return render(request, "groups/join.html", {"group": group, "form": form})


@require_POST
@login_required
def leave(request, slug):
    group = _get_group_for_user(request, slug)
    membership = Membership.objects.active().filter(user=request.user, group=group).first()
    if membership is None:
        messages.error(request, _("You are not a member of this group."))
        return redirect(group.get_absolute_url())
    done = _("You have left the group.")
    acted(request, services.membership_leave, done=done, membership=membership, by=request.user)
    return redirect(group.get_absolute_url())


@login_required
@kept_for_signed_in(per_person=True)
def manage(request, slug):
    return _manage_page(request, _get_group_for_user(request, slug, to_manage=True))


def _manage_page(request, group, *, refused=None):
    """The coordinators' page. After a refused decision on a request, `refused` holds its
    bound form and membership: that request's message comes back with its error."""
    members = list(
        Membership.objects.filter(group=group, status__in=Membership.CURRENT)
        .select_related("user")
        .order_by("status", "user__display_name")
    )
    pending = [m for m in members if m.status == Membership.Status.PENDING]
    active = [m for m in members if m.status == Membership.Status.ACTIVE]
    composition = Membership.objects.composition_by_group([group.pk])[group.pk]
    return render(
        request,
        "groups/manage.html",
        {
            "group": group,
            "pending": pending,
            "active": active,
            "composition": composition,
            "decision_form": DecisionForm(),
            "audit_events": audit.events_for_locality(group.locality_id, limit=AUDIT_EVENTS_SHOWN),
            **(refused or {}),
        },
    )


@require_POST
@login_required
def decide(request, slug, membership_id):
    membership = _get_membership_for_user(request, slug, membership_id)
    group = membership.group
    form = DecisionForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline") or not form.is_valid():
        messages.error(
            request, _("Choose approve or decline. A message can be at most 2,000 characters.")
        )
        # The page again, the message as it was written, at the request it was for.
        return _manage_page(
            request, group, refused={"decision_form": form, "refused_decision": membership.pk}
        )
    name = {"name": membership.user.display_name}
    if decision == "approve":
        service, done = services.membership_approve, _("%(name)s is now a member of the group.")
    else:
        service, done = services.membership_decline, _("The request from %(name)s was declined.")
    acted(
        request,
        service,
        done=done % name,
        membership=membership,
        by=request.user,
        message=form.cleaned_data["message"],
    )
    return redirect(group.get_manage_url())


@login_required
def member_edit(request, slug, membership_id):
    membership = _get_membership_for_user(request, slug, membership_id)
    group = membership.group
    if membership.status != Membership.Status.ACTIVE:
        raise PermissionDenied
    initial = {
        "sector": membership.sector,
        "age_band": membership.age_band,
        "role": membership.role,
        "is_delegate": membership.is_delegate,
    }
    form = MemberForm(request.POST or None, initial=initial)
    done = _("The member's details have been saved.")
    if request.method == "POST" and form.is_valid():
        update = services.membership_update
        if form_saved(request, form, update, done=done, membership=membership, by=request.user):
            return redirect(group.get_manage_url())
    return render(
        request, "groups/member_edit.html", {"group": group, "membership": membership, "form": form}
    )


@require_POST
@login_required
def member_remove(request, slug, membership_id):
    membership = _get_membership_for_user(request, slug, membership_id)
    group = membership.group
    done = _("%(name)s has been removed from the group.") % {"name": membership.user.display_name}
    acted(request, services.membership_remove, done=done, membership=membership, by=request.user)
    return redirect(group.get_manage_url())


@login_required
def group_edit(request, slug):
    group = _get_group_for_user(request, slug, to_manage=True)
    form = GroupForm(request.POST or None, instance=DevelopmentGroup.objects.get(pk=group.pk))
    if request.method == "POST" and form.is_valid():
        services.group_update(group=group, by=request.user, **form.cleaned_data)
        messages.success(request, _("The group's page has been saved."))
        return redirect(group.get_manage_url())
    return render(request, "groups/group_edit.html", {"group": group, "form": form})


@login_required
def members_export(request, slug):
    group = _get_group_for_user(request, slug, to_manage=True)
    memberships = (
        Membership.objects.active()
        .filter(group=group)
        .select_related("user", "group")
        .order_by("user__display_name")
    )
    return members_csv_response(memberships, f"medlemmar-{group.locality.slug}.csv")
