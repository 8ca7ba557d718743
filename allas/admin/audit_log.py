"""The audit log in the admin: read and exported by staff of the department, written only
by the services and the audited admins (allas.audit)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .. import audit
from ..exports import csv_download
from ..models import AuditEvent
from ..permissions import is_staff_member
from ..vocabulary import verb_choices
from .read_only import ReadOnlyAdmin, local_moment


class VerbFilter(admin.SimpleListFilter):
    """Every app's verbs in words (allas.vocabulary), as the entries read."""

    title = _("what")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        return verb_choices()

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log: read by staff of the department, written only by the services."""

    list_display = ["created_at", "who", "what", "object_kind", "object_label", "group", "summary"]
    list_filter = [
        ("object_type", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
        "created_at",
        VerbFilter,
    ]
    list_select_related = ["actor", "object_type", "locality__group"]
    date_hierarchy = "created_at"
    search_fields = ["summary", "object_label", "actor__display_name", "actor__email"]
    actions = ["export_csv"]
    fields = ["created_at", "who", "what", "object_kind", "object_label", "group", "summary"]
    readonly_fields = fields

    @admin.display(description=_("who"), ordering="actor__display_name")
    def who(self, obj):
        return obj.actor_name

    @admin.display(description=_("what"), ordering="verb")
    def what(self, obj):
        return obj.verb_label

    # The group by its name, as the entry names it; in the order of the groups (by ort).
    @admin.display(description=_("group"), ordering="locality__name")
    def group(self, obj):
        return obj.group_name or None

    @admin.display(description=_("kind of object"), ordering="object_type")
    def object_kind(self, obj):
        return audit.object_kind(obj)

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        events = queryset.select_related("actor", "object_type", "locality__group").order_by(
            "-created_at"
        )
        header = [
            _("When"),
            _("Who"),
            _("What"),
            _("Kind of object"),
            _("Object"),
            _("Group"),
            _("Summary"),
        ]
        rows = (
            [
                local_moment(e.created_at),
                e.actor_name,
                e.verb_label,
                audit.object_kind(e),
                e.object_label,
                e.group_name,
                e.summary,
            ]
            for e in events
        )
        return csv_download("handelselogg.csv", header, rows)

    def has_module_permission(self, request):
        return is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)
