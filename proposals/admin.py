"""Read-only views of the dialogue for staff. Answers and moderation happen on the
proposal's page, where the services send the e-mails and keep the record. Who follows a
proposal staff may change, as they may an ort's follows, with each change in the audit log."""

from django.contrib import admin

from allas.admin_choices import PortalAdmin, PortalInline
from allas.audit import AuditedAdmin
from allas.page_cache import RenewsPublicContentAdmin

from .models import Comment, ModerationDecision, Proposal, ProposalFollow, Report, StatusChange


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
