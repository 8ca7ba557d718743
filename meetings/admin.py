"""Running the yearly network meeting from the admin: the meeting, its invitation list
with answers and e-mail status, and the buttons that build, send, remind and close it."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from allas import redaction
from allas.audit import AuditedAdmin
from allas.exports import csv_download
from allas.models import OutboundEmail

from . import permissions, services, staff_page
from .admin_forms import CancelForm
from .forms import AgendaItemForm, GuestForm, MeetingForm
from .models import (
    AgendaItem,
    CalendarReply,
    GroupReport,
    Invitation,
    NetworkMeeting,
    NetworkRole,
)

Answer = Invitation.Answer

# What each e-mail about the meeting is, by the middle part of its uniqueness key.
# What each kind of the meeting's e-mails is, by the outbox row's kind.
EMAIL_WHAT = {
    "meetings.invitation": gettext_lazy("Invitation"),
    "meetings.confirmation": gettext_lazy("Confirmation"),
    "meetings.update": gettext_lazy("New time or place"),
    "meetings.cancelled": gettext_lazy("Cancellation"),
    "meetings.minutes": gettext_lazy("Minutes"),
    "meetings.reminder": gettext_lazy("Reminder"),
}


def _with_csp(response):
    """The meeting's own staff pages keep the site's Content-Security-Policy (the rest of
    the admin is exempt): they load htmx from a static file and have no inline script."""
    response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
    return response


class AgendaFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The "delete" box of a row sits under a column heading, not a label.
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete this item")


class StaffOnlyAdmin(AuditedAdmin, admin.ModelAdmin):
    """The meetings' admin is the development department's: model permissions given to
    anyone else count for nothing here (meetings.permissions.can_use_meetings_admin)."""

    def _staff(self, request) -> bool:
        return permissions.can_use_meetings_admin(request.user)

    def has_module_permission(self, request):
        return self._staff(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._staff(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._staff(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._staff(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._staff(request) and super().has_delete_permission(request, obj)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    form = AgendaItemForm
    formset = AgendaFormSet
    extra = 1


@admin.register(NetworkMeeting)
class NetworkMeetingAdmin(StaffOnlyAdmin):
    form = MeetingForm
    list_display = ["title", "starts_at", "status", "theme", "invited", "coming"]
    list_filter = ["status", "theme"]
    inlines = [AgendaInline]
    change_form_template = "admin/meetings/networkmeeting/change_form.html"
    # Only what can be done safely to many at once: sending and the other steps that
    # cannot be undone are asked about on the meeting's own page.
    actions = ["action_build"]

    def has_change_permission(self, request, obj=None):
        # Also guards the buttons of the meeting's staff page and the list's actions.
        return permissions.can_run_meetings(request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("theme")
            .annotate(
                invited_count=Count("invitations"),
                coming_count=Count("invitations", filter=Q(invitations__answer=Answer.YES)),
            )
        )

    @admin.display(description=gettext_lazy("Invited"), ordering="invited_count")
    def invited(self, obj):
        return obj.invited_count

    @admin.display(description=gettext_lazy("Coming"), ordering="coming_count")
    def coming(self, obj):
        return obj.coming_count

    def save_model(self, request, obj, form, change):
        before = {f: form.initial.get(f) for f in services.TIME_AND_PLACE} if change else {}
        super().save_model(request, obj, form, change)
        if change:
            told = services.meeting_changed(meeting=obj, before=before, by=request.user)
            if told:
                self.message_user(
                    request,
                    _("%(n)d invitees were sent the new time or place and a calendar file.")
                    % {"n": told},
                )

    # -- the page that runs the meeting ------------------------------------------

    def get_urls(self):
        own = [
            path(
                "<int:pk>/inbjudningar/",
                self.admin_site.admin_view(self.invitations_view),
                name="meetings_networkmeeting_invitations",
            ),
            path(
                "<int:pk>/deltagare.csv",
                self.admin_site.admin_view(self.attendees_csv),
                name="meetings_networkmeeting_attendees",
            ),
            path(
                "<int:pk>/framsteg/",
                self.admin_site.admin_view(self.progress_view),
                name="meetings_networkmeeting_progress",
            ),
            path(
                "<int:pk>/gor/<str:what>/",
                self.admin_site.admin_view(self.run_action),
                name="meetings_networkmeeting_run",
            ),
            path(
                "natverket/", self.admin_site.admin_view(self.roster_view), name="meetings_roster"
            ),
        ]
        return own + super().get_urls()

    def invitations_view(self, request, pk):
        meeting = get_object_or_404(NetworkMeeting.objects.select_related("theme"), pk=pk)
        if not self.has_view_permission(request, meeting):
            return redirect("admin:index")
        invitations = list(
            meeting.invitations.select_related("group__locality").prefetch_related("reminders")
        )
        # Every e-mail about the meeting names its invitation as its cause: one query.
        emails = {}
        status_labels = dict(OutboundEmail.Status.choices)
        for email_id, invitation_id, kind, status, attempts, error in (
            staff_page.meeting_emails(meeting)
            .order_by("id")
            .values_list("pk", "cause_id", "kind", "status", "attempts", "last_error")
        ):
            emails.setdefault(invitation_id, []).append(
                {
                    "id": email_id,
                    "what": EMAIL_WHAT.get(kind, kind),
                    "status": status,
                    "status_label": status_labels.get(status, status),
                    "attempts": attempts,
                    "error": error,
                }
            )
        for invitation in invitations:
            invitation.emails = emails.get(invitation.pk, [])
        by_body, counts = staff_page.answers_by_body(meeting)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Run the meeting: %(meeting)s") % {"meeting": meeting.title},
            "meeting": meeting,
            "sections": staff_page.grouped_invitations(invitations),
            "counts": counts,
            "by_body": by_body,
            "needs": staff_page.needs_summary(invitations),
            "progress": staff_page.email_progress(meeting),
            "calendar_replies": staff_page.calendar_reply_counts(meeting),
            "actions": _stages(meeting, counts),
            "guest_form": GuestForm(),
            "reports": list(meeting.reports.select_related("group__locality")),
            "can_change": self.has_change_permission(request, meeting),
        }
        return _with_csp(
            TemplateResponse(request, "admin/meetings/networkmeeting/invitations.html", context)
        )

    def progress_view(self, request, pk):
        """The progress block alone, fetched by htmx every few seconds while e-mails are
        on their way."""
        meeting = get_object_or_404(NetworkMeeting, pk=pk)
        if not self.has_view_permission(request, meeting):
            return redirect("admin:index")
        context = {"meeting": meeting, "progress": staff_page.email_progress(meeting)}
        return _with_csp(
            TemplateResponse(request, "admin/meetings/networkmeeting/_progress.html", context)
        )

    def attendees_csv(self, request, pk):
        meeting = get_object_or_404(NetworkMeeting, pk=pk)
        if not self.has_view_permission(request, meeting):
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
                inv.role_description,
                inv.get_answer_display(),
                inv.dietary_needs,
                inv.accessibility_needs,
            ]
            for inv in meeting.invitations.filter(answer=Answer.YES).select_related("group")
        )
        return csv_download(f"deltagare-{meeting.pk}.csv", header, rows)

    def run_action(self, request, pk, what):
        return _run_action(self, request, pk, what)

    def roster_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "opts": NetworkRole._meta,
            "title": _("The network"),
            "roster": services.roster(),
        }
        return _with_csp(TemplateResponse(request, "admin/meetings/roster.html", context))

    # -- the list's actions, for the same services --------------------------------

    @admin.action(description=gettext_lazy("Build the invitation list"), permissions=["change"])
    def action_build(self, request, queryset):
        self._each(request, queryset, services.invitations_build)

    def _each(self, request, queryset, service):
        for meeting in queryset:
            try:
                service(meeting=meeting, by=request.user)
            except services.MeetingError as exc:
                self.message_user(request, f"{meeting}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{meeting}: {_('Done.')}")


@dataclass(frozen=True)
class Action:
    """One thing staff can do on the page: what it does and sends, in one sentence, and
    whether it must be confirmed first because it cannot be undone."""

    slug: str
    label: str
    service: object
    done: str
    confirm: bool
    button: str = ""


ACTIONS = {
    a.slug: a
    for a in [
        Action(
            "publicera",
            gettext_lazy("Publish the meeting"),
            services.meeting_publish,
            gettext_lazy("The meeting is published."),
            confirm=True,
            button=gettext_lazy("Yes, publish the meeting"),
        ),
        Action(
            "bygg",
            gettext_lazy("Build the invitation list from the network"),
            services.invitations_build,
            gettext_lazy("%(n)s people were added to the list."),
            confirm=False,
        ),
        Action(
            "skicka",
            gettext_lazy("Send invitations"),
            services.invitations_send,
            gettext_lazy("%(n)s invitations are being sent."),
            confirm=True,
            button=gettext_lazy("Yes, send the invitations"),
        ),
        Action(
            "paminn",
            gettext_lazy("Remind everyone without an answer now"),
            services.remind_unanswered_now,
            gettext_lazy("A reminder is being sent to %(n)s people who have not answered."),
            confirm=True,
            button=gettext_lazy("Yes, send the reminder"),
        ),
        Action(
            "genomfort",
            gettext_lazy("Mark as held"),
            services.meeting_mark_held,
            gettext_lazy("The meeting is marked as held."),
            confirm=True,
            button=gettext_lazy("Yes, the meeting is held"),
        ),
        Action(
            "protokoll",
            gettext_lazy("Publish the minutes and tell the participants"),
            services.minutes_publish,
            gettext_lazy("The minutes are published and %(n)s participants are told."),
            confirm=True,
            button=gettext_lazy("Yes, publish the minutes"),
        ),
        Action(
            "stall-in",
            gettext_lazy("Cancel the meeting"),
            services.meeting_cancel,
            gettext_lazy("The meeting is cancelled and %(n)s invitees are told."),
            confirm=True,
            button=gettext_lazy("Yes, cancel the meeting and tell the invitees"),
        ),
    ]
}


def _told_count(meeting) -> int:
    return meeting.invitations.filter(sent_at__isnull=False).exclude(answer=Answer.NO).count()


def _describe(meeting, slug: str, counts: dict) -> tuple[str, str]:
    """(what the action does and sends, why it cannot be done now or "")."""
    Status = NetworkMeeting.Status
    status = meeting.status
    closed = status in (Status.CANCELLED, Status.HELD)
    sent = counts["invited"] - counts["unsent"]
    if slug == "publicera":
        return (
            _("The meeting is shown on the website. No e-mail is sent."),
            "" if status == Status.DRAFT else _("The meeting is already published."),
        )
    if slug == "bygg":
        return (
            _(
                "Adds everyone in the network who is not on the list yet: the groups' "
                "coordinators and delegates, the municipality's representatives and the "
                "advisory board. Nothing is sent."
            ),
            _("The meeting is cancelled or already held.") if closed else "",
        )
    if slug == "skicka":
        return (
            ngettext(
                "Sends the invitation with a calendar file and a personal answer link to "
                "the %(n)d person on the list who has not got it.",
                "Sends the invitation with a calendar file and a personal answer link to "
                "the %(n)d people on the list who have not got it.",
                counts["unsent"],
            )
            % {"n": counts["unsent"]},
            (_("Publish the meeting first.") if status == Status.DRAFT else "")
            or (_("The meeting is cancelled or already held.") if closed else "")
            or (_("Everyone on the list has got the invitation.") if not counts["unsent"] else ""),
        )
    if slug == "paminn":
        waiting = sent - counts[Answer.YES] - counts[Answer.NO] - counts[Answer.MAYBE]
        return (
            ngettext(
                "Sends a reminder with the answer link to the %(n)d person who has not answered.",
                "Sends a reminder with the answer link to the %(n)d people who have not answered.",
                max(waiting, 0),
            )
            % {"n": max(waiting, 0)},
            "" if status == Status.PUBLISHED and waiting > 0 else _("No one is waiting for it."),
        )
    if slug == "genomfort":
        started = meeting.has_started()
        return (
            _("Marks the meeting as held, so that the minutes can be published. Nothing is sent."),
            ""
            if status == Status.PUBLISHED and started
            else (
                _("Possible from the start of the meeting, %(when)s.")
                % {"when": services._local(meeting.starts_at)}
                if status == Status.PUBLISHED
                else _("Only a published meeting can be marked as held.")
            ),
        )
    if slug == "protokoll":
        return (
            ngettext(
                "Publishes the minutes on the meeting's page and e-mails them to the %(n)d "
                "person who came.",
                "Publishes the minutes on the meeting's page and e-mails them to the %(n)d "
                "people who came.",
                counts[Answer.YES],
            )
            % {"n": counts[Answer.YES]},
            (
                _("Mark the meeting as held before you publish the minutes.")
                if status != Status.HELD
                else (
                    _("Write the minutes first.")
                    if not meeting.minutes.strip()
                    else (_("The minutes are published.") if meeting.minutes_published_at else "")
                )
            ),
        )
    if slug == "stall-in":
        told = sent - counts[Answer.NO]
        return (
            ngettext(
                "Cancels the meeting and e-mails your reason, with a calendar file that "
                "removes the meeting, to the %(n)d person invited.",
                "Cancels the meeting and e-mails your reason, with a calendar file that "
                "removes the meeting, to the %(n)d people invited.",
                told,
            )
            % {"n": told},
            _("The meeting is cancelled or already held.") if closed else "",
        )
    return "", ""


STAGES = [
    (gettext_lazy("Before the invitations"), ["publicera", "bygg"]),
    (gettext_lazy("Sending"), ["skicka"]),
    (gettext_lazy("Before the meeting"), ["paminn", "stall-in"]),
    (gettext_lazy("After the meeting"), ["genomfort", "protokoll"]),
]


def _stages(meeting, counts) -> list[dict]:
    stages = []
    for title, slugs in STAGES:
        items = []
        for slug in slugs:
            action = ACTIONS[slug]
            what, blocked = _describe(meeting, slug, counts)
            items.append({"action": action, "what": what, "blocked": blocked})
        stages.append({"title": title, "items": items})
    return stages


def _run_action(model_admin, request, pk, what):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    back = reverse("admin:meetings_networkmeeting_invitations", args=[pk])
    if not model_admin.has_change_permission(request, meeting):
        return redirect("admin:index")
    if what == "gast":
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = GuestForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(back)
        try:
            services.invitation_add_guest(meeting=meeting, by=request.user, **form.cleaned_data)
        except services.MeetingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("The guest is on the list. Send invitations to invite them.")
            )
        return redirect(back)
    action = ACTIONS.get(what)
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    cancel_form = CancelForm(request.POST or None) if what == "stall-in" else None
    # An action that cannot be undone is asked about first, on its own page (no
    # JavaScript needed); only a POST from that page, with "confirmed", does it.
    confirmed = request.method == "POST" and (not action.confirm or request.POST.get("confirmed"))
    if confirmed and cancel_form is not None and not cancel_form.is_valid():
        confirmed = False
    if not confirmed:
        _by_body, counts = staff_page.answers_by_body(meeting)
        sentence, blocked = _describe(meeting, what, counts)
        context = {
            **model_admin.admin_site.each_context(request),
            "opts": NetworkMeeting._meta,
            "title": str(action.label),
            "meeting": meeting,
            "action": action,
            "sentence": sentence,
            "blocked": blocked,
            "cancel_form": cancel_form,
        }
        return _with_csp(
            TemplateResponse(request, "admin/meetings/networkmeeting/confirm.html", context)
        )
    extra = {"reason": cancel_form.cleaned_data["reason"]} if cancel_form is not None else {}
    try:
        result = action.service(meeting=meeting, by=request.user, **extra)
    except services.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, str(action.done) % {"n": result if isinstance(result, int) else ""}
        )
    return redirect(back)


@admin.register(NetworkRole)
class NetworkRoleAdmin(StaffOnlyAdmin):
    """The municipality's representatives and the advisory board. A person who leaves is
    retired (not deleted), so earlier invitations keep what they represented."""

    list_display = ["user", "kind", "organisation", "role_title", "active"]
    list_filter = ["kind", "active"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name", "organisation"]
    # The person by id with a lookup link: the admin's select2 autocomplete has a combobox
    # without an accessible name (axe: aria-input-field-name).
    raw_id_fields = ["user"]
    actions = ["action_retire", "action_reinstate"]

    @admin.action(
        description=gettext_lazy("Retire: no longer invited to new meetings"),
        permissions=["change"],
    )
    def action_retire(self, request, queryset):
        n = services.network_roles_set_active(roles=queryset, active=False, by=request.user)
        self.message_user(
            request,
            ngettext("%(n)d network role is retired.", "%(n)d network roles are retired.", n)
            % {"n": n},
        )

    @admin.action(description=gettext_lazy("Reinstate"), permissions=["change"])
    def action_reinstate(self, request, queryset):
        n = services.network_roles_set_active(roles=queryset, active=True, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(n)d network role is active again.", "%(n)d network roles are active again.", n
            )
            % {"n": n},
        )


@admin.register(CalendarReply)
class CalendarReplyAdmin(StaffOnlyAdmin):
    """Read-only: every e-mail `receive_mail` read and what became of it."""

    list_display = ["received_at", "sender", "partstat", "outcome", "reason", "invitation"]
    list_filter = ["outcome"]
    list_select_related = ["invitation"]
    search_fields = ["sender", "attendee"]
    date_hierarchy = "received_at"
    # A matched reply's UID carries the invitation's personal key: shown without it, and
    # neither searched nor filtered on (a filter would read it a character at a time).
    exclude = ["uid"]
    readonly_fields = ["shown_uid"]

    @admin.display(description=gettext_lazy("calendar UID"))
    def shown_uid(self, obj):
        return redaction.redacted_calendar_uid(obj.uid)

    def lookup_allowed(self, lookup, value, request=None):
        return not lookup.startswith("uid") and super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(GroupReport)
class GroupReportAdmin(StaffOnlyAdmin):
    list_display = ["group", "meeting", "submitted_by", "updated_at"]
    list_filter = ["meeting"]
    list_select_related = ["group", "meeting", "submitted_by"]
    readonly_fields = ["submitted_by", "submitted_at", "updated_at"]


@admin.register(Invitation)
class InvitationAdmin(StaffOnlyAdmin):
    """Read-only: invitations are made by "build the list" and "add a guest"."""

    list_display = ["name", "email", "meeting", "represents", "answer", "sent_at"]
    list_filter = ["meeting", "answer", "represents"]
    search_fields = ["name", "email"]
    # The token is the invitee's answer link: not shown, and not filtered on either.
    exclude = ["token"]

    def lookup_allowed(self, lookup, value, request=None):
        return not lookup.startswith("token") and super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
