from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AllasConfig(AppConfig):
    name = "allas"
    verbose_name = _("Allas Vimmerby")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 - registers the portal's system checks
        from .db_writes import track_writes

        # Every write renews the writes version of the pages kept for one person; on the
        # connection itself, so requests, tasks and commands alike are followed.
        connection_created.connect(track_writes, dispatch_uid="allas-track-writes")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the portal's own site as `admin.site` (allas.admin_site).
    Listed by its path in INSTALLED_APPS; `default = False` so that "allas" itself still
    finds AllasConfig."""

    default = False
    default_site = "allas.admin_site.PortalAdminSite"
