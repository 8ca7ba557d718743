from django.conf import settings
from django.utils import translation


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
