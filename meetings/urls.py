from django.urls import include, path

from . import views

urlpatterns = [
    path("natverksmoten/", views.meeting_list, name="meeting_list"),
    path("natverksmoten/kalender.ics", views.meetings_ics, name="meetings_ics"),
    path("natverksmoten/svar/<str:token>/", views.answer, name="meeting_answer"),
    path(
        "natverksmoten/svar/<str:token>/hafte/",
        views.booklet_by_token,
        name="meeting_booklet_token",
    ),
    path("natverksmoten/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("natverksmoten/<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("natverksmoten/<int:pk>/hafte/", views.booklet, name="meeting_booklet"),
    path("natverksmoten/<int:pk>/rapport/<slug:slug>/", views.report, name="meeting_report"),
    # The groups' dialogue meetings: public pages, the coordinators' pages, the poster.
    path("", include("meetings.dialogue.urls_public")),
    path("", include("meetings.dialogue.urls_manage")),
    path("", include("meetings.dialogue.urls_poster")),
]
