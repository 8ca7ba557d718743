"""The portal's admin site: who opens it, how one signs in to it, and what it is called.
Django makes it `admin.site` (allas.apps.PortalAdminConfig, in INSTALLED_APPS in place of
django.contrib.admin), so every app registers its models on it as usual."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from .admin_choices import PortalAdmin, PortalInline
from .permissions import can_open_admin


class PortalAdminSite(admin.AdminSite):
    site_header = _("Allas Vimmerby – administration")
    site_title = _("Allas Vimmerby")
    index_title = _("Development department")

    def has_permission(self, request):
        """The door: the portal's staff (allas.permissions.can_open_admin), not Django's
        `is_staff` alone. What each one sees inside still comes from the permission groups,
        and no model's admin needs to ask again who got in."""
        return can_open_admin(request.user)

    def check(self, app_configs):
        """Every admin and inline speaks the portal's words (allas.admin_choices). Asked
        once every app has registered (a library registers its own admin first, which the
        portal then replaces), so `manage.py check` and every start report one that would
        show Django's dashes."""
        errors = super().check(app_configs)
        for model_admin in self._registry.values():
            parts = [(type(model_admin), PortalAdmin)]
            parts += [(inline, PortalInline) for inline in model_admin.inlines]
            errors += [
                checks.Error(
                    f"{part.__module__}.{part.__qualname__} does not derive from "
                    f"allas.admin_choices.{base.__name__}.",
                    obj=part,
                    id="allas.E010",
                )
                for part, base in parts
                if not issubclass(part, base)
            ]
        return errors

    # The admin's login is allauth's, so its rate limits and the second factor apply there
    # too: allauth's decorator sends whoever is not signed in to the portal's login page.
    @method_decorator(secure_admin_login)
    @login_not_required
    def login(self, request, extra_context=None):
        # Someone signed in who may not open the admin never reaches its own password form:
        # it would sign them in as another account without that account's second factor.
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return super().login(request, extra_context)
