from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy from settings: no inline script, no other origin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The admin's own pages use inline script; it is reached by staff only.
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class LanguageMiddleware:
    """Swedish first: the portal speaks Swedish unless the visitor chose English with the
    language switch (a cookie) or, signed in, in their profile, on every device. The
    browser's Accept-Language is not used, so a visitor on an English-language computer
    still meets the Swedish site with the "English" control in the header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            language = user.language
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def needs_second_factor(user) -> bool:
    """Staff hold member lists, contact details and needs: a password alone must not open
    the admin. True for a staff account that has no second factor yet."""
    from allauth.mfa.models import Authenticator

    from .permissions import can_open_admin

    return (
        can_open_admin(user)
        and not Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    )


class StaffSecondFactorMiddleware:
    """Sends a staff member without a second factor from any admin page to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")) and needs_second_factor(request.user):
            messages.warning(
                request,
                _("Set up two-step verification before you open the administration."),
            )
            return redirect("mfa_index")
        return self.get_response(request)
