"""What other admins build on: a record the portal's workflows write (the outbox, the
audit log, an app's history) is shown, never added, changed or deleted by hand."""

from django.utils import timezone
from django.utils.dateformat import format as date_format

from ..admin_choices import PortalAdmin


class ReadOnlyAdmin(PortalAdmin):
    """For records the portal's workflows write: shown, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def local_moment(moment) -> str:
    """A moment as staff read it in a list or an export: "2026-12-03 kl. 18.30"."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'Y-m-d')} kl. {date_format(local, 'H.i')}"
