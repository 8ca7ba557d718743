"""Reading the plans across the network: open data for everyone, follow-up for staff."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Prefetch
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from allas.exports import csv_download
from allas.models import SlusGoal
from groups.models import DevelopmentGroup

from . import permissions
from .links import actions_with_links
from .models import Action, Plan

# A plan untouched for this long is pointed out to the development department.
STALE_AFTER_DAYS = 90

OPEN_DATA_FIELDS = [
    "ort",
    "ort_slug",
    "group",
    "plan_year",
    "title",
    "description",
    "slus_areas",
    "status",
    "status_label",
    "progress",
    "responsible",
    "start_date",
    "end_date",
    "last_updated",
    # Last, so that the columns before keep their places: the action's own id, and the
    # ids of the proposals that led to it (each at /forslag/<id>/).
    "action_id",
    "proposal_ids",
]


def _action_rows(actions):
    for a in actions:
        yield {
            "ort": a.plan.group.locality.name,
            "ort_slug": a.plan.group.locality.slug,
            "group": a.plan.group.name,
            "plan_year": a.plan.year,
            "title": a.title,
            "description": a.description,
            "slus_areas": [g.short_name for g in a.goals.all()],
            "status": a.status,
            "status_label": a.get_status_display(),
            "progress": a.progress,
            "responsible": a.responsible,
            "start_date": a.start_date.isoformat() if a.start_date else None,
            "end_date": a.end_date.isoformat() if a.end_date else None,
            "last_updated": a.updated_at.isoformat(),
            "action_id": a.pk,
            "proposal_ids": [p.pk for p in a.linked_proposals],
        }


def _actions(queryset) -> list:
    return actions_with_links(
        queryset.select_related("plan__group__locality")
        .prefetch_related(Prefetch("goals", queryset=SlusGoal.objects.order_by("number")))
        .order_by("plan__group__locality__name", "plan__year", "position", "id")
    )


def _csv_value(value):
    return ", ".join(str(v) for v in value) if isinstance(value, list) else value


def _csv_response(rows, fields, filename):
    """Open data, comma-separated; the JSON export keeps every value exactly as it is."""
    table = ([_csv_value(row.get(field)) for field in fields] for row in rows)
    return csv_download(filename, fields, table, delimiter=",")


def open_data_csv(request):
    rows = _action_rows(_actions(Action.objects.published()))
    response = _csv_response(rows, OPEN_DATA_FIELDS, "allas-vimmerby-atgarder.csv")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def open_data_json(request):
    rows = list(_action_rows(_actions(Action.objects.published())))
    response = JsonResponse(
        {
            "source": "Allas Vimmerby, Vimmerby kommun",
            "generated_at": timezone.now().isoformat(),
            "fields": OPEN_DATA_FIELDS,
            "count": len(rows),
            "actions": rows,
        },
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _require_staff(request):
    if not permissions.can_follow_up_plans(request.user):
        raise PermissionDenied


@login_required
def followup(request):
    _require_staff(request)
    year = timezone.localdate().year
    groups = list(
        DevelopmentGroup.objects.select_related("locality")
        .annotate(last_updated=Max("plans__updated_at"))
        .order_by("locality__name")
    )
    current = {p.group_id: p for p in Plan.objects.filter(year=year).order_by()}
    counts = {}
    for row in (
        Action.objects.filter(plan__year=year)
        .order_by()
        .values("plan__group_id", "status")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(row["plan__group_id"], {})[row["status"]] = row["n"]
    stale_before = timezone.now() - datetime.timedelta(days=STALE_AFTER_DAYS)
    rows = [
        {
            "group": g,
            "plan": current.get(g.pk),
            "published": bool(current.get(g.pk) and current[g.pk].is_published),
            "counts": [
                counts.get(g.pk, {}).get(value, 0) for value, _label in Action.Status.choices
            ],
            "last_updated": g.last_updated,
            "stale": g.last_updated is None or g.last_updated < stale_before,
        }
        for g in groups
    ]
    years = list(Plan.objects.order_by("-year").values_list("year", flat=True).distinct())
    return render(
        request,
        "groups/followup.html",
        {
            "year": year,
            "rows": rows,
            "statuses": Action.Status.choices,
            "stale_days": STALE_AFTER_DAYS,
            "stale": [r for r in rows if r["stale"]],
            "years": years or [year],
        },
    )


@login_required
def followup_csv(request, year):
    _require_staff(request)
    actions = list(_actions(Action.objects.filter(plan__year=year)))
    rows = list(_action_rows(actions))
    for action, row in zip(actions, rows, strict=True):
        row["plan_status"] = action.plan.get_status_display()
    return _csv_response(rows, [*OPEN_DATA_FIELDS, "plan_status"], f"atgarder-{year}.csv")
