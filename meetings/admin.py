"""Running the yearly network meeting from the admin: the meeting, its invitation list
with answers and e-mail status, and the buttons that build, send, remind and close it."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas.exports import csv_download
from allas.models import OutboundEmail

from . import services
from .forms import GuestForm, MeetingForm
from .models import AgendaItem, GroupReport, Invitation, NetworkMeeting, NetworkRole


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 1


@admin.register(NetworkMeeting)
class NetworkMeetingAdmin(admin.ModelAdmin):
    form = MeetingForm
    list_display = ["title", "starts_at", "status", "theme", "invited", "coming"]
    list_filter = ["status", "theme"]
    inlines = [AgendaInline]
    change_form_template = "admin/meetings/networkmeeting/change_form.html"
    actions = ["action_publish", "action_build", "action_send"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("theme")
            .annotate(
                invited_count=Count("invitations"),
                coming_count=Count("invitations", filter=Q(invitations__answer="yes")),
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
        # Every e-mail about the meeting carries its key: one query finds them all.
        emails = {}
        for key, status, attempts, error in OutboundEmail.objects.filter(
            dedup_key__startswith=f"meeting:{meeting.pk}:"
        ).values_list("dedup_key", "status", "attempts", "last_error"):
            parts = key.split(":")
            emails.setdefault(int(parts[3]), []).append(
                {"what": parts[2], "status": status, "attempts": attempts, "error": error}
            )
        for invitation in invitations:
            invitation.emails = emails.get(invitation.pk, [])
        counts = meeting.invitations.aggregate(
            invited=Count("id"),
            yes=Count("id", filter=Q(answer="yes")),
            no=Count("id", filter=Q(answer="no")),
            pending=Count("id", filter=Q(answer="pending")),
            unsent=Count("id", filter=Q(sent_at__isnull=True)),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Invitations: %(meeting)s") % {"meeting": meeting.title},
            "meeting": meeting,
            "invitations": invitations,
            "counts": counts,
            "guest_form": GuestForm(),
            "reports": list(meeting.reports.select_related("group__locality")),
        }
        return TemplateResponse(request, "admin/meetings/networkmeeting/invitations.html", context)

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
            for inv in meeting.invitations.filter(answer="yes").select_related("group")
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
        return TemplateResponse(request, "admin/meetings/roster.html", context)

    # -- the list's actions, for the same services --------------------------------

    @admin.action(description=gettext_lazy("Publish"), permissions=["change"])
    def action_publish(self, request, queryset):
        self._each(request, queryset, services.meeting_publish)

    @admin.action(description=gettext_lazy("Build the invitation list"), permissions=["change"])
    def action_build(self, request, queryset):
        self._each(request, queryset, services.invitations_build)

    @admin.action(description=gettext_lazy("Send invitations"), permissions=["change"])
    def action_send(self, request, queryset):
        self._each(request, queryset, services.invitations_send)

    def _each(self, request, queryset, service):
        for meeting in queryset:
            try:
                service(meeting=meeting, by=request.user)
            except services.MeetingError as exc:
                self.message_user(request, f"{meeting}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{meeting}: {_('Done.')}")


ACTIONS = {
    "publicera": (services.meeting_publish, gettext_lazy("The meeting is published.")),
    "bygg": (services.invitations_build, gettext_lazy("%(n)s people were added to the list.")),
    "skicka": (services.invitations_send, gettext_lazy("%(n)s invitations are being sent.")),
    "paminn": (
        services.remind_unanswered_now,
        gettext_lazy("A reminder is being sent to %(n)s people who have not answered."),
    ),
    "genomfort": (services.meeting_mark_held, gettext_lazy("The meeting is marked as held.")),
    "protokoll": (
        services.minutes_publish,
        gettext_lazy("The minutes are published and %(n)s participants are told."),
    ),
    "stall-in": (
        services.meeting_cancel,
        gettext_lazy("The meeting is cancelled and %(n)s invitees are told."),
    ),
}


def _run_action(model_admin, request, pk, what):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    meeting = get_object_or_404(NetworkMeeting, pk=pk)
    back = reverse("admin:meetings_networkmeeting_invitations", args=[pk])
    if not model_admin.has_change_permission(request, meeting):
        return redirect("admin:index")
    if what == "gast":
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
    if what not in ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    service, done = ACTIONS[what]
    try:
        result = service(meeting=meeting, by=request.user)
    except services.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(done) % {"n": result if isinstance(result, int) else ""})
    return redirect(back)


@admin.register(NetworkRole)
class NetworkRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "organisation", "role_title", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["user__email", "user__display_name", "organisation"]
    autocomplete_fields = ["user"]


@admin.register(GroupReport)
class GroupReportAdmin(admin.ModelAdmin):
    list_display = ["group", "meeting", "submitted_by", "updated_at"]
    list_filter = ["meeting"]
    list_select_related = ["group", "meeting", "submitted_by"]
    readonly_fields = ["submitted_by", "submitted_at", "updated_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made by "build the list" and "add a guest"."""

    list_display = ["name", "email", "meeting", "represents", "answer", "sent_at"]
    list_filter = ["meeting", "answer", "represents"]
    search_fields = ["name", "email"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
