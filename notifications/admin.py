from django.contrib import admin

from allas.admin_choices import PortalAdmin
from allas.audit import AuditedAdmin

from .models import Follow, Notice, NotificationSetting


@admin.register(Follow)
class FollowAdmin(AuditedAdmin, PortalAdmin):
    list_display = ["user", "locality", "is_active", "automatic", "created_at"]
    list_filter = ["is_active", "automatic", "locality"]
    raw_id_fields = ["user"]


@admin.register(NotificationSetting)
class NotificationSettingAdmin(AuditedAdmin, PortalAdmin):
    list_display = ["user", "kind", "delivery", "changed_at"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["user"]


@admin.register(Notice)
class NoticeAdmin(AuditedAdmin, PortalAdmin):
    list_display = ["user", "kind", "event", "title", "created_at", "digest_key"]
    list_filter = ["kind", "event"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
