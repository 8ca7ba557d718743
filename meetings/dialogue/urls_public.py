"""The dialogue meetings' public pages."""

from django.urls import path

from . import public_views as views

urlpatterns = [
    path("moten/", views.meeting_list, name="dialogue_list"),
    path("moten/kalender.ics", views.feed_ics, name="dialogue_feed_ics"),
    path("moten/<int:pk>/", views.meeting_detail, name="dialogue_detail"),
    path("moten/<int:pk>/anmal/", views.signup_create, name="dialogue_signup_create"),
    path("moten/<int:pk>/kalender.ics", views.meeting_ics, name="dialogue_ics"),
    path("moten/anmalan/<str:token>/", views.signup_page, name="dialogue_signup"),
    path(
        "moten/anmalan/<str:token>/bekrafta/", views.signup_confirm, name="dialogue_signup_confirm"
    ),
    path("moten/anmalan/<str:token>/behov/", views.signup_needs, name="dialogue_signup_needs"),
    path(
        "moten/anmalan/<str:token>/avanmal/", views.signup_withdraw, name="dialogue_signup_withdraw"
    ),
    path("moten/anmalan/<str:token>/kalender.ics", views.signup_ics, name="dialogue_signup_ics"),
    path("orter/<slug:slug>/moten/", views.ort_list, name="dialogue_ort_list"),
    path("orter/<slug:slug>/moten/kalender.ics", views.ort_feed_ics, name="dialogue_ort_feed_ics"),
]
