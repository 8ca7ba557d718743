"""Public meeting pages, the answer page reached by a personal link, group reports and
the meeting booklet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from groups.models import DevelopmentGroup

from . import calendar, guards, permissions, services
from .forms import AnswerForm, ReportForm
from .models import GroupReport, Invitation, NetworkMeeting


def _get_meeting_for_user(request, pk) -> NetworkMeeting:
    """Drafts are staff's only: to everyone else they do not exist (404)."""
    meeting = get_object_or_404(NetworkMeeting.objects.select_related("theme"), pk=pk)
    if not permissions.can_see_meeting(request.user, meeting):
        raise Http404
    return meeting


def _get_group_for_user(request, slug) -> DevelopmentGroup:
    """The group whose report the user writes. Groups are public, so only an unknown ort
    is 404; all but its coordinators and staff get 403."""
    group = get_object_or_404(
        DevelopmentGroup.objects.select_related("locality"), locality__slug=slug
    )
    if not permissions.can_submit_report(request.user, group):
        raise PermissionDenied
    return group


def _get_invitation_for_link(token) -> Invitation:
    """The invitation whose personal link this is, for whoever holds it; a wrong, draft or
    long-past link is 404."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        raise Http404
    return invitation


def meeting_phase(meeting: NetworkMeeting, now=None) -> str:
    """Where the meeting stands for its pages: "draft", "coming", "cancelled", or "over"
    once it has ended, whether or not staff have marked it held yet. Only a coming
    meeting offers its answer deadline, the calendar file and the groups' reports."""
    if meeting.status in (NetworkMeeting.Status.DRAFT, NetworkMeeting.Status.CANCELLED):
        return meeting.status
    if meeting.status == NetworkMeeting.Status.HELD or meeting.ends_at < (now or timezone.now()):
        return "over"
    return "coming"


def meeting_list(request):
    meetings = NetworkMeeting.objects.filter(status__in=NetworkMeeting.PUBLIC).select_related(
        "theme"
    )
    now = timezone.now()
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": [m for m in meetings.order_by("starts_at") if m.ends_at >= now],
            "past": [m for m in meetings if m.ends_at < now],
        },
    )


def meeting_detail(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    phase = meeting_phase(meeting)
    my_reports = []
    if request.user.is_authenticated and phase == "coming":
        my_reports = list(permissions.report_groups(request.user).select_related("locality"))
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "phase": phase,
            "agenda": list(meeting.agenda.all()),
            "my_reports": my_reports,
            "can_read_booklet": permissions.can_read_booklet(request.user, meeting),
        },
    )


def _ics_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_ics(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    if not meeting.is_public:
        raise Http404
    return _ics_response(calendar.feed_ics([meeting]), f"natverksmote-{meeting.pk}.ics")


def meetings_ics(request):
    meetings = NetworkMeeting.objects.filter(status__in=NetworkMeeting.PUBLIC).order_by("starts_at")
    return _ics_response(calendar.feed_ics(meetings), "natverksmoten.ics")


def answer(request, token):
    """The invitee's own page: reached from the e-mail without logging in."""
    invitation = _get_invitation_for_link(token)
    meeting = invitation.meeting
    open_for_answers = permissions.can_answer_invitation(invitation)
    initial = {
        "answer": invitation.answer if invitation.answer != Invitation.Answer.PENDING else None,
        "dietary_needs": invitation.dietary_needs,
        "accessibility_needs": invitation.accessibility_needs,
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        refusal = guards.why_not_answer(invitation)
        if refusal is not None:
            messages.error(request, refusal.message)
            return redirect(request.path)
        if form.is_valid():
            try:
                answered = services.invitation_answer(invitation=invitation, **form.cleaned_data)
            except services.MeetingError as exc:
                # Shown with the form, which keeps the answer and the needs as written.
                form.add_error(None, str(exc))
            else:
                if not answered.changed:
                    messages.info(request, _("Your answer is the same as before."))
                    return redirect(request.path)
                messages.success(
                    request,
                    _(
                        "Thank you! We have your answer. You can change it until %(date)s. "
                        "A confirmation is on its way to your e-mail."
                    )
                    # Running text says a date as words ("1 mars 2027"), as the page does.
                    % {"date": date_format(timezone.localtime(meeting.rsvp_deadline), "j F Y")},
                )
                return redirect(request.path)
    response = render(
        request,
        "meetings/answer.html",
        {
            "invitation": invitation,
            "meeting": meeting,
            "phase": meeting_phase(meeting),
            "agenda": list(meeting.agenda.all()),
            "form": form,
            "open_for_answers": open_for_answers,
            "can_read_booklet": permissions.can_read_booklet_by_invitation(invitation),
        },
    )
    # The page is personal: keep it out of shared caches. (The site-wide same-origin
    # referrer policy already keeps the token from other sites; "no-referrer" would make
    # browsers send "Origin: null" with the form, which the CSRF check refuses.)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report(request, pk, slug):
    meeting = _get_meeting_for_user(request, pk)
    group = _get_group_for_user(request, slug)
    existing = GroupReport.objects.filter(meeting=meeting, group=group).first()
    form = ReportForm(
        request.POST or None,
        instance=existing,
        initial=None if existing else {"plans": services.report_prefill(group)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                meeting=meeting, group=group, by=request.user, **form.cleaned_data
            )
        except services.MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The group's report has been sent. You can change it until the meeting.")
            )
            return redirect(meeting)
    return render(
        request,
        "meetings/report.html",
        {
            "meeting": meeting,
            "group": group,
            "form": form,
            "existing": existing,
            "prefill": services.report_prefill(group),
        },
    )


def _booklet(request, meeting):
    reports = {r.group_id: r for r in meeting.reports.select_related("submitted_by")}
    groups = list(DevelopmentGroup.objects.select_related("locality").order_by("locality__name"))
    entries = [(g, reports.get(g.pk)) for g in groups]
    response = render(
        request,
        "meetings/booklet.html",
        {
            "meeting": meeting,
            "phase": meeting_phase(meeting),
            "agenda": list(meeting.agenda.all()),
            "entries": entries,
            "missing": [g for g, r in entries if r is None],
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


def booklet(request, pk):
    """Every group's report and the agenda: from the report deadline for the network
    (members of the groups and everyone invited), for staff at any time."""
    meeting = _get_meeting_for_user(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_read_booklet(request.user, meeting):
        raise PermissionDenied
    return _booklet(request, meeting)


def booklet_by_token(request, token):
    """The same booklet by the invitee's personal link, without logging in."""
    invitation = _get_invitation_for_link(token)
    if not permissions.can_read_booklet_by_invitation(invitation):
        raise PermissionDenied
    return _booklet(request, invitation.meeting)
