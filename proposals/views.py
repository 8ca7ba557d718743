"""The dialogue's pages: the list, a proposal with its history and comments, and the
forms that change them. Views are thin: rules live in permissions and services.

Visitors get the list and a proposal whole from allas.page_cache, the proposals' one
cache; a signed-in person's page, or a visitor's after a change, is rendered in full."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allas.models import Locality
from allas.page_cache import cached_for_visitors
from allas.paging import capped_page, rows_page
from allas.search import highlight, query_terms
from groups.models import Action

from . import permissions, services
from .forms import (
    CommentForm,
    FilterForm,
    ModerationForm,
    ProposalEditForm,
    ProposalForm,
    ReportForm,
    StatusForm,
)
from .models import SEARCH_DEPTH, Comment, Proposal, Visibility, goals_prefetch

PAGE_SIZE = 20

SORT_ORDER = {
    "newest": ["-created_at", "-id"],
    "supported": ["-support_count", "-created_at", "-id"],
    "discussed": ["-comment_count", "-created_at", "-id"],
    "answered": [F("answered_at").desc(nulls_last=True), "-id"],
}


# The list reaches this deep; beyond it a search or a filter finds the rest.
MAX_PAGES = 50


@cached_for_visitors(params=("q", "ort", "mal", "status", "sort", "sida"))
def proposal_list(request):
    form = FilterForm(request.GET or None)
    proposals = Proposal.objects.listed().for_list()
    sort = "newest"
    query = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["ort"]:
            proposals = proposals.filter(locality__slug=data["ort"])
        if data["mal"]:
            proposals = proposals.filter(goals__slug=data["mal"])
        if data["status"]:
            proposals = proposals.filter(status=data["status"])
        sort = data["sort"] or ("relevance" if data["q"] else "newest")
        query = data["q"].strip()
    terms = query_terms(query)
    if query:
        # One query: the ranked matches (at most SEARCH_DEPTH + 1, card columns only).
        proposals = proposals.search_terms(terms, depth=SEARCH_DEPTH + 1)
        if sort != "relevance":
            proposals = proposals.order_by(*SORT_ORDER[sort])
        rows = list(proposals)
        page = rows_page(
            rows[:SEARCH_DEPTH],
            request.GET.get("sida"),
            per_page=PAGE_SIZE,
            more=len(rows) > SEARCH_DEPTH,
        )
    else:
        proposals = proposals.order_by(*SORT_ORDER.get(sort, SORT_ORDER["newest"]))
        page = capped_page(
            proposals, request.GET.get("sida"), per_page=PAGE_SIZE, max_pages=MAX_PAGES
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
            "cards": _cards(request, list(page.object_list), terms if query else []),
        },
    )


def _cards(request, proposals, terms=()) -> str:
    """The page's proposal cards, with their areas (one query) and the search words
    highlighted."""
    prefetch_related_objects(proposals, goals_prefetch())
    for proposal in proposals:
        if terms:
            proposal.title_html = highlight(proposal.title, terms)
    return render_to_string("proposals/_cards.html", {"proposals": proposals}, request)


def _get_proposal_for_user(
    request, pk, locality_ids=None, *, to_answer=False, to_moderate=False
) -> Proposal:
    """The proposal, if the user may know of it: a hidden or removed one is 404 to all but
    its author and moderators. To answer it, the ort's coordinators and staff; others get
    403. Moderation is the moderators' own form, reached from a report, so it answers 403
    to everyone else, whatever the proposal's visibility."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("locality__group", "author"), pk=pk
    )
    if to_moderate:
        to_answer = True
    elif not permissions.can_see(request.user, proposal, locality_ids):
        raise Http404
    if to_answer and not permissions.can_answer(request.user, proposal, locality_ids):
        raise PermissionDenied
    return proposal


def _get_comment_for_user(request, pk, *, to_moderate=False) -> Comment:
    """A comment, if the user may see its proposal (404 otherwise); to moderate it, the
    ort's coordinators and staff, and 403 for everyone else."""
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
    if to_moderate:
        if not permissions.can_answer(request.user, comment.proposal):
            raise PermissionDenied
    elif not permissions.can_see(request.user, comment.proposal):
        raise Http404
    return comment


def _threads(comments):
    """Top-level comments, each with its replies, from one flat list."""
    by_parent = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    top = by_parent.get(None, [])
    for comment in top:
        comment.thread = by_parent.get(comment.pk, [])
    return top


@cached_for_visitors
def proposal_detail(request, pk):
    locality_ids = permissions.answerable_locality_ids(request.user)
    proposal = _get_proposal_for_user(request, pk, locality_ids)
    return _detail_page(request, proposal, locality_ids)


def _detail_page(request, proposal, locality_ids=None, *, refused=None):
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
    context = {
        "proposal": proposal,
        "group": getattr(proposal.locality, "group", None),
        "goals": proposal.goals.all(),
        "history": proposal.history.select_related("answered_by"),
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
    form = ProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(author=request.user, **form.cleaned_data)
        except services.ProposalError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Thank you! Your proposal has been published. The group will answer it."),
            )
            return redirect(proposal)
    return render(request, "proposals/form.html", {"form": form, "proposal": None})


@login_required
def proposal_edit(request, pk):
    proposal = _get_proposal_for_user(request, pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_edit(proposal=proposal, by=request.user, **form.cleaned_data)
        except services.ProposalError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(proposal)
    return render(request, "proposals/form.html", {"form": form, "proposal": proposal})


@require_POST
@login_required
def proposal_withdraw(request, pk):
    proposal = _get_proposal_for_user(request, pk)
    if not permissions.is_author(request.user, proposal):
        raise PermissionDenied
    try:
        services.proposal_withdraw(proposal=proposal, by=request.user)
    except services.ProposalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You have withdrawn the proposal."))
    return redirect(proposal)


@require_POST
@login_required
def proposal_status(request, pk):
    proposal = _get_proposal_for_user(request, pk, to_answer=True)
    form = StatusForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.proposal_set_status(proposal=proposal, by=request.user, **form.cleaned_data)
        except services.ProposalError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The status has been changed and the answer published."))
            return redirect(proposal)
    # Refused: the page again, with the status and the answer as the coordinator left them.
    messages.error(request, _("Nothing was changed: see the answer form below."))
    return _detail_page(request, proposal, refused={"status_form": form})


@require_POST
@login_required
def proposal_support(request, pk):
    proposal = _get_proposal_for_user(request, pk)
    try:
        supported = services.support_toggle(proposal=proposal, user=request.user)
    except services.ProposalError as exc:
        messages.error(request, str(exc))
        return redirect(proposal)
    proposal.refresh_from_db(fields=["support_count"])
    if request.headers.get("HX-Request"):
        return render(
            request,
            "proposals/_support.html",
            {"proposal": proposal, "supported": supported, "can_support": True},
        )
    messages.success(
        request,
        _("Thank you for your support.") if supported else _("You no longer support the proposal."),
    )
    return redirect(proposal)


@require_POST
@login_required
def comment_create(request, pk):
    proposal = _get_proposal_for_user(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
            if parent is None:
                raise Http404
        try:
            comment = services.comment_create(
                proposal=proposal,
                author=request.user,
                body=form.cleaned_data["body"],
                parent=parent,
            )
        except services.CommentsClosed as exc:
            # There is no form on the page to keep the text in.
            messages.error(request, str(exc))
            return redirect(proposal.get_absolute_url() + "#kommentarer")
        except services.ProposalError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("Your comment has been published."))
            return redirect(comment.get_absolute_url())
    # Refused: the page again, the text kept in the form it was written in (a reply's own).
    messages.error(request, _("The comment was not saved: see the comment form below."))
    return _detail_page(
        request,
        proposal,
        refused={"comment_form": form, "refused_parent": str(form.data.get("parent") or "")},
    )


@login_required
def comment_edit(request, pk):
    comment = _get_comment_for_user(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    if not permissions.can_edit_comment(request.user, comment):
        messages.error(request, services.comment_edit_closed())
        return redirect(comment.get_absolute_url())
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(comment=comment, by=request.user, body=form.cleaned_data["body"])
        except services.ProposalError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("Your comment has been saved."))
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "proposals/comment_form.html",
        {"form": form, "comment": comment, "edit_minutes": permissions.COMMENT_EDIT_MINUTES},
    )


@require_POST
@login_required
def comment_delete(request, pk):
    comment = _get_comment_for_user(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    try:
        services.comment_delete(comment=comment, by=request.user)
    except services.ProposalError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your comment has been removed."))
    return redirect(comment.get_absolute_url())


def _report(request, *, proposal=None, comment=None):
    item = proposal or comment
    form = ReportForm(request.POST or None)
    back = item.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user, proposal=proposal, comment=comment, **form.cleaned_data
            )
        except services.ProposalError as exc:
            # Not the input: the person may not report this (their own, or once already).
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Thank you. A moderator will look at it."))
        return redirect(back)
    return render(
        request,
        "proposals/report.html",
        {"form": form, "proposal": proposal, "comment": comment, "back": back},
    )


@login_required
def proposal_report(request, pk):
    return _report(request, proposal=_get_proposal_for_user(request, pk))


@login_required
def comment_report(request, pk):
    return _report(request, comment=_get_comment_for_user(request, pk))


def _moderate(request, *, proposal=None, comment=None):
    item = proposal or comment
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.moderate(
                by=request.user, proposal=proposal, comment=comment, **form.cleaned_data
            )
        except services.ProposalError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(item.get_absolute_url())
    # Refused: the proposal's page again, with the decision and the reason as they were left.
    messages.error(request, _("Choose restore or remove, and write the reason."))
    return _detail_page(
        request,
        proposal or comment.proposal,
        refused={"moderation_form": form, "refused_moderation": "p" if proposal else comment.pk},
    )


@require_POST
@login_required
def proposal_moderate(request, pk):
    proposal = _get_proposal_for_user(request, pk, to_moderate=True)
    return _moderate(request, proposal=proposal)


@require_POST
@login_required
def comment_moderate(request, pk):
    comment = _get_comment_for_user(request, pk, to_moderate=True)
    return _moderate(request, comment=comment)


@login_required
def to_answer(request):
    """For coordinators and staff: overdue proposals and what waits for moderation."""
    locality_ids = permissions.answerable_locality_ids(request.user)
    if locality_ids is not None and not locality_ids:
        raise PermissionDenied
    proposals = Proposal.objects.select_related("locality")
    comments = Comment.objects.select_related("proposal__locality", "author")
    if locality_ids is not None:
        proposals = proposals.filter(locality_id__in=locality_ids)
        comments = comments.filter(proposal__locality_id__in=locality_ids)
    return render(
        request,
        "proposals/to_answer.html",
        {
            "overdue": list(services.overdue().filter(pk__in=proposals).order_by("created_at")),
            "waiting": list(
                proposals.filter(
                    status__in=[Proposal.Status.SUBMITTED, Proposal.Status.UNDER_REVIEW]
                ).order_by("created_at")
            ),
            "hidden_proposals": list(proposals.filter(visibility=Visibility.HIDDEN)),
            "hidden_comments": list(comments.filter(visibility=Visibility.HIDDEN)),
            "days": services.ANSWER_WITHIN_DAYS,
        },
    )


def rules(request):
    return render(
        request,
        "proposals/rules.html",
        {"reports_to_hide": services.REPORTS_TO_HIDE, "days": services.ANSWER_WITHIN_DAYS},
    )
