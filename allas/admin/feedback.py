"""Feedback on the portal's accessibility, as residents send it: read and marked handled
by staff, never written here."""

from django.contrib import admin

from .. import audit
from ..admin_choices import PortalAdmin
from ..models import AccessibilityFeedback


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(audit.AuditedAdmin, PortalAdmin):
    list_display = ["created_at", "kind", "page", "email", "handled"]
    list_filter = ["kind", "handled"]
    list_editable = ["handled"]
    readonly_fields = ["created_at", "kind", "page", "message", "name", "email"]

    def has_add_permission(self, request):
        return False
