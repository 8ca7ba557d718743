"""The dialogue meetings' manage pages: the group's coordinators (and staff) hold its
meetings under the group's own page, /orter/<slug>/grupp/."""

from django.urls import path

from . import manage_views as views

prefix = "orter/<slug:slug>/grupp/moten/"
one = prefix + "<int:pk>/"

urlpatterns = [
    path(prefix, views.meeting_list, name="dialogue_manage_list"),
    path(prefix + "nytt/", views.meeting_create, name="dialogue_create"),
    path(one, views.meeting_page, name="dialogue_manage"),
    path(one + "redigera/", views.meeting_edit, name="dialogue_edit"),
    path(one + "publicera/", views.meeting_publish, name="dialogue_publish"),
    path(one + "stall-in/", views.meeting_cancel, name="dialogue_cancel"),
    path(one + "genomfort/", views.meeting_held, name="dialogue_held"),
    path(one + "protokoll/", views.meeting_minutes, name="dialogue_minutes"),
    path(one + "anmalningar.csv", views.signups_csv, name="dialogue_signups_csv"),
    path(one + "narvarolista/", views.signin_sheet, name="dialogue_signin_sheet"),
    path(
        one + "anmalan/<int:signup_id>/avboka/",
        views.signup_cancel,
        name="dialogue_signup_cancel",
    ),
]
