from django.urls import path

from . import feeds, follow_views, views

urlpatterns = [
    path("forslag/", views.proposal_list, name="proposal_list"),
    path("forslag/nytt/", views.proposal_create, name="proposal_create"),
    path("forslag/regler/", views.rules, name="proposal_rules"),
    path("forslag/att-besvara/", views.to_answer, name="proposal_to_answer"),
    path("forslag/atom/", feeds.ProposalFeed(), name="proposal_feed"),
    path("forslag/atom/<slug:slug>/", feeds.ProposalFeed(), name="proposal_feed_ort"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("forslag/<int:pk>/redigera/", views.proposal_edit, name="proposal_edit"),
    path("forslag/<int:pk>/aterkalla/", views.proposal_withdraw, name="proposal_withdraw"),
    path("forslag/<int:pk>/status/", views.proposal_status, name="proposal_status"),
    path("forslag/<int:pk>/stod/", views.proposal_support, name="proposal_support"),
    path("forslag/<int:pk>/folj/", follow_views.proposal_follow, name="proposal_follow"),
    path("forslag/<int:pk>/kommentera/", views.comment_create, name="comment_create"),
    path("forslag/<int:pk>/anmal/", views.proposal_report, name="proposal_report"),
    path("forslag/<int:pk>/moderera/", views.proposal_moderate, name="proposal_moderate"),
    path("forslag/kommentar/<int:pk>/redigera/", views.comment_edit, name="comment_edit"),
    path("forslag/kommentar/<int:pk>/ta-bort/", views.comment_delete, name="comment_delete"),
    path("forslag/kommentar/<int:pk>/anmal/", views.comment_report, name="comment_report"),
    path("forslag/kommentar/<int:pk>/moderera/", views.comment_moderate, name="comment_moderate"),
]
