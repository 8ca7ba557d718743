"""The network meeting's admin: the meetings with their agenda, network roles, calendar
replies, group reports and invitations. The staff pages that run a meeting, step by step,
are meetings.staff_views, under the meeting's admin URLs."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from allas import redaction
from allas.admin_choices import PortalAdmin, PortalInline
from allas.audit import AuditedAdmin
from allas.page_cache import RenewsPublicContentAdmin

from . import permissions, services, staff_views
from .dialogue import admin as dialogue_admin  # noqa: F401 (registers its admins)
from .forms import AgendaItemForm, MeetingForm
from .models import (
    AgendaItem,
    CalendarReply,
    GroupReport,
    Invitation,
    NetworkMeeting,
    NetworkRole,
)

Answer = Invitation.Answer


class AgendaFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The "delete" box of a row sits under a column heading, not a label.
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Delete this item")


class AgendaInline(PortalInline):
    model = AgendaItem
    form = AgendaItemForm
    formset = AgendaFormSet
    extra = 1


@admin.register(NetworkMeeting)
class NetworkMeetingAdmin(RenewsPublicContentAdmin, AuditedAdmin, PortalAdmin):
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

    def get_urls(self):
        # The pages that run the meeting come first: the admin's own end in a catch-all.
        return staff_views.urls(self) + super().get_urls()

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


@admin.register(NetworkRole)
class NetworkRoleAdmin(AuditedAdmin, PortalAdmin):
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
class CalendarReplyAdmin(AuditedAdmin, PortalAdmin):
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
class GroupReportAdmin(AuditedAdmin, PortalAdmin):
    list_display = ["group", "meeting", "submitted_by", "updated_at"]
    list_filter = ["meeting"]
    list_select_related = ["group", "meeting", "submitted_by"]
    readonly_fields = ["submitted_by", "submitted_at", "updated_at"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdmin, PortalAdmin):
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
