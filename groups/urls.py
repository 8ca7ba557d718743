from django.urls import path

from . import message_views, views
from .plans import followup
from .plans import views as plan_views

urlpatterns = [
    path("orter/<slug:slug>/bli-medlem/", views.join, name="group_join"),
    path("orter/<slug:slug>/lamna-gruppen/", views.leave, name="group_leave"),
    path("orter/<slug:slug>/grupp/", views.manage, name="group_manage"),
    path("orter/<slug:slug>/grupp/redigera/", views.group_edit, name="group_edit"),
    path("orter/<slug:slug>/grupp/medlemmar.csv", views.members_export, name="group_members_csv"),
    path("orter/<slug:slug>/grupp/ansokan/<int:membership_id>/", views.decide, name="group_decide"),
    path("orter/<slug:slug>/grupp/meddelande/", message_views.message_write, name="group_message"),
    path(
        "orter/<slug:slug>/grupp/medlem/<int:membership_id>/",
        views.member_edit,
        name="group_member_edit",
    ),
    path(
        "orter/<slug:slug>/grupp/medlem/<int:membership_id>/ta-bort/",
        views.member_remove,
        name="group_member_remove",
    ),
]

plan_prefix = "orter/<slug:slug>/plan/"
urlpatterns += [
    path(plan_prefix, plan_views.plan_detail, name="plan_current"),
    path(plan_prefix + "ny/", plan_views.plan_create, name="plan_create"),
    path(plan_prefix + "<int:year>/", plan_views.plan_detail, name="plan_detail"),
    path(plan_prefix + "<int:year>/redigera/", plan_views.plan_edit, name="plan_edit"),
    path(plan_prefix + "<int:year>/publicera/", plan_views.plan_publish, name="plan_publish"),
    path(plan_prefix + "<int:year>/atgard/ny/", plan_views.action_create, name="action_create"),
    path(
        plan_prefix + "<int:year>/atgard/<int:action_id>/",
        plan_views.action_edit,
        name="action_edit",
    ),
    path(
        plan_prefix + "<int:year>/atgard/<int:action_id>/klar/",
        plan_views.action_close,
        name="action_close",
    ),
    path(
        plan_prefix + "<int:year>/atgard/<int:action_id>/flytta/",
        plan_views.action_move,
        name="action_move",
    ),
    path(
        plan_prefix + "<int:year>/atgard/<int:action_id>/anteckning/",
        plan_views.action_note,
        name="action_note",
    ),
]

urlpatterns += [
    path("mal/export.csv", followup.open_data_csv, name="open_data_csv"),
    path("mal/export.json", followup.open_data_json, name="open_data_json"),
    path("uppfoljning/", followup.followup, name="followup"),
    path("uppfoljning/atgarder-<int:year>.csv", followup.followup_csv, name="followup_csv"),
]
