"""Who opens the admin: the design's staff (allas.permissions.can_open_admin), not Django's
`is_staff` alone. What each one sees inside still comes from the permission groups. Set
once at start-up (AllasConfig.ready), before any admin page is served."""

from functools import wraps

from django.contrib import admin
from django.core.exceptions import PermissionDenied

from .permissions import can_open_admin


def _refuse_the_signed_in(login):
    """Someone signed in who may not open the admin never reaches its own password form:
    it would sign them in as another account without that account's second factor."""

    @wraps(login)
    def view(request, *args, **kwargs):
        if request.user.is_authenticated and not can_open_admin(request.user):
            raise PermissionDenied
        return login(request, *args, **kwargs)

    return view


def install():
    admin.site.has_permission = lambda request: can_open_admin(request.user)
    admin.site.login = _refuse_the_signed_in(admin.site.login)
