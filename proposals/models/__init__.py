"""The proposals app's models, by job: proposals with their status changes, supports and
search (proposals.py), comments (comments.py), reports and moderation (moderation.py), who
follows a proposal (follows.py). Everything is imported here, as Django and the rest of the
portal expect."""

from .comments import Comment
from .follows import ProposalFollow
from .moderation import ModerationDecision, Report, about_proposal_or_comment
from .municipality import CaseCorrection, Committee, MunicipalCase, Stage
from .proposals import (
    BODY_MAX,
    COMMENT_MAX,
    SEARCH_DEPTH,
    TITLE_MAX,
    Proposal,
    ProposalQuerySet,
    SearchWord,
    StatusChange,
    Support,
    Visibility,
    goals_prefetch,
    search_vector,
)

__all__ = [
    "BODY_MAX",
    "CaseCorrection",
    "Committee",
    "MunicipalCase",
    "Stage",
    "COMMENT_MAX",
    "SEARCH_DEPTH",
    "TITLE_MAX",
    "Comment",
    "ModerationDecision",
    "Proposal",
    "ProposalFollow",
    "ProposalQuerySet",
    "Report",
    "SearchWord",
    "StatusChange",
    "Support",
    "Visibility",
    "about_proposal_or_comment",
    "goals_prefetch",
    "search_vector",
]
