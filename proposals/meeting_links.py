"""The proposals raised at a group's dialogue meeting, for the meeting's page. Asked from
this side, because proposals and meetings never import each other: the meetings app calls
attach() through settings.DIALOGUE_PROPOSAL_MODULES."""

from django.db.models import Prefetch, prefetch_related_objects

from .models import Proposal


def attach(meetings) -> None:
    """Each meeting's proposals in meeting.raised_proposals, oldest first, one query for
    all the meetings: only those the public lists show (not hidden or removed by
    moderation), and only what a link with its status needs."""
    prefetch_related_objects(
        meetings,
        Prefetch(
            "proposals",
            queryset=Proposal.objects.listed()
            .only("pk", "title", "status", "raised_at_id")
            .order_by("created_at", "id"),
            to_attr="raised_proposals",
        ),
    )
