"""The proposals raised at a group's dialogue meeting, for the meeting's page. Proposals
sit above groups and beside meetings, and the two apps never import each other: each
module in settings.DIALOGUE_PROPOSAL_MODULES attaches its part (proposals:
meeting.raised_proposals)."""

from importlib import import_module

from django.conf import settings


def attach(meetings) -> list:
    """The meetings, as a list, each with what was raised at it: one query per module for
    all the meetings. A meeting no module speaks of gets an empty list."""
    meetings = list(meetings)
    for name in settings.DIALOGUE_PROPOSAL_MODULES:
        import_module(name).attach(meetings)
    # Set only now: an attribute already there would read as fetched to a prefetch.
    for meeting in meetings:
        if not hasattr(meeting, "raised_proposals"):
            meeting.raised_proposals = []
    return meetings
