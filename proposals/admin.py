"""Read-only views of the dialogue for staff. Answers and moderation happen on the
proposal's page, where the services send the e-mails and keep the record. Who follows a
proposal staff may change, as they may an ort's follows, with each change in the audit log."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from allas.admin_choices import PortalAdmin, PortalInline
from allas.audit import AuditedAdmin
from allas.page_cache import RenewsPublicContentAdmin

from .models import (
    CaseCorrection,
    Comment,
    Committee,
    ModerationDecision,
    MunicipalCase,
    Proposal,
    ProposalFollow,
    Report,
    StatusChange,
)


class ReadOnlyAdmin(PortalAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(PortalInline):
    model = StatusChange
    fields = ["created_at", "status", "answer", "answered_by", "answered_as"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(RenewsPublicContentAdmin, ReadOnlyAdmin):
    list_display = [
        "title",
        "locality",
        "status",
        "visibility",
        "support_count",
        "comment_count",
        "created_at",
    ]
    list_filter = ["status", "visibility", "locality", "goals"]
    list_select_related = ["locality"]
    search_fields = ["title", "body"]
    date_hierarchy = "created_at"
    inlines = [StatusChangeInline]


@admin.register(Comment)
class CommentAdmin(RenewsPublicContentAdmin, ReadOnlyAdmin):
    list_display = ["__str__", "proposal", "author", "created_at", "is_deleted", "visibility"]
    list_filter = ["visibility", "is_deleted"]
    list_select_related = ["proposal", "author"]
    search_fields = ["body"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "reason", "proposal", "comment", "reporter"]
    list_filter = ["reason"]
    list_select_related = ["proposal", "comment", "reporter"]


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "decision", "proposal", "comment", "moderator"]
    list_filter = ["decision"]
    list_select_related = ["proposal", "comment", "moderator"]


@admin.register(ProposalFollow)
class ProposalFollowAdmin(AuditedAdmin, PortalAdmin):
    list_display = ["user", "proposal", "is_active", "automatic", "created_at"]
    list_filter = ["is_active", "automatic"]
    raw_id_fields = ["user", "proposal"]


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin, RenewsPublicContentAdmin, PortalAdmin):
    """The committees and offices staff keep; a case's page shows its committee's name."""

    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


class CaseCorrectionInline(PortalInline):
    model = CaseCorrection
    fields = ["corrected_at", "step", "changes_in_words", "reason", "corrected_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def changes_in_words(self, correction):
        return "; ".join(f"{label}: {old} → {new}" for label, old, new in correction.change_list())


@admin.register(MunicipalCase)
class MunicipalCaseAdmin(ReadOnlyAdmin):
    """Read-only: the steps are taken and corrected on the case's own page, where the
    services keep the corrections, the audit log and the notices."""

    list_display = [
        "proposal",
        "stage",
        "case_number",
        "committee",
        "lifted_at",
        "decided_on",
        "outcome",
    ]
    list_filter = ["stage", "outcome", "committee"]
    list_select_related = ["proposal", "committee"]
    search_fields = ["case_number", "proposal__title"]
    date_hierarchy = "lifted_at"
    inlines = [CaseCorrectionInline]
    # The form the admin derives even when every field is shown read-only: its link field
    # takes https for an address written without a scheme, as Django 6 will.
    formfield_overrides = {
        **PortalAdmin.formfield_overrides,
        models.URLField: {"assume_scheme": "https"},
    }
