from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .middleware import needs_second_factor
from .permissions import is_staff_member
from .signed_in_pages import CSRF_MARK


def portal(request):
    """The portal's own context. While a page is rendered to be kept for signed-in people,
    every form's CSRF token is a mark filled for each request (allas.signed_in_pages); this
    processor runs after Django's own, so its token wins."""
    user = getattr(request, "user", None)
    keeping = {"csrf_token": CSRF_MARK} if getattr(request, "keeping_page", False) else {}
    return keeping | {
        "MUNICIPALITY": settings.MUNICIPALITY,
        # The header's staff links and the second-factor page ask the rules, not the
        # fields; lazily, so a page that does not show them reads nothing.
        "is_staff_member": SimpleLazyObject(lambda: user is not None and is_staff_member(user)),
        "needs_second_factor": SimpleLazyObject(
            lambda: user is not None and needs_second_factor(user)
        ),
    }
