"""The staff pages that run the network meeting, reached from its admin: the page with the
invitation list, answers, e-mails and every step (meetings.workflow), one view that takes
any step (asking first where the step cannot be undone), adding a guest, the progress
block, the attendees as CSV and the network's roster.

They live under the meeting's admin URLs (`urls(model_admin)`), behind the admin site's
own check of who gets in, and each view gets the model admin, which judges who may see
and who may run the meeting."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from allas.exports import csv_download
from allas.outcomes import acted

from . import services, staff_queries, workflow
from .admin_forms import CancelForm
from .forms import GuestForm
from .models import Invitation, NetworkMeeting, NetworkRole


def urls(model_admin) -> list:
    """The pages, named like the admin's own (admin:meetings_networkmeeting_…)."""

    def page(route, view, name, **kwargs):
        view = model_admin.admin_site.admin_view(view)
        kwargs["model_admin"] = model_admin
        return path(route, view, kwargs, name=f"meetings_{name}")

    def step_page(route, step: workflow.Step, **kwargs):
        # The name Step.url_name reverses.
        return page(route, take_step, f"networkmeeting_{step.name}", step=step, **kwargs)

    return [
        page("<int:pk>/inbjudningar/", run_meeting, "networkmeeting_invitations"),
        page("<int:pk>/deltagare.csv", attendees_csv, "networkmeeting_attendees"),
        page("<int:pk>/framsteg/", email_progress, "networkmeeting_progress"),
        page("<int:pk>/gor/gast/", add_guest, "networkmeeting_guest"),
        step_page("<int:pk>/gor/publicera/", workflow.PUBLISH),
        step_page("<int:pk>/gor/bygg/", workflow.BUILD),
        step_page("<int:pk>/gor/skicka/", workflow.SEND),
        step_page("<int:pk>/gor/paminn/", workflow.REMIND),
        step_page("<int:pk>/gor/genomfort/", workflow.MARK_HELD),
        step_page("<int:pk>/gor/protokoll/", workflow.PUBLISH_MINUTES),
        # Cancelling asks why: the reason goes to everyone invited.
        step_page("<int:pk>/gor/stall-in/", workflow.CANCEL, form_class=CancelForm),
        page("natverket/", network_roster, "roster"),
    ]


def _with_csp(response):
    """The meeting's own staff pages keep the site's Content-Security-Policy (the rest of
    the admin is exempt): they load htmx from a static file and have no inline script."""
    response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
    return response


def _get_meeting_for_staff(request, pk, model_admin, *, to_run=False) -> NetworkMeeting | None:
    """The meeting, or None for staff who may not see it (or, `to_run`, not run it): the
    view sends them to the admin's index, as the admin does."""
    meeting = get_object_or_404(NetworkMeeting.objects.select_related("theme"), pk=pk)
    may = model_admin.has_change_permission if to_run else model_admin.has_view_permission
    return meeting if may(request, meeting) else None


def _back(meeting):
    return redirect("admin:meetings_networkmeeting_invitations", meeting.pk)


# -- the page that runs the meeting ----------------------------------------------------


def run_meeting(request, pk, model_admin):
    meeting = _get_meeting_for_staff(request, pk, model_admin)
    if meeting is None:
        return redirect("admin:index")
    invitations = list(
        meeting.invitations.select_related("group__locality").prefetch_related("reminders")
    )
    emails = staff_queries.emails_by_invitation(meeting)
    for invitation in invitations:
        invitation.emails = emails.get(invitation.pk, [])
        # Shown, never saved: each part of the role once.
        invitation.role_description = staff_queries.role_words(invitation.role_description)
    by_body, counts = staff_queries.answers_by_body(meeting)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": NetworkMeeting._meta,
        "title": _("Run the meeting: %(meeting)s") % {"meeting": meeting.title},
        "meeting": meeting,
        "sections": staff_queries.grouped_invitations(invitations),
        "counts": counts,
        "by_body": by_body,
        "needs": staff_queries.needs_summary(invitations),
        "progress": staff_queries.email_progress(meeting),
        "calendar_replies": staff_queries.calendar_reply_counts(meeting),
        "stages": workflow.stages(meeting, counts),
        "guest_form": GuestForm(),
        "reports": list(meeting.reports.select_related("group__locality")),
        "can_change": model_admin.has_change_permission(request, meeting),
    }
    return _with_csp(
        TemplateResponse(request, "admin/meetings/networkmeeting/invitations.html", context)
    )


def email_progress(request, pk, model_admin):
    """The progress block alone, fetched by htmx every few seconds while e-mails are on
    their way."""
    meeting = _get_meeting_for_staff(request, pk, model_admin)
    if meeting is None:
        return redirect("admin:index")
    context = {"meeting": meeting, "progress": staff_queries.email_progress(meeting)}
    return _with_csp(
        TemplateResponse(request, "admin/meetings/networkmeeting/_progress.html", context)
    )


def attendees_csv(request, pk, model_admin):
    meeting = _get_meeting_for_staff(request, pk, model_admin)
    if meeting is None:
        return redirect("admin:index")
    header = [
        _("Name"),
        _("E-mail address"),
        _("Represents"),
        _("Role"),
        _("Answer"),
        _("Dietary needs"),
        _("Accessibility needs"),
    ]
    rows = (
        [
            inv.name,
            inv.email,
            inv.get_represents_display(),
            staff_queries.role_words(inv.role_description),
            inv.get_answer_display(),
            inv.dietary_needs,
            inv.accessibility_needs,
        ]
        for inv in meeting.invitations.filter(answer=Invitation.Answer.YES).select_related("group")
    )
    return csv_download(f"deltagare-{meeting.pk}.csv", header, rows)


def network_roster(request, model_admin):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": NetworkRole._meta,
        "title": _("The network"),
        "roster": [
            {**entry, "role_description": staff_queries.role_words(entry["role_description"])}
            for entry in services.roster()
        ],
    }
    return _with_csp(TemplateResponse(request, "admin/meetings/roster.html", context))


# -- the steps ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def take_step(request, pk, model_admin, step: workflow.Step, form_class=None):
    """A step that cannot be undone is asked about first, on its own page (no JavaScript
    needed): only a POST from that page, with "confirmed", takes it. Any other step is
    taken on POST. The service refuses what its guard refuses; staff read why."""
    meeting = _get_meeting_for_staff(request, pk, model_admin, to_run=True)
    if meeting is None:
        return redirect("admin:index")
    form = form_class(request.POST or None) if form_class else None
    confirmed = request.method == "POST" and (not step.confirm or request.POST.get("confirmed"))
    if confirmed and form is not None and not form.is_valid():
        confirmed = False
    if not confirmed:
        _by_body, counts = staff_queries.answers_by_body(meeting)
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": NetworkMeeting._meta,
            "title": str(step.label),
            "meeting": meeting,
            "step": step,
            "sentence": step.what(counts),
            "blocked": step.blocked(meeting, counts),
            "cancel_form": form,
        }
        return _with_csp(
            TemplateResponse(request, "admin/meetings/networkmeeting/confirm.html", context)
        )
    values = form.cleaned_data if form is not None else {}
    try:
        result = step.service(meeting=meeting, by=request.user, **values)
    except services.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        # Said with what the service returns, such as how many were sent.
        messages.success(request, step.done_message(result))
    return _back(meeting)


@require_POST
def add_guest(request, pk, model_admin):
    """Adds one person from outside the network; the next sending invites them."""
    meeting = _get_meeting_for_staff(request, pk, model_admin, to_run=True)
    if meeting is None:
        return redirect("admin:index")
    form = GuestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(meeting)
    acted(
        request,
        services.invitation_add_guest,
        done=_("The guest is on the list. Send invitations to invite them."),
        meeting=meeting,
        by=request.user,
        **form.cleaned_data,
    )
    return _back(meeting)
