from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .middleware import needs_second_factor
from .permissions import is_staff_member


def portal(request):
    user = getattr(request, "user", None)
    return {
        "MUNICIPALITY": settings.MUNICIPALITY,
        # The header's staff links and the second-factor page ask the rules, not the
        # fields; lazily, so a page that does not show them reads nothing.
        "is_staff_member": SimpleLazyObject(lambda: user is not None and is_staff_member(user)),
        "needs_second_factor": SimpleLazyObject(
            lambda: user is not None and needs_second_factor(user)
        ),
    }
