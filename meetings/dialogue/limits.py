"""How often one can sign up for the groups' dialogue meetings: settings.DIALOGUE_SIGNUP_RATE
counts per address (every e-mail to confirm goes to someone who may not have asked for
it) and per source (the client's IP address: one place cannot sign up many addresses).
allauth's sliding-window counts, kept in the Django cache as the login limits are
(allas.login_limits); with the cache down they fail open."""

from allauth.core.internal import ratelimit
from django.conf import settings
from django.utils.translation import gettext_lazy as _

APP = "meetings"
ACTION = "dialogue_signup"

TOO_MANY = _(
    "Too many sign-ups have been sent from here or for this e-mail address. "
    "Nothing was changed. Wait a while and try again."
)


def signup_allowed(request, address: str) -> bool:
    """Counts one sign-up for `address` from this request's source; False when either
    count is used up, and then nothing should be done."""
    usage = ratelimit.consume(
        request,
        app=APP,
        action=ACTION,
        config={ACTION: settings.DIALOGUE_SIGNUP_RATE},
        key=(address or "").strip().lower(),
        limit_get=True,
    )
    return usage is not None
