"""The groups' part of the year's account (allas.year_account): each group's make-up
against the method's ideal, and the actions of the year's published plans by SLUS area
and status. Counts only, never a name. Six queries whatever the number of members and
actions."""

from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allas.models import AgeBand, Locality, SlusGoal
from allas.year_account.parts import NETWORK, Chart, Row, Section, Table, network_label, year_bounds

from .models import MIN_AGE_BANDS, Action, Composition, Membership, Plan, Sector

SECTION = "groups"
# The matrix shows these, in this order; paused actions are counted in its table.
STATUSES = [Action.Status.DONE, Action.Status.ONGOING, Action.Status.PLANNED, Action.Status.PAUSED]


def data_years() -> set[int]:
    """Years with a plan, and the years since the first member joined."""
    years = set(Plan.objects.order_by().values_list("year", flat=True).distinct())
    first = Membership.objects.aggregate(first=Min(Coalesce("joined_at", "requested_at")))
    if first["first"] is not None:
        first_year = timezone.localtime(first["first"]).year
        years |= set(range(first_year, timezone.localdate().year + 1))
    return years


def _members_on(moment):
    """The memberships that were active at the moment: joined before it and not left."""
    return (
        Membership.objects.annotate(since=Coalesce("joined_at", "requested_at"))
        .filter(since__lt=moment)
        .filter(
            Q(status=Membership.Status.ACTIVE)
            | Q(status=Membership.Status.LEFT, left_at__gte=moment)
        )
        .order_by()
    )


def compositions(year: int) -> tuple[dict[int, Composition], object]:
    """Each ort's group on the last day of the year (this year: today), by sector and
    age band, as the ort page counts them (groups.models.Composition): two queries."""
    moment = min(year_bounds(year)[1], timezone.now())
    result: dict[int, Composition] = {}
    members = _members_on(moment)
    for row in members.values("group__locality_id", "sector").annotate(n=Count("id")):
        result.setdefault(row["group__locality_id"], Composition()).sectors[row["sector"]] = row[
            "n"
        ]
    for row in members.values("group__locality_id", "age_band").annotate(n=Count("id")):
        comp = result.setdefault(row["group__locality_id"], Composition())
        comp.age_bands[row["age_band"]] = row["n"]
    return result, moment


def _make_up(year, localities, rows_out) -> tuple[list[Table], bool, str]:
    comps, moment = compositions(year)
    stated_bands = [v for v, _label in AgeBand.choices if v != AgeBand.NOT_STATED]
    gap_rows, sector_rows = [], []
    network = Composition()
    for loc in localities:
        comp = comps.get(loc.pk, Composition())
        for k, n in comp.sectors.items():
            network.sectors[k] = network.sectors.get(k, 0) + n
        for k, n in comp.age_bands.items():
            network.age_bands[k] = network.age_bands.get(k, 0) + n
        gaps = [str(label) for v, label in Sector.choices if v in comp.missing_sectors()]
        if comp.few_age_bands:
            gaps.append(_("fewer than %(n)s age bands") % {"n": MIN_AGE_BANDS})
        gap_rows.append(
            [
                loc.name,
                comp.total,
                comp.sectors_covered,
                comp.age_bands_covered,
                ", ".join(gaps) or _("Nothing"),
            ]
        )
        sector_rows.append([loc.name, *[comp.sectors.get(v, 0) for v, _l in Sector.choices]])
        _composition_rows(rows_out, loc.name, loc.slug, comp)
    _composition_rows(rows_out, network_label(), NETWORK, network)
    end = year_bounds(year)[1]
    when = (
        _("today, %(date)s") % {"date": date_format(timezone.localtime(moment), "j F Y")}
        if moment < end
        else _("31 December %(year)s") % {"year": year}
    )
    ideal = Table(
        caption=_("The groups on %(when)s against the method's ideal") % {"when": when},
        columns=[
            _("Ort"),
            _("Members"),
            _("Sectors represented (of %(n)s)") % {"n": len(Sector.choices)},
            _("Age bands represented (of %(n)s)") % {"n": len(stated_bands)},
            _("Missing"),
        ],
        rows=gap_rows,
        footer=[network_label(), network.total, "", "", ""],
    )
    sectors = Table(
        caption=_("The groups' members on %(when)s by sector") % {"when": when},
        columns=[_("Ort"), *[str(label) for _v, label in Sector.choices]],
        rows=sector_rows,
        footer=[network_label(), *[network.sectors.get(v, 0) for v, _l in Sector.choices]],
    )
    return [ideal, sectors], bool(network.total), when


def _composition_rows(rows_out, ort, slug, comp: Composition) -> None:
    rows_out.append(Row(SECTION, ort, slug, "members", _("Members"), comp.total))
    for value, label in Sector.choices:
        rows_out.append(
            Row(SECTION, ort, slug, f"members_{value}", str(label), comp.sectors.get(value, 0))
        )
    for value, label in AgeBand.choices:
        rows_out.append(
            Row(
                SECTION,
                ort,
                slug,
                f"members_age_{value}",
                _("Age %(band)s") % {"band": label},
                comp.age_bands.get(value, 0),
            )
        )


def _actions(year, localities, goals, rows_out) -> tuple[Chart | None, Table, int]:
    published = Action.objects.published().filter(plan__year=year).order_by()
    cells: dict[tuple[int, int], dict[str, int]] = {}
    for row in published.values("plan__group__locality_id", "goals__id", "status").annotate(
        n=Count("id")
    ):
        if row["goals__id"] is None:
            continue
        cell = cells.setdefault((row["plan__group__locality_id"], row["goals__id"]), {})
        cell[row["status"]] = row["n"]
    per_ort: dict[int, dict[str, int]] = {}
    for row in published.values("plan__group__locality_id", "status").annotate(n=Count("id")):
        per_ort.setdefault(row["plan__group__locality_id"], {})[row["status"]] = row["n"]
    labels = dict(Action.Status.choices)
    series = [(s.value, str(labels[s])) for s in STATUSES]
    matrix_rows, table_rows = [], []
    for loc in localities:
        ort_cells = [cells.get((loc.pk, g.pk), {}) for g in goals]
        matrix_rows.append({"label": loc.name, "cells": ort_cells})
        table_rows.append(
            [loc.name]
            + [
                ", ".join(f"{label} {cell[key]}" for key, label in series if cell.get(key)) or "0"
                for cell in ort_cells
            ]
        )
        for goal, cell in zip(goals, ort_cells, strict=True):
            for key, label in series:
                rows_out.append(
                    Row(
                        SECTION,
                        loc.name,
                        loc.slug,
                        f"actions_{goal.slug}_{key}",
                        f"{goal.short_name}: {label}",
                        cell.get(key, 0),
                    )
                )
    total = sum(sum(c.values()) for c in per_ort.values())
    matrix_table = Table(
        caption=_("Actions in the published plans of %(year)s per ort and SLUS area, by status")
        % {"year": year},
        columns=[_("Ort"), *[g.short_name for g in goals]],
        rows=table_rows,
    )
    status_table = Table(
        caption=_("Actions in the published plans of %(year)s per ort, by status") % {"year": year},
        columns=[_("Ort"), *[label for _k, label in series], _("Total")],
        rows=[
            [
                loc.name,
                *[per_ort.get(loc.pk, {}).get(k, 0) for k, _l in series],
                sum(per_ort.get(loc.pk, {}).values()),
            ]
            for loc in localities
        ],
        footer=[
            network_label(),
            *[sum(c.get(k, 0) for c in per_ort.values()) for k, _l in series],
            total,
        ],
    )
    for loc in [*localities, None]:
        counts = per_ort.get(loc.pk, {}) if loc else None
        for key, label in series:
            value = counts.get(key, 0) if loc else sum(c.get(key, 0) for c in per_ort.values())
            rows_out.append(
                Row(
                    SECTION,
                    loc.name if loc else network_label(),
                    loc.slug if loc else NETWORK,
                    f"actions_{key}",
                    _("Actions: %(status)s") % {"status": label},
                    value,
                )
            )
    if not total:
        return None, status_table, 0
    done = sum(c.get("done", 0) for c in per_ort.values())
    chart = Chart(
        kind="matrix",
        key="ya-actions",
        title=_("The plans' actions per ort and SLUS area, %(year)s") % {"year": year},
        description=_(
            "A grid of the ten orter and the six SLUS areas. Each square shows how many of "
            "the ort's actions in the area are done, ongoing, planned and paused, each "
            "with its own pattern; a darker square holds more actions. In all %(total)s "
            "actions, %(done)s of them done. The table below gives the same numbers."
        )
        % {"total": total, "done": done},
        data={
            "columns": [g.short_name for g in goals],
            "series": series,
            "rows": matrix_rows,
        },
        table=matrix_table,
        note=_("An action that belongs to several areas is counted in each of them."),
    )
    return chart, status_table, total


def part(year: int) -> Section:
    localities = list(Locality.objects.order_by("name"))
    goals = list(SlusGoal.objects.order_by("number"))
    rows: list[Row] = []
    make_up, has_members, when = _make_up(year, localities, rows)
    chart, status_table, actions = _actions(year, localities, goals, rows)
    return Section(
        key=SECTION,
        order=10,
        heading=_("The groups and their plans"),
        intro=_(
            "Who the local development groups are made of, against the method's ideal: "
            "members from the associations, business, the rural council, the politicians "
            "and the residents, of different ages. Then what the groups' published "
            "development plans for %(year)s hold, per social local development strategy "
            "(SLUS) area."
        )
        % {"year": year},
        has_data=has_members or bool(actions),
        empty_text=_("No group had members or a published plan in %(year)s.") % {"year": year},
        charts=[chart] if chart else [],
        tables=[*make_up, status_table],
        notes=[
            _(
                "Members are the groups' active members on %(when)s, counted, never named. "
                "The ideal is a member from each of the five sectors and at least %(n)s "
                "age bands."
            )
            % {"when": when, "n": MIN_AGE_BANDS},
            _("Actions are those in the groups' published plans for the year."),
        ],
        rows=rows,
    )
