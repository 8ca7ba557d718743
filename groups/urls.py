from django.urls import path

from . import views

urlpatterns = [
    path("orter/<slug:slug>/bli-medlem/", views.join, name="group_join"),
    path("orter/<slug:slug>/lamna-gruppen/", views.leave, name="group_leave"),
    path("orter/<slug:slug>/grupp/", views.manage, name="group_manage"),
    path("orter/<slug:slug>/grupp/redigera/", views.group_edit, name="group_edit"),
    path("orter/<slug:slug>/grupp/medlemmar.csv", views.members_export, name="group_members_csv"),
    path("orter/<slug:slug>/grupp/ansokan/<int:membership_id>/", views.decide, name="group_decide"),
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
