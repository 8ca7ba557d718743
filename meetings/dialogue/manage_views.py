"""The coordinators' pages for their group's dialogue meetings, under the group's page
(/orter/<slug>/grupp/moten/): the list, a new meeting, each meeting's page with its steps
and sign-ups, the CSV and the sign-in sheet. The workflows are the services'
(lifecycle, signups); these views only ask them and say what happened."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from allas.exports import csv_download
from allas.outcomes import acted, form_saved
from groups.models import DevelopmentGroup, DialogueMeeting

from ..models import SignUp
from ..words import AuditVerb
from . import lifecycle, signups
from .common import MeetingError, record
from .forms import CancelForm, HeldForm, MeetingForm, MinutesForm
from .permissions import can_manage_meetings

Status = DialogueMeeting.Status
# Blank rows at the end of the sign-in sheet, for those who come without signing up.
BLANK_ROWS = 10


def _get_group_for_user(request, slug) -> DevelopmentGroup:
    """The ort's group. Groups are public, so only an unknown ort is 404; its meetings are
    held by its coordinators and staff, and others get 403, asked before any meeting is
    read, so the answer tells nobody whether a draft exists."""
    group = get_object_or_404(
        DevelopmentGroup.objects.select_related("locality"), locality__slug=slug
    )
    if not can_manage_meetings(request.user, group):
        raise PermissionDenied
    return group


def _get_meeting_for_user(request, slug, pk) -> DialogueMeeting:
    """A meeting of the group, for those who hold it; one of another group is 404."""
    group = _get_group_for_user(request, slug)
    meeting = get_object_or_404(DialogueMeeting, pk=pk, group=group)
    meeting.group = group
    return meeting


def _to_page(meeting):
    return redirect("dialogue_manage", meeting.group.locality.slug, meeting.pk)


def _sorted_signups(meeting) -> dict:
    """Every sign-up of the meeting in one query, as the page and the CSV show them: those
    with a place in the order they signed up, the waiting list in its order, and the rest.
    The personal token stays unread: it is the person's own."""
    rows = list(SignUp.objects.filter(meeting=meeting).defer("token").order_by("created_at", "id"))
    by_status = {status: [] for status in SignUp.Status.values}
    for row in rows:
        by_status[row.status].append(row)
    waiting = sorted(by_status[SignUp.Status.WAITING], key=lambda s: (s.queued_at, s.pk))
    seated = by_status[SignUp.Status.SIGNED_UP]
    return {
        "seated": seated,
        "waiting": waiting,
        "unconfirmed": by_status[SignUp.Status.UNCONFIRMED],
        "cancelled": by_status[SignUp.Status.CANCELLED],
        "free": None if meeting.capacity is None else max(meeting.capacity - len(seated), 0),
    }


def _steps(meeting, now) -> dict:
    """Which buttons the meeting's page shows now. The services decide, and refuse what is
    not possible with the reason; this only leaves out what its status rules out."""
    open_ = meeting.status in (Status.DRAFT, Status.PUBLISHED)
    started = meeting.has_started(now)
    return {
        "publish": meeting.status == Status.DRAFT and not started,
        "publish_too_late": meeting.status == Status.DRAFT and started,
        "edit": open_,
        "cancel": open_,
        "held": meeting.status == Status.HELD or (meeting.status == Status.PUBLISHED and started),
        "held_later": meeting.status == Status.PUBLISHED and not started,
        "minutes": meeting.status == Status.HELD,
        "cancel_signups": meeting.status == Status.PUBLISHED and not started,
    }


@login_required
def meeting_list(request, slug):
    group = _get_group_for_user(request, slug)
    now = timezone.now()
    meetings = list(
        DialogueMeeting.objects.filter(group=group).annotate(
            seated=Count("signups", filter=Q(signups__status=SignUp.Status.SIGNED_UP)),
            waiting=Count("signups", filter=Q(signups__status=SignUp.Status.WAITING)),
        )
    )
    drafts = [m for m in meetings if m.status == Status.DRAFT]
    shown = [m for m in meetings if m.status != Status.DRAFT]
    return render(
        request,
        "meetings/dialogue/manage/list.html",
        {
            "group": group,
            "drafts": drafts,
            "coming": [m for m in shown if m.ends_at >= now],
            "past": sorted(
                (m for m in shown if m.ends_at < now), key=lambda m: m.starts_at, reverse=True
            ),
        },
    )


@login_required
def meeting_create(request, slug):
    group = _get_group_for_user(request, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = lifecycle.dialogue_create(
                group=group,
                fields=form.fields_for_service(),
                goals=form.cleaned_data["goals"],
                by=request.user,
            )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            meeting.group = group
            messages.success(
                request,
                _(
                    "The meeting is saved as a draft. Only the group's coordinators see it "
                    "until you publish it."
                ),
            )
            return _to_page(meeting)
    return render(
        request,
        "meetings/dialogue/manage/form.html",
        {"group": group, "form": form, "meeting": None},
    )


@login_required
def meeting_page(request, slug, pk):
    meeting = _get_meeting_for_user(request, slug, pk)
    now = timezone.now()
    return render(
        request,
        "meetings/dialogue/manage/meeting.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "goals": list(meeting.goals.all()),
            "steps": _steps(meeting, now),
            **_sorted_signups(meeting),
        },
    )


@login_required
def meeting_edit(request, slug, pk):
    meeting = _get_meeting_for_user(request, slug, pk)
    form = MeetingForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            told = lifecycle.dialogue_edit(
                meeting=meeting,
                fields=form.fields_for_service(),
                goals=form.cleaned_data["goals"],
                by=request.user,
            )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            if told:
                done = ngettext(
                    "The changes are saved. %(n)d person was sent the new time or place "
                    "and a new calendar file.",
                    "The changes are saved. %(n)d people were sent the new time or place "
                    "and a new calendar file.",
                    told,
                ) % {"n": told}
            else:
                done = _("The changes are saved.")
            messages.success(request, done)
            return _to_page(meeting)
    people = (
        SignUp.objects.filter(meeting=meeting).active().count()
        if meeting.status == Status.PUBLISHED
        else 0
    )
    return render(
        request,
        "meetings/dialogue/manage/form.html",
        {"group": meeting.group, "form": form, "meeting": meeting, "people": people},
    )


@require_POST
@login_required
def meeting_publish(request, slug, pk):
    meeting = _get_meeting_for_user(request, slug, pk)
    done = _("The meeting is published. Everyone can see it and sign up now.")
    acted(request, lifecycle.dialogue_publish, done=done, meeting=meeting, by=request.user)
    return _to_page(meeting)


@login_required
def meeting_cancel(request, slug, pk):
    meeting = _get_meeting_for_user(request, slug, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = lifecycle.dialogue_cancel(
                meeting=meeting, reason=form.cleaned_data["reason"], by=request.user
            )
        except MeetingError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "The meeting is cancelled. %(n)d person was told, with your reason.",
                    "The meeting is cancelled. %(n)d people were told, with your reason.",
                    told,
                )
                % {"n": told},
            )
            return _to_page(meeting)
    people = SignUp.objects.filter(meeting=meeting).active().count()
    return render(
        request,
        "meetings/dialogue/manage/cancel.html",
        {"group": meeting.group, "meeting": meeting, "form": form, "people": people},
    )


@login_required
def meeting_held(request, slug, pk):
    meeting = _get_meeting_for_user(request, slug, pk)
    initial = {"attendance": meeting.attendance} if meeting.attendance is not None else None
    form = HeldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _("The meeting is marked as held. Now you can publish the minutes.")
        service = lifecycle.dialogue_mark_held
        if form_saved(request, form, service, done=done, meeting=meeting, by=request.user):
            return _to_page(meeting)
    return render(
        request,
        "meetings/dialogue/manage/held.html",
        {"group": meeting.group, "meeting": meeting, "form": form},
    )


@login_required
def meeting_minutes(request, slug, pk):
    meeting = _get_meeting_for_user(request, slug, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            told = lifecycle.dialogue_minutes_publish(
                meeting=meeting, minutes=form.cleaned_data["minutes"], by=request.user
            )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "The minutes are published. %(n)d person who signed up was told.",
                    "The minutes are published. %(n)d people who signed up were told.",
                    told,
                )
                % {"n": told},
            )
            return _to_page(meeting)
    return render(
        request,
        "meetings/dialogue/manage/minutes.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "form": form,
            "people": SignUp.objects.filter(meeting=meeting).seated().count(),
        },
    )


@login_required
def signups_csv(request, slug, pk):
    meeting = _get_meeting_for_user(request, slug, pk)
    listed = _sorted_signups(meeting)
    header = [
        _("Name"),
        _("E-mail address"),
        _("Status"),
        _("Place on the waiting list"),
        _("Food (allergies, special diets)"),
        _("Accessibility needs"),
        _("Time of sign-up"),
    ]
    people = [(s, "") for s in listed["seated"]]
    people += [(s, place) for place, s in enumerate(listed["waiting"], start=1)]
    rows = [
        [
            s.name,
            s.email,
            s.get_status_display(),
            place,
            s.food_needs,
            s.access_needs,
            timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for s, place in people
    ]
    record(request.user, AuditVerb.DIALOGUE_SIGNUPS_EXPORTED, meeting, meeting, n=len(rows))
    filename = f"anmalningar-{meeting.group.locality.slug}-{meeting.pk}.csv"
    return csv_download(filename, header, rows)


@login_required
def signin_sheet(request, slug, pk):
    meeting = _get_meeting_for_user(request, slug, pk)
    seated = SignUp.objects.filter(meeting=meeting).seated().only("name").order_by("name", "id")
    return render(
        request,
        "meetings/dialogue/manage/signin_sheet.html",
        {
            "group": meeting.group,
            "meeting": meeting,
            "names": [s.name for s in seated],
            "blank_rows": range(BLANK_ROWS),
        },
    )


@require_POST
@login_required
def signup_cancel(request, slug, pk, signup_id):
    meeting = _get_meeting_for_user(request, slug, pk)
    signup = get_object_or_404(SignUp.objects.defer("token"), pk=signup_id, meeting=meeting)
    if signup.status == SignUp.Status.CANCELLED:
        already = _("The sign-up of %(name)s was already cancelled.")
        messages.info(request, already % {"name": signup.name})
        return _to_page(meeting)
    done = _("The sign-up of %(name)s is cancelled, and they were told by e-mail.") % {
        "name": signup.name
    }
    acted(
        request,
        signups.signup_cancel,
        done=done,
        signup=signup,
        source=SignUp.Source.COORDINATOR,
        by=request.user,
    )
    return _to_page(meeting)
