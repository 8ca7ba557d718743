"""The proposals that led to an action of a group's plan, for the plan's page and its open
data. Asked from this side, because groups sits below proposals and imports nothing of it:
groups calls attach() through settings.ACTION_LINK_MODULES."""

from django.db.models import Prefetch, prefetch_related_objects

from .models import Proposal


def attach(actions) -> None:
    """Each action's proposals in action.linked_proposals, oldest first, one query for
    all the actions: only those the public lists show (not hidden or removed by
    moderation), and only what a link with its status needs."""
    prefetch_related_objects(
        actions,
        Prefetch(
            "proposals",
            queryset=Proposal.objects.listed()
            .only("pk", "title", "status", "action_id")
            .order_by("created_at", "id"),
            to_attr="linked_proposals",
        ),
    )
