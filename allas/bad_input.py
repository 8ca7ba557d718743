"""Input the database cannot hold is refused before any view runs. PostgreSQL's text
cannot store the NUL character: a query, form or address carrying one would otherwise end
in a database error deep inside a view (a server error) instead of a clear answer. Text
that is not valid UTF-8 needs nothing here: Django reads it with replacement characters."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation

NUL = "\x00"


def _carries_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _refusal(request):
    # The language middleware's choice when it has run; before it, the visitor's cookie.
    language = getattr(request, "LANGUAGE_CODE", None) or request.COOKIES.get(
        settings.LANGUAGE_COOKIE_NAME
    )
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return render(request, "400.html", status=400)


def bad_request(request, exception):
    """The portal's handler400."""
    return _refusal(request)


class BadInputMiddleware:
    """Answers 400 to a NUL in the address, a query parameter or a form field (name or
    value). A cookie carrying one is dropped instead: the person did not type it, and a
    400 on every page would lock them out until they clear their cookies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]
        if (
            NUL in request.path_info
            or _carries_nul(request.GET)
            or (request.method == "POST" and _carries_nul(request.POST))
        ):
            return _refusal(request)
        return self.get_response(request)
