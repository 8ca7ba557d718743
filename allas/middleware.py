from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy from settings: no inline script, no other origin;
    and the Permissions-Policy on every response, the admin's and static files' too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
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


class SessionSecondFactorMiddleware:
    """Right after Django's AuthenticationMiddleware: the signed-in user carries which
    second factors this session has proved, as allauth recorded them when the code or
    passkey was used, so that every staff rule can ask (allas.permissions). Lazy like
    Django's own: a visitor without a session costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(lambda: _signed_in_user(request))
        return self.get_response(request)


def _signed_in_user(request):
    from allauth.account.internal.flows.login import get_authentication_records
    from django.contrib.auth.middleware import get_user

    from .permissions import note_second_factor_proofs

    user = get_user(request)
    if user.is_authenticated:
        # Records of another account, from before a login in the same session, are not
        # returned; a reauthentication with the code or a passkey proves it too.
        records = get_authentication_records(request, user)
        note_second_factor_proofs(
            user,
            [
                record["id"]
                for record in records
                if record.get("method") == "mfa" and isinstance(record.get("id"), int)
            ],
        )
    return user


def needs_second_factor(user) -> bool:
    """Staff hold member lists, contact details and needs: a password alone must not open
    the admin. True for a staff account that has no second factor yet."""
    from .permissions import has_second_factor, is_staff_account

    return is_staff_account(user) and not has_second_factor(user)


class StaffSecondFactorMiddleware:
    """Sends a staff member without a second factor from any admin page to set one up, and
    one whose session has not passed it (logged in before it was set up, or elsewhere) to
    type the code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .permissions import is_staff_account, passed_second_factor

        if request.path.startswith(reverse("admin:index")):
            if needs_second_factor(request.user):
                messages.warning(
                    request,
                    _("Set up two-step verification before you open the administration."),
                )
                return redirect("mfa_index")
            if is_staff_account(request.user) and not passed_second_factor(request.user):
                messages.info(
                    request,
                    _("Confirm with two-step verification before you open the administration."),
                )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{_second_factor_page(request.user)}?{query}")
        return self.get_response(request)


def _second_factor_page(user) -> str:
    """Where the account proves its second factor: the code page takes the app's codes and
    the recovery codes; an account with passkeys alone uses a passkey."""
    from allauth.mfa.models import Authenticator

    codes = Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
    )
    return reverse("mfa_reauthenticate" if codes.exists() else "mfa_reauthenticate_webauthn")
