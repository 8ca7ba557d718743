from django.http import HttpResponse
from django.urls import path

from allas.urls import urlpatterns as portal


def floor(request):
    """Through every middleware, no query, no template: what any page costs at least."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__golv/", floor), *portal]
