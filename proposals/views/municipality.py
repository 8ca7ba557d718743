"""The path to the municipality's decision: the group lifts a proposal, staff register it
and record the decision, and staff's list of what waits at the municipality. The steps,
who takes them and why one cannot be taken now come from proposals.municipal_path."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.models import Locality
from allas.outcomes import form_saved
from allas.paging import capped_page

from .. import municipal_path, permissions
from ..models import MunicipalCase, Proposal, Stage
from ..municipal_forms import FORMS, LiftForm
from ..services import municipality as path_services
from .access import get_proposal_for_user

# The staff list: how many cases each part shows, and how far it counts.
CASES_SHOWN = 50
COUNT_CAP = 1000
WAITING_PER_PAGE = 25
WAITING_MAX_PAGES = 40


def _days_since(moment) -> int:
    return (timezone.localdate() - timezone.localtime(moment).date()).days


@login_required
def proposal_lift(request, pk):
    """The ort's coordinators (and staff) lift the proposal with the group's motivation;
    once lifted, the same page corrects the motivation, with a reason."""
    locality_ids = permissions.answerable_locality_ids(request.user)
    proposal = get_proposal_for_user(request, pk, locality_ids)
    if not permissions.can_lift(request.user, proposal, locality_ids):
        raise PermissionDenied
    case = MunicipalCase.objects.filter(proposal=proposal).first()
    step = municipal_path.LIFT
    correcting = case is not None
    form = LiftForm(
        request.POST if request.method == "POST" else None, case=case, correcting=correcting
    )
    if request.method == "POST" and form.is_valid():
        done = step.corrected if correcting else step.done
        if form_saved(request, form, step.service, done=done, proposal=proposal, by=request.user):
            return redirect(proposal)
    return render(
        request,
        "proposals/municipal/lift.html",
        {
            "proposal": proposal,
            "case": case,
            "step": step,
            "form": form,
            "why_not": step.guard(proposal, case),
        },
    )


def _case_for_staff(request, pk) -> MunicipalCase:
    """The proposal's case, for staff with their second factor (403 for everyone else);
    404 when the proposal was never lifted."""
    if not permissions.can_register(request.user):
        raise PermissionDenied
    return get_object_or_404(
        MunicipalCase.objects.select_related(
            "proposal__locality__group",
            "proposal__author",
            "committee",
            "lifted_by",
            "registered_by",
            "decision_recorded_by",
        ),
        proposal_id=pk,
    )


@login_required
def case_page(request, pk):
    """Staff's page of one case: the whole proposal, the group's answer and motivation,
    the steps, and the form of each step staff take (a step taken is corrected there)."""
    case = _case_for_staff(request, pk)
    proposal = case.proposal
    step_forms = {
        each.key: FORMS[each.key](case=case, correcting=each.is_done(case))
        for each in (municipal_path.REGISTER, municipal_path.DECIDE)
    }
    if request.method == "POST":
        step = municipal_path.step(request.POST.get("step"))
        if step not in (municipal_path.REGISTER, municipal_path.DECIDE):
            return HttpResponseBadRequest()
        why_not = step.guard(proposal, case)
        if why_not:
            # The page shows no form for this step: the reason is the answer.
            messages.error(request, why_not)
            return redirect(case)
        correcting = step.is_done(case)
        form = FORMS[step.key](request.POST, case=case, correcting=correcting)
        done = step.corrected if correcting else step.done
        if form.is_valid() and form_saved(
            request, form, step.service, done=done, proposal=proposal, by=request.user
        ):
            return redirect(case)
        messages.error(
            request,
            _("Nothing was changed: see the form “%(step)s” below.") % {"step": step.label},
        )
        step_forms[step.key] = form
    return render(
        request,
        "proposals/municipal/case.html",
        {
            "proposal": proposal,
            "case": case,
            "goals": proposal.goals.order_by("number"),
            "answer": path_services.group_answer(proposal),
            "states": municipal_path.states(request.user, proposal, case),
            "register_form": step_forms[municipal_path.REGISTER.key],
            "decide_form": step_forms[municipal_path.DECIDE.key],
            "corrections": list(case.corrections.select_related("corrected_by")),
            "days": _days_since(case.lifted_at),
        },
    )


def _capped(queryset, limit=CASES_SHOWN):
    """The first `limit` rows, and how many there are (counted up to COUNT_CAP)."""
    found = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    return list(queryset[:limit]), min(found, COUNT_CAP), found > COUNT_CAP


@login_required
def case_list(request):
    """Staff's list of what waits at the municipality, oldest first, and the proposals
    still waiting for their group's answer. Each part costs the same at any size: a
    capped count and one page of rows."""
    if not permissions.can_register(request.user):
        raise PermissionDenied
    orter = list(Locality.objects.order_by("name").only("pk", "name", "slug"))
    ort = next((o for o in orter if o.slug == request.GET.get("ort")), None)
    cases = MunicipalCase.objects.select_related("proposal__locality", "committee")
    waiting = (
        Proposal.objects.listed()
        .filter(
            status__in=[Proposal.Status.SUBMITTED, Proposal.Status.UNDER_REVIEW],
            answered_at__isnull=True,
        )
        .select_related("locality")
        .only("pk", "title", "status", "created_at", "support_count", "locality__name")
        .order_by("created_at", "id")
    )
    if ort is not None:
        cases = cases.filter(proposal__locality=ort)
        waiting = waiting.filter(locality=ort)
    parts = []
    for stage, order, heading in [
        (Stage.LIFTED, ["lifted_at", "id"], municipal_path.REGISTER.waiting),
        (Stage.REGISTERED, ["registered_at", "id"], municipal_path.DECIDE.waiting),
        (Stage.DECIDED, ["-decided_on", "-id"], _("Recently decided")),
    ]:
        rows, count, more = _capped(cases.filter(stage=stage).order_by(*order))
        for case in rows:
            since = case.registered_at if stage == Stage.REGISTERED else case.lifted_at
            case.days_waiting = _days_since(since)
        parts.append(
            {"stage": stage, "heading": heading, "rows": rows, "count": count, "more": more}
        )
    page = capped_page(
        waiting,
        request.GET.get("sida"),
        per_page=WAITING_PER_PAGE,
        max_pages=WAITING_MAX_PAGES,
        count_cap=COUNT_CAP,
    )
    for proposal in page.object_list:
        proposal.days_waiting = _days_since(proposal.created_at)
    return render(
        request,
        "proposals/municipal/list.html",
        {
            "orter": orter,
            "ort": ort,
            "parts": parts,
            "page": page,
            "params": f"ort={ort.slug}" if ort else "",
            "shown": CASES_SHOWN,
        },
    )
