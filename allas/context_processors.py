from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .permissions import can_open_admin, is_staff_member


def portal(request):
    user = getattr(request, "user", None)
    return {
        "MUNICIPALITY": settings.MUNICIPALITY,
        # The header's staff links and the second-factor page ask the rules, not the
        # fields; lazily, so a page that does not show them reads nothing.
        "is_staff_member": SimpleLazyObject(lambda: user is not None and is_staff_member(user)),
        "can_open_admin": SimpleLazyObject(lambda: user is not None and can_open_admin(user)),
    }
