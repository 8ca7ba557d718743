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


class UserLanguageMiddleware:
    """A signed-in person sees the portal in the language they chose, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
