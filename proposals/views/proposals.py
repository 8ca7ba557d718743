"""A proposal's own pages: the list, a proposal with its history and comments, the rules,
and the author's forms (propose, edit, withdraw).

Visitors get the list and a proposal whole from allas.page_cache, the proposals' one
cache; a signed-in person's page, or a visitor's after a change, is rendered in full."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, prefetch_related_objects
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allas import page_cache
from allas.models import Locality
from allas.outcomes import acted, form_saved
from allas.page_cache import cached_for_visitors
from allas.paging import capped_page, page_number, rows_page
from allas.search import highlight, query_terms
from allas.signed_in_pages import kept_for_signed_in
from groups.models import Action

from .. import permissions, services
from ..forms import (
    CommentForm,
    FilterForm,
    ModerationForm,
    ProposalEditForm,
    ProposalForm,
    RaisedAtForm,
    StatusForm,
)
from ..models import SEARCH_DEPTH, MunicipalCase, Proposal, Stage, Visibility, goals_prefetch
from . import timeline
from .access import get_proposal_for_user

PAGE_SIZE = 20

SORT_ORDER = {
    "newest": ["-created_at", "-id"],
    "supported": ["-support_count", "-created_at", "-id"],
    "discussed": ["-comment_count", "-created_at", "-id"],
    "answered": [F("answered_at").desc(nulls_last=True), "-id"],
}


# The list reaches this deep; beyond it a search or a filter finds the rest.
MAX_PAGES = 50


# Where the proposals are at the municipality (?kommunen=), read from the proposal's own
# indexed stage, so the filter needs no join.
AT_THE_MUNICIPALITY = {
    "hos": (Stage.LIFTED, Stage.REGISTERED),
    "beslutat": (Stage.DECIDED,),
}


FILTERS = ("ort", "mal", "status", "kommunen")


@kept_for_signed_in
@cached_for_visitors(params=("q", "ort", "mal", "status", "kommunen", "sort", "sida"))
def proposal_list(request):
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = data.get("q", "").strip()
    sort = data.get("sort") or ("relevance" if data.get("q") else "newest")
    chosen = tuple((name, data.get(name) or "") for name in FILTERS)
    number = page_number(request.GET.get("sida"))
    # The page and its cards show nothing of the person reading them: found and rendered
    # once per content version, language and what was asked, and reused for everyone.
    asked = hashlib.sha256(repr((chosen, sort, query, number)).encode()).hexdigest()
    page, cards = page_cache.cached_public(
        f"proposal-list:{asked}", lambda: _list_page(dict(chosen), sort, query, number)
    )
    params = request.GET.copy()
    params.pop("sida", None)
    return render(
        request,
        "proposals/list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "params": params.urlencode(),
            "cards": cards,
        },
    )


def _list_page(chosen: dict, sort: str, query: str, number: int):
    """The page of proposals asked for and its cards' HTML; the page keeps only the ids of
    its proposals, so what is kept is small."""
    # The stage as an annotation: the card's label without loading more of the row.
    proposals = Proposal.objects.listed().for_list().annotate(at_municipality=F("municipal_stage"))
    if chosen["ort"]:
        proposals = proposals.filter(locality__slug=chosen["ort"])
    if chosen["mal"]:
        proposals = proposals.filter(goals__slug=chosen["mal"])
    if chosen["status"]:
        proposals = proposals.filter(status=chosen["status"])
    if chosen["kommunen"]:
        proposals = proposals.filter(municipal_stage__in=AT_THE_MUNICIPALITY[chosen["kommunen"]])
    terms = query_terms(query)
    if query:
        # One query: the ranked matches (at most SEARCH_DEPTH + 1, card columns only).
        proposals = proposals.search_terms(terms, depth=SEARCH_DEPTH + 1)
        if sort != "relevance":
            proposals = proposals.order_by(*SORT_ORDER[sort])
        rows = list(proposals)
        page = rows_page(
            rows[:SEARCH_DEPTH], number, per_page=PAGE_SIZE, more=len(rows) > SEARCH_DEPTH
        )
    else:
        proposals = proposals.order_by(*SORT_ORDER.get(sort, SORT_ORDER["newest"]))
        page = capped_page(proposals, number, per_page=PAGE_SIZE, max_pages=MAX_PAGES)
    shown = list(page.object_list)
    cards = _render_cards(shown, terms if query else [])
    page.object_list = [p.pk for p in shown]
    return page, cards


def _render_cards(proposals, terms=()) -> str:
    """The cards with their areas (one query), the outcome of those the municipality has
    decided (one query, when the page has any) and the search words highlighted. Rendered
    without the request, so nothing of the person asking (no user, no CSRF token) can be
    in them."""
    prefetch_related_objects(proposals, goals_prefetch())
    decided = [p.pk for p in proposals if getattr(p, "at_municipality", "") == Stage.DECIDED]
    outcomes = dict(
        MunicipalCase.objects.filter(proposal_id__in=decided).values_list("proposal_id", "outcome")
        if decided
        else ()
    )
    for proposal in proposals:
        if proposal.pk in outcomes:
            proposal.municipal_outcome = MunicipalCase.Outcome(outcomes[proposal.pk]).label
        if terms:
            proposal.title_html = highlight(proposal.title, terms)
    # Kept as the SafeString rendered (pickled with its type), so it is not escaped again.
    return render_to_string("proposals/_cards.html", {"proposals": proposals})


def _threads(comments):
    """Top-level comments, each with its replies, from one flat list."""
    by_parent = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    top = by_parent.get(None, [])
    for comment in top:
        comment.thread = by_parent.get(comment.pk, [])
    return top


@kept_for_signed_in(per_person=True)
@cached_for_visitors
def proposal_detail(request, pk):
    locality_ids = permissions.answerable_locality_ids(request.user)
    proposal = get_proposal_for_user(request, pk, locality_ids)
    return detail_page(request, proposal, locality_ids)


def detail_page(request, proposal, locality_ids=None, *, refused=None):
    """The proposal's page. After a refused post, `refused` holds its bound form (and which
    of the page's forms it was): that form is shown again with what was typed and the
    errors next to the fields, instead of an empty one."""
    user = request.user
    if locality_ids is None:
        locality_ids = permissions.answerable_locality_ids(user)
    verified = permissions.can_propose(user)
    can_answer = permissions.can_answer(user, proposal, locality_ids)
    comments = list(proposal.comments.select_related("author").order_by("created_at", "id"))
    for comment in comments:
        comment.can_edit = permissions.can_edit_comment(user, comment)
        comment.can_delete = permissions.can_delete_comment(user, comment)
        comment.shown = comment.visibility == Visibility.VISIBLE or can_answer
    supported = user.is_authenticated and proposal.supports.filter(user=user).exists()
    case = timeline.municipal_case(proposal)
    can_lift = permissions.can_lift(user, proposal, locality_ids)
    context = {
        "proposal": proposal,
        "group": getattr(proposal.locality, "group", None),
        "goals": proposal.goals.all(),
        # The group's answers and the municipality's steps, as one timeline.
        "path": timeline.proposal_path(proposal.history.select_related("answered_by"), case),
        "case": case,
        "decision_url": timeline.decision_link(case) if case else "",
        "registry_email": timeline.registry_email(),
        "offer_lift": can_lift and case is None and not services.why_not_lift(proposal),
        "offer_lift_correction": can_lift and case is not None,
        "offer_case_page": case is not None and permissions.can_register(user),
        # A link to an action of a draft plan shows nothing until the plan is published.
        "action": Action.objects.published()
        .select_related("plan__group__locality")
        .filter(pk=proposal.action_id),
        "threads": _threads(comments),
        "supported": supported,
        "verified": verified,
        "is_author": permissions.is_author(user, proposal),
        "can_edit": permissions.can_edit(user, proposal),
        "can_withdraw": permissions.can_withdraw(user, proposal),
        "can_support": permissions.can_support(user, proposal, verified) or supported,
        "can_comment": permissions.can_comment(user, proposal, verified),
        "can_answer": can_answer,
        "comment_form": CommentForm(),
    }
    if can_answer:
        context["status_form"] = StatusForm(proposal=proposal)
        context["moderation_form"] = ModerationForm()
        context["raised_at_form"] = RaisedAtForm(proposal=proposal)
    context.update(refused or {})
    return render(request, "proposals/detail.html", context)


def _require_verified(request):
    if not permissions.can_propose(request.user):
        return render(request, "proposals/verify_first.html", status=403)
    return None


@login_required
def proposal_create(request):
    refused = _require_verified(request)
    if refused:
        return refused
    initial = {}
    ort = request.GET.get("ort")
    if ort:
        initial["locality"] = Locality.objects.filter(slug=ort).first()
    # From a meeting's page: the meeting is chosen already, if the list offers it.
    meeting = request.GET.get("mote", "")
    if meeting.isascii() and meeting.isdigit():
        initial["raised_at"] = int(meeting)
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(author=request.user, **form.cleaned_data)
        except services.ProposalError as exc:
            meeting = isinstance(exc, services.MeetingRefused)
            form.add_error("raised_at" if meeting else None, str(exc))
        else:
            messages.success(
                request,
                _("Thank you! Your proposal has been published. The group will answer it."),
            )
            return redirect(proposal)
    return render(request, "proposals/form.html", {"form": form, "proposal": None})


@login_required
def proposal_edit(request, pk):
    proposal = get_proposal_for_user(request, pk)
    if not permissions.is_author(request.user, proposal):
        raise PermissionDenied
    if not permissions.can_edit(request.user, proposal):
        messages.error(
            request,
            _("The group has started reviewing the proposal, so it can no longer be changed."),
        )
        return redirect(proposal)
    form = ProposalEditForm(
        request.POST or None,
        initial={"title": proposal.title, "body": proposal.body, "goals": proposal.goals.all()},
    )
    done = _("Your changes have been saved.")
    if request.method == "POST" and form.is_valid():
        edit = services.proposal_edit
        if form_saved(request, form, edit, done=done, proposal=proposal, by=request.user):
            return redirect(proposal)
    return render(request, "proposals/form.html", {"form": form, "proposal": proposal})


@require_POST
@login_required
def proposal_withdraw(request, pk):
    proposal = get_proposal_for_user(request, pk)
    if not permissions.is_author(request.user, proposal):
        raise PermissionDenied
    done = _("You have withdrawn the proposal.")
    acted(request, services.proposal_withdraw, done=done, proposal=proposal, by=request.user)
    return redirect(proposal)


def rules(request):
    return render(
        request,
        "proposals/rules.html",
        {"reports_to_hide": services.REPORTS_TO_HIDE, "days": services.ANSWER_WITHIN_DAYS},
    )
