"""The groups app's part of the portal's search (/sok/): actions of published plans."""

from django.utils.translation import gettext_lazy as _

from allas.search import SearchGroup, SearchResult, highlight, snippet, text_filter

from .models import Action


def search(*, query, terms, user, limit):
    actions = list(
        Action.objects.published()
        .filter(text_filter(terms, ["title", "description"]))
        .select_related("plan__group__locality")
        .order_by("-plan__year", "plan__group__locality__name", "position", "id")[: limit + 1]
    )
    return SearchGroup(
        kind="atgarder",
        heading=str(_("Actions in the development plans")),
        results=[
            SearchResult(
                title=highlight(action.title, terms),
                url=f"{action.plan.get_absolute_url()}#atgard-{action.pk}",
                text=snippet(action.description, terms) if action.description else "",
                meta=f"{action.plan.group.locality.name} · {action.plan.title}",
            )
            for action in actions[:limit]
        ],
        more=len(actions) > limit,
    )
