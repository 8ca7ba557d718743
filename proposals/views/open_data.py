"""The proposals as open data: every listed proposal with where it is in the group and at
the municipality, as CSV (a table) and JSON (for developers). No personal data: no author,
no names of those who answered, lifted or registered, no text of the proposal beyond its
title. Fields and meaning: docs/open-data.md.

Both are streamed from two queries read in chunks, the proposals and their areas, each
in id order and merged as they come, so 50 000 proposals cost the same few queries as 50
and are never all in memory at once."""

import csv
import json

from django.db.models import Count, F, Max
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from allas.exports import spreadsheet_cell
from allas.models import SlusGoal
from allas.services import absolute_url
from groups.models import Plan

from ..models import MunicipalCase, Proposal, Visibility

OPEN_DATA_FIELDS = [
    "id",
    "url",
    "ort",
    "ort_slug",
    "title",
    "status",
    "status_label",
    "slus_areas",
    "submitted",
    "supports",
    "comments",
    "answered",
    "action_id",
    "lifted",
    "case_number",
    "committee",
    "decision_date",
    "outcome",
    "outcome_label",
    "decision_url",
]

SOURCE = "Allas Vimmerby, Vimmerby kommun"
CHUNK = 2000
# Stands for the id in the proposal's address, so that it is reversed once, not per row.
_ID = 987654321

# The proposal's own columns, and those of the rows it joins (one each: the ort, the case
# and its committee, the action's plan, which says whether the action may be named).
OWN_COLUMNS = ["pk", "title", "status", "created_at", "support_count", "comment_count"]
JOINED_COLUMNS = {
    "ort": "locality__name",
    "ort_slug": "locality__slug",
    "answered_on": "answered_at",
    "linked_action": "action_id",
    "action_plan_status": "action__plan__status",
    "lifted_at": "municipal_case__lifted_at",
    "case_number": "municipal_case__case_number",
    "committee": "municipal_case__committee__name",
    "decided_on": "municipal_case__decided_on",
    "outcome": "municipal_case__outcome",
    "decision_url": "municipal_case__decision_url",
}


def _listed():
    return Proposal.objects.filter(visibility=Visibility.VISIBLE)


def _proposal_rows(last_pk):
    """The listed proposals up to `last_pk`, oldest first, as plain values: one query."""
    return (
        _listed()
        .filter(pk__lte=last_pk)
        .order_by("pk")
        .values(*OWN_COLUMNS, **{name: F(column) for name, column in JOINED_COLUMNS.items()})
        .iterator(chunk_size=CHUNK)
    )


def _areas_by_proposal(last_pk):
    """(proposal id, [area ids]) in proposal id order, from one query read in chunks."""
    through = Proposal.goals.through
    rows = (
        through.objects.filter(proposal__visibility=Visibility.VISIBLE, proposal_id__lte=last_pk)
        .order_by("proposal_id", "slusgoal_id")
        .values_list("proposal_id", "slusgoal_id")
        .iterator(chunk_size=CHUNK)
    )
    current, ids = None, []
    for proposal_id, goal_id in rows:
        if proposal_id != current:
            if current is not None:
                yield current, ids
            current, ids = proposal_id, []
        ids.append(goal_id)
    if current is not None:
        yield current, ids


def _day(moment):
    return timezone.localtime(moment).date().isoformat() if moment else None


def _records(last_pk):
    """One dict per proposal, every field of OPEN_DATA_FIELDS. The labels are read here,
    in the request's language, before the response streams."""
    status_labels = {key: str(label) for key, label in Proposal.Status.choices}
    outcome_labels = {key: str(label) for key, label in MunicipalCase.Outcome.choices}
    goals = {
        pk: (number, short_name)
        for pk, number, short_name in SlusGoal.objects.values_list("pk", "number", "short_name")
    }
    url = absolute_url(reverse("proposal_detail", args=[_ID]))

    def records():
        areas = _areas_by_proposal(last_pk)
        pending = next(areas, None)
        for row in _proposal_rows(last_pk):
            pk = row["pk"]
            while pending is not None and pending[0] < pk:
                pending = next(areas, None)
            names = []
            if pending is not None and pending[0] == pk:
                names = [goals[g][1] for g in sorted(pending[1], key=lambda g: goals[g][0])]
            # An action of a draft plan is not public yet: the proposal's page does not
            # name it either.
            published = row["action_plan_status"] == Plan.Status.PUBLISHED
            action_id = row["linked_action"] if published else None
            outcome = row["outcome"] or ""
            yield {
                "id": pk,
                "url": url.replace(str(_ID), str(pk)),
                "ort": row["ort"],
                "ort_slug": row["ort_slug"],
                "title": row["title"],
                "status": row["status"],
                "status_label": status_labels.get(row["status"], row["status"]),
                "slus_areas": names,
                "submitted": _day(row["created_at"]),
                "supports": row["support_count"],
                "comments": row["comment_count"],
                "answered": _day(row["answered_on"]),
                "action_id": action_id,
                "lifted": _day(row["lifted_at"]),
                "case_number": row["case_number"] or "",
                "committee": row["committee"] or "",
                "decision_date": row["decided_on"].isoformat() if row["decided_on"] else None,
                "outcome": outcome,
                "outcome_label": outcome_labels.get(outcome, ""),
                "decision_url": row["decision_url"] or "",
            }

    return records()


def _extent():
    """How many proposals the file holds, and the last id it reads up to: a proposal
    made while it streams is left for the next download, so the count stays true."""
    found = _listed().aggregate(count=Count("pk"), last=Max("pk"))
    return found["count"], found["last"] or 0


def _open(response):
    response["Access-Control-Allow-Origin"] = "*"
    return response


class _Line:
    """What csv.writer writes to: it hands each row back as text."""

    def write(self, value):
        return value


def _csv_value(value):
    if isinstance(value, list):
        value = ", ".join(value)
    return spreadsheet_cell(value)


@require_safe
def open_data_csv(request):
    """UTF-8 with a byte order mark (Excel opens å, ä and ö right), comma-separated, as the
    plans' open data; no cell runs as a formula (allas.exports)."""
    _count, last_pk = _extent()
    records = _records(last_pk)
    writer = csv.writer(_Line())

    def lines():
        yield "\ufeff" + writer.writerow(OPEN_DATA_FIELDS)
        for record in records:
            yield writer.writerow([_csv_value(record[f]) for f in OPEN_DATA_FIELDS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="allas-vimmerby-forslag.csv"'
    return _open(response)


@require_safe
def open_data_json(request):
    """{"source", "generated_at", "fields", "count", "proposals": [...]}, as the plans'."""
    count, last_pk = _extent()
    records = _records(last_pk)
    head = {
        "source": SOURCE,
        "generated_at": timezone.now().isoformat(),
        "fields": OPEN_DATA_FIELDS,
        "count": count,
    }

    def parts():
        yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "proposals": ['
        for i, record in enumerate(records):
            yield ("," if i else "") + "\n  " + json.dumps(record, ensure_ascii=False)
        yield "\n ]\n}\n"

    response = StreamingHttpResponse(parts(), content_type="application/json")
    return _open(response)
