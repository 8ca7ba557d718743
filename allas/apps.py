from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AllasConfig(AppConfig):
    name = "allas"
    verbose_name = _("Allas Vimmerby")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 - registers the portal's system checks


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the portal's own site as `admin.site` (allas.admin_site).
    Listed by its path in INSTALLED_APPS; `default = False` so that "allas" itself still
    finds AllasConfig."""

    default = False
    default_site = "allas.admin_site.PortalAdminSite"
