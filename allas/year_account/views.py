"""/uppfoljning/<year>/: the year's account, public, as a page, a CSV file and JSON."""

from dataclasses import asdict

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from ..exports import csv_download
from ..page_cache import cached_for_visitors
from ..signed_in_pages import kept_for_signed_in
from . import account as accounts
from .charts import draw

FIELDS = ["year", "section", "ort", "ort_slug", "measure", "label", "value"]


def _account_or_404(year: int):
    known = accounts.years()
    if not accounts.year_exists(year, known):
        raise Http404
    return accounts.account(year), known


@kept_for_signed_in
@cached_for_visitors
def year_account(request, year):
    account, known = _account_or_404(year)
    this_year = timezone.localdate().year
    # Every year from the first with data to this one (and a later one with data).
    listed = sorted(
        set(known) | set(range(min(known, default=this_year), this_year + 1)), reverse=True
    )
    sections = [
        {
            "section": section,
            "charts": [{"chart": chart, "svg": draw(chart)} for chart in section.charts],
        }
        for section in account.sections
    ]
    return render(
        request,
        "year_account/account.html",
        {
            "year": year,
            "account": account,
            "sections": sections,
            "years": listed,
            "foreword": [p.strip() for p in account.foreword.split("\n\n") if p.strip()],
            "municipality": settings.MUNICIPALITY["name"],
            "is_current_year": year == this_year,
            "today": timezone.localdate(),
        },
    )


def _row(year, row) -> list:
    return [year, row.section, row.ort, row.ort_slug, row.measure, row.label, row.value]


@cached_for_visitors
def year_account_csv(request, year):
    account, _known = _account_or_404(year)
    rows = (_row(year, row) for row in account.rows())
    response = csv_download(f"arets-uppfoljning-{year}.csv", FIELDS, rows, delimiter=",")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cached_for_visitors
def year_account_json(request, year):
    account, _known = _account_or_404(year)
    rows = [dict(zip(FIELDS, _row(year, row), strict=True)) for row in account.rows()]
    response = JsonResponse(
        {
            "source": f"Allas Vimmerby, {settings.MUNICIPALITY['name']}",
            "year": year,
            "has_data": account.has_data,
            "foreword": account.foreword,
            "fields": FIELDS,
            "count": len(rows),
            "rows": rows,
            "sections": [
                {
                    "section": s.key,
                    "heading": s.heading,
                    "notes": s.notes,
                    "tables": [asdict(t) for t in [*(c.table for c in s.charts), *s.tables]],
                }
                for s in account.sections
            ],
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
