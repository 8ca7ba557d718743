"""The dialogue meetings' poster pages."""

from django.urls import path

from . import poster_views

urlpatterns = [
    path("moten/<int:pk>/affisch/", poster_views.poster, name="dialogue_poster"),
    # The argument is no secret (it is printed for everyone to read), so it is not named
    # like one: links to it are not hidden in the outbox (allas.redaction).
    path("m/<slug:short>/", poster_views.short_address, name="dialogue_short"),
]
