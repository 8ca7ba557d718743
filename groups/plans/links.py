"""What the apps above groups link to an action of a plan (the proposals that led to it),
asked from those apps: each module in settings.ACTION_LINK_MODULES attaches its part
(proposals: action.linked_proposals). Groups must not import them, not even inside a
function."""

from importlib import import_module

from django.conf import settings


def actions_with_links(actions) -> list:
    """The actions, as a list, each with what links to it: one query per module for all
    the actions."""
    actions = list(actions)
    for name in settings.ACTION_LINK_MODULES:
        import_module(name).attach(actions)
    return actions
