from django.urls import path

from . import feeds
from .views import (
    answers,
    comments,
    follow,
    moderation,
    municipality,
    open_data,
    proposals,
    supports,
)

urlpatterns = [
    path("forslag/", proposals.proposal_list, name="proposal_list"),
    path("forslag/nytt/", proposals.proposal_create, name="proposal_create"),
    path("forslag/regler/", proposals.rules, name="proposal_rules"),
    path("forslag/att-besvara/", answers.to_answer, name="proposal_to_answer"),
    path("forslag/atom/", feeds.ProposalFeed(), name="proposal_feed"),
    path("forslag/atom/<slug:slug>/", feeds.ProposalFeed(), name="proposal_feed_ort"),
    # The path to the municipality's decision: staff's list, the group lifts, staff register
    # and record the decision.
    path("forslag/kommunen/", municipality.case_list, name="municipal_cases"),
    path("forslag/export.csv", open_data.open_data_csv, name="proposal_open_data_csv"),
    path("forslag/export.json", open_data.open_data_json, name="proposal_open_data_json"),
    path("forslag/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("forslag/<int:pk>/lyft/", municipality.proposal_lift, name="proposal_lift"),
    path("forslag/<int:pk>/kommunen/", municipality.case_page, name="municipal_case"),
    path("forslag/<int:pk>/redigera/", proposals.proposal_edit, name="proposal_edit"),
    path("forslag/<int:pk>/aterkalla/", proposals.proposal_withdraw, name="proposal_withdraw"),
    path("forslag/<int:pk>/status/", answers.proposal_status, name="proposal_status"),
    path("forslag/<int:pk>/mote/", answers.proposal_raised_at, name="proposal_raised_at"),
    path("forslag/<int:pk>/stod/", supports.proposal_support, name="proposal_support"),
    path("forslag/<int:pk>/folj/", follow.proposal_follow, name="proposal_follow"),
    path("forslag/<int:pk>/kommentera/", comments.comment_create, name="comment_create"),
    path("forslag/<int:pk>/anmal/", moderation.proposal_report, name="proposal_report"),
    path("forslag/<int:pk>/moderera/", moderation.proposal_moderate, name="proposal_moderate"),
    path("forslag/kommentar/<int:pk>/redigera/", comments.comment_edit, name="comment_edit"),
    path("forslag/kommentar/<int:pk>/ta-bort/", comments.comment_delete, name="comment_delete"),
    path("forslag/kommentar/<int:pk>/anmal/", moderation.comment_report, name="comment_report"),
    path(
        "forslag/kommentar/<int:pk>/moderera/",
        moderation.comment_moderate,
        name="comment_moderate",
    ),
]
