from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from allas.admin import ReadOnlyAdmin
from allas.admin_choices import CHOOSE, PortalAdmin, PortalInline
from allas.audit import AuditedAdmin
from allas.models import AgeBand, User
from allas.page_cache import RenewsPublicContentAdmin

from . import services
from .exports import members_csv_response
from .models import (
    Action,
    ActionNote,
    DevelopmentGroup,
    GroupMessage,
    Membership,
    MembershipEvent,
    Plan,
    Sector,
)


@admin.register(GroupMessage)
class GroupMessageAdmin(AuditedAdmin, PortalAdmin):
    """What coordinators have written to their groups: a record, not edited here."""

    list_display = ["subject", "group", "author", "recipient_count", "to_followers", "created_at"]
    list_filter = ["group"]
    search_fields = ["subject", "body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DevelopmentGroup)
class DevelopmentGroupAdmin(RenewsPublicContentAdmin, AuditedAdmin, PortalAdmin):
    list_display = ["name", "locality", "contact_email", "updated_at"]
    readonly_fields = ["locality"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False  # one per ort, made by a migration

    def has_delete_permission(self, request, obj=None):
        return False


class AppointCoordinatorForm(forms.ModelForm):
    """Adding a membership in the admin appoints a coordinator (through the service)."""

    user = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.order_by("email"), empty_label=CHOOSE
    )
    sector = forms.ChoiceField(label=_("Represents"), choices=Sector.choices)
    age_band = forms.ChoiceField(label=_("Age band"), choices=AgeBand.choices)

    class Meta:
        model = Membership
        fields = ["user", "group", "sector", "age_band"]


@admin.register(Membership)
class MembershipAdmin(RenewsPublicContentAdmin, AuditedAdmin, PortalAdmin):
    list_display = [
        "user",
        "group",
        "role",
        "status",
        "sector",
        "age_band",
        "is_delegate",
        "joined_at",
    ]
    list_filter = ["group__locality", "sector", "age_band", "role", "status", "is_delegate"]
    search_fields = ["user__email", "user__display_name"]
    list_select_related = ["user", "group"]
    actions = ["appoint_coordinator", "remove_coordinator", "export_csv"]
    add_form = AppointCoordinatorForm
    # Adding appoints a coordinator through the service, which records the appointment.
    audit_additions = False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "group", "sector", "age_band"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Changes go through the actions and the coordinators' page, which keep the rules.
        if obj is None:
            return []
        return [f.name for f in Membership._meta.fields]

    def save_model(self, request, obj, form, change):
        if change:
            return
        membership = services.coordinator_appoint(
            user=form.cleaned_data["user"],
            group=form.cleaned_data["group"],
            by=request.user,
            sector=form.cleaned_data["sector"],
            age_band=form.cleaned_data["age_band"],
        )
        obj.pk = membership.pk

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Appoint as coordinator"), permissions=["change"])
    def appoint_coordinator(self, request, queryset):
        count = 0
        for membership in queryset.select_related("user", "group"):
            if membership.status not in Membership.CURRENT:
                continue
            services.coordinator_appoint(
                user=membership.user,
                group=membership.group,
                by=request.user,
                sector=membership.sector,
                age_band=membership.age_band,
            )
            count += 1
        self.message_user(request, _("%(n)d coordinators appointed.") % {"n": count})

    @admin.action(description=_("Remove as coordinator"), permissions=["change"])
    def remove_coordinator(self, request, queryset):
        for membership in queryset:
            try:
                services.coordinator_unappoint(membership=membership, by=request.user)
            except services.GroupError as exc:
                self.message_user(request, f"{membership}: {exc}", messages.ERROR)

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return members_csv_response(
            queryset.select_related("user", "group").order_by("group__name", "user__display_name"),
            "medlemskap.csv",
        )


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyAdmin):
    """The record of decisions: who did what, and when. Read-only."""

    list_display = ["created_at", "group", "membership", "action", "actor"]
    list_filter = ["action", "group"]
    list_select_related = ["group", "membership__user", "actor"]
    date_hierarchy = "created_at"


class ActionInline(PortalInline):
    model = Action
    fields = ["position", "title", "status", "progress", "responsible", "start_date", "end_date"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(RenewsPublicContentAdmin, AuditedAdmin, PortalAdmin):
    list_display = ["group", "year", "status", "updated_at"]
    list_filter = ["year", "status", "group__locality"]
    list_select_related = ["group"]
    inlines = [ActionInline]
    readonly_fields = ["created_at", "updated_at", "published_at"]


class ActionNoteInline(PortalInline):
    model = ActionNote
    fields = ["date", "text", "author"]
    readonly_fields = ["author"]
    extra = 0


@admin.register(Action)
class ActionAdmin(RenewsPublicContentAdmin, AuditedAdmin, PortalAdmin):
    list_display = ["title", "plan", "status", "progress", "updated_at"]
    list_filter = ["status", "plan__year", "plan__group__locality", "goals"]
    list_select_related = ["plan__group"]
    search_fields = ["title", "description", "responsible"]
    inlines = [ActionNoteInline]
    readonly_fields = ["copied_from", "created_at", "updated_at"]
