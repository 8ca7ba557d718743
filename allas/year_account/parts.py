"""What each app gives the year's account: the contract between core and the apps.

Every module in settings.YEAR_ACCOUNT_MODULES has

    part(year: int) -> Section         its numbers for the calendar year
    data_years() -> set[int]           the years it has anything to tell about

The core knows no app: it draws each Section's charts (allas.year_account.charts), shows
its tables and writes its numbers to CSV and JSON. Everything in a Section is plain data
(strings already in the active language, numbers, lists), so the whole account can be
kept in the cache and read back.
"""

from dataclasses import dataclass, field


@dataclass
class Table:
    """A table of numbers: the first column names the row (an ort, or "the network")."""

    caption: str
    columns: list[str]
    rows: list[list]
    # The network's total, or None where a total means nothing.
    footer: list | None = None


@dataclass
class Chart:
    """One chart, drawn by the core from `data` by its `kind`:

    - "matrix": {"columns": [label], "series": [(key, label)], "rows": [{"label": str,
      "cells": [{key: n}]}]}: a heat grid, each cell giving the count of every series;
    - "bars": {"series": [(key, label)], "rows": [{"label": str, "values": [n]}]}: a
      horizontal bar per row, stacked by series;
    - "ranges": {"series": [(key, label)], "unit": str, "rows": [{"label": str,
      "values": [{"median": x, "p90": y, "n": n} or None]}]}: per row and series, the
      median as a mark and the line on to the 90th percentile.

    `description` is its text alternative; `table` holds the same numbers."""

    kind: str
    key: str
    title: str
    description: str
    data: dict
    table: Table
    note: str = ""


@dataclass
class Row:
    """One number of the account, as the CSV and JSON carry it."""

    section: str
    ort: str
    ort_slug: str
    measure: str
    label: str
    value: int | float | None


@dataclass
class Section:
    """One app's part of the account."""

    key: str
    heading: str
    intro: str = ""
    has_data: bool = False
    # Said instead of charts and tables when there is nothing to show.
    empty_text: str = ""
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # How each number is counted: shown under the section and carried in the JSON.
    notes: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    order: int = 0


# The slug that stands for the whole network in the CSV and JSON rows.
NETWORK = ""


def year_bounds(year: int):
    """The calendar year in the portal's time zone: [start, end) as aware datetimes."""
    import datetime

    from django.utils import timezone

    zone = timezone.get_default_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def network_label() -> str:
    from django.utils.translation import gettext

    return gettext("The whole network")
