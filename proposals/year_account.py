"""The proposals' part of the year's account (allas.year_account): what came in, what the
groups answered, what went on to the municipality and what it decided, and how long each
step took (proposals.response_times). Six queries whatever the number of proposals."""

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.models import Locality
from allas.year_account.parts import NETWORK, Chart, Row, Section, Table, network_label, year_bounds

from . import response_times as times
from .models import MunicipalCase, Proposal, Stage

SECTION = "proposals"
Status, Outcome = Proposal.Status, MunicipalCase.Outcome
WITH_GROUP = Q(municipal_stage=Stage.NONE)


def _categories():
    """Where each proposal submitted in the year stands today: one category each, so
    that the bar of an ort adds up to what it received."""
    decided = Q(municipal_stage=Stage.DECIDED)
    return [
        (
            "waiting",
            _("Waiting for the group"),
            WITH_GROUP & Q(status__in=[Status.SUBMITTED, Status.UNDER_REVIEW]),
        ),
        (
            "accepted",
            _("Accepted by the group"),
            WITH_GROUP & Q(status__in=[Status.ACCEPTED, Status.DONE]),
        ),
        ("declined", _("Declined by the group"), WITH_GROUP & Q(status=Status.DECLINED)),
        ("withdrawn", _("Withdrawn by the author"), WITH_GROUP & Q(status=Status.WITHDRAWN)),
        (
            "at_municipality",
            _("At the municipality, not decided"),
            Q(municipal_stage__in=[Stage.LIFTED, Stage.REGISTERED]),
        ),
        (
            "granted",
            _("Approved or partly approved by the municipality"),
            decided & Q(municipal_case__outcome__in=[Outcome.GRANTED, Outcome.PARTLY_GRANTED]),
        ),
        (
            "rejected",
            _("Rejected by the municipality"),
            decided & Q(municipal_case__outcome=Outcome.REJECTED),
        ),
        (
            "answered",
            _("Answered or referred back by the municipality"),
            decided & Q(municipal_case__outcome__in=[Outcome.ANSWERED, Outcome.REFERRED_BACK]),
        ),
    ]


def data_years() -> set[int]:
    """The years from the first proposal to the last."""
    span = times.counted().aggregate(first=Min("created_at"), last=Max("created_at"))
    if span["first"] is None:
        return set()
    first, last = timezone.localtime(span["first"]), timezone.localtime(span["last"])
    return set(range(first.year, last.year + 1))


def _standing(year, categories) -> dict:
    """Per ort id: the count of each category, of the proposals submitted in the year."""
    aggregates = {key: Count("pk", filter=q) for key, _label, q in categories}
    rows = times.submitted_in(year).values("locality_id").annotate(**aggregates)
    return {row["locality_id"]: row for row in rows}


def _steps(year) -> dict:
    """Per ort id: proposals lifted to the municipality in the year, and decisions taken
    in the year by outcome."""
    start, end = year_bounds(year)
    lifted = Q(lifted_at__gte=start, lifted_at__lt=end)
    decided = Q(decided_on__gte=start.date(), decided_on__lt=end.date(), stage=Stage.DECIDED)
    aggregates = {
        "lifted": Count("pk", filter=lifted),
        "decided": Count("pk", filter=decided),
        **{o: Count("pk", filter=decided & Q(outcome=o)) for o in Outcome.values},
    }
    rows = (
        MunicipalCase.objects.filter(lifted | decided, proposal__in=times.counted())
        .order_by()
        .values("proposal__locality_id")
        .annotate(**aggregates)
    )
    return {row["proposal__locality_id"]: row for row in rows}


def _add(rows_out, ort, slug, measure, label, value) -> None:
    rows_out.append(Row(SECTION, ort, slug, measure, label, value))


def part(year: int) -> Section:
    localities = list(Locality.objects.order_by("name"))
    categories = _categories()
    standing = _standing(year, categories)
    steps = _steps(year)
    shares = times.answer_shares(year)
    answers = times.answer_spreads(year)
    decisions = times.decision_spreads(year)
    rows: list[Row] = []
    outcome_labels = dict(Outcome.choices)
    places = [(loc.pk, loc.name, loc.slug) for loc in localities]
    places.append((times.NETWORK, network_label(), NETWORK))

    def standing_of(key):
        if key is not times.NETWORK:
            return standing.get(key, {})
        return {c: sum(r.get(c, 0) for r in standing.values()) for c, _l, _q in categories}

    def steps_of(key):
        if key is not times.NETWORK:
            return steps.get(key, {})
        names = ["lifted", "decided", *Outcome.values]
        return {n: sum(r.get(n, 0) for r in steps.values()) for n in names}

    step_rows, standing_rows, time_rows = [], [], []
    for key, name, slug in places:
        share = shares.get(key, times.AnswerShare())
        stand, step = standing_of(key), steps_of(key)
        answer, decision = answers.get(key, times.Spread()), decisions.get(key, times.Spread())
        _add(rows, name, slug, "received", _("Received"), share.received)
        _add(rows, name, slug, "answered", _("Answered by the group"), share.answered)
        _add(rows, name, slug, "lifted", _("Lifted to the municipality"), step.get("lifted", 0))
        _add(rows, name, slug, "decided", _("Decided by the municipality"), step.get("decided", 0))
        for outcome in Outcome.values:
            label = _("Decided: %(outcome)s") % {"outcome": outcome_labels[outcome]}
            _add(rows, name, slug, f"decided_{outcome}", label, step.get(outcome, 0))
        for c, label, _q in categories:
            _add(rows, name, slug, f"standing_{c}", label, stand.get(c, 0))
        _add(rows, name, slug, "answer_days_n", _("Answered (measured)"), answer.n)
        _add(rows, name, slug, "answer_days_median", _("Days to answer, median"), answer.median)
        _add(rows, name, slug, "answer_days_p90", _("Days to answer, 90th percentile"), answer.p90)
        _add(rows, name, slug, "within_30_measured", _("Measured for 30 days"), share.measured)
        _add(rows, name, slug, "within_30", _("Answered within 30 days"), share.within)
        _add(rows, name, slug, "within_30_percent", _("Answered within 30 days (%)"), share.percent)
        _add(rows, name, slug, "decision_days_n", _("Decisions (measured)"), decision.n)
        _add(
            rows, name, slug, "decision_days_median", _("Days to decision, median"), decision.median
        )
        _add(
            rows,
            name,
            slug,
            "decision_days_p90",
            _("Days to decision, 90th percentile"),
            decision.p90,
        )
        step_rows.append(
            [
                name,
                share.received,
                share.answered,
                step.get("lifted", 0),
                step.get("decided", 0),
                *[step.get(o, 0) for o in Outcome.values],
            ]
        )
        standing_rows.append([name, *[stand.get(c, 0) for c, _l, _q in categories], share.received])
        percent = f"{share.percent} % ({share.within}/{share.measured})" if share.measured else "–"
        time_rows.append(
            [
                name,
                answer.n,
                answer.median,
                answer.p90,
                percent,
                decision.n,
                decision.median,
                decision.p90,
            ]
        )
    network = shares[times.NETWORK]
    total_steps = steps_of(times.NETWORK)
    has_data = bool(network.received or total_steps["lifted"] or total_steps["decided"])
    step_table = Table(
        caption=_("Proposals in %(year)s: received, answered, lifted and decided") % {"year": year},
        columns=[
            _("Ort"),
            _("Received"),
            _("Of these answered by the group"),
            _("Lifted to the municipality"),
            _("Decided by the municipality"),
            *[str(outcome_labels[o]) for o in Outcome.values],
        ],
        rows=step_rows[:-1],
        footer=step_rows[-1],
    )
    series = [(c, str(label)) for c, label, _q in categories]
    standing_chart = Chart(
        kind="bars",
        key="ya-proposals",
        title=_("Proposals per ort by where they stand, %(year)s") % {"year": year},
        description=_(
            "A bar per ort for the proposals received in %(year)s, %(total)s in all, divided "
            "by where each stands today: with the group (waiting, accepted, declined or "
            "withdrawn) or at the municipality (not decided, or decided by outcome). Each "
            "part has its own pattern. The table below gives the same numbers."
        )
        % {"year": year, "total": network.received},
        data={
            "series": series,
            "rows": [{"label": r[0], "values": r[1:-1]} for r in standing_rows[:-1]],
        },
        table=Table(
            caption=_("Proposals received in %(year)s per ort, by where they stand today")
            % {"year": year},
            columns=[_("Ort"), *[label for _c, label in series], _("Received")],
            rows=standing_rows[:-1],
            footer=standing_rows[-1],
        ),
        note=_(
            "Each proposal is counted once, where it stands today. Approved covers bifall "
            "and delvis bifall; answered covers besvarad and återremitterad."
        ),
    )
    answer_net, decision_net = (
        answers.get(times.NETWORK, times.Spread()),
        decisions.get(times.NETWORK, times.Spread()),
    )
    times_chart = Chart(
        kind="ranges",
        key="ya-times",
        title=_("Response times per ort, %(year)s") % {"year": year},
        description=_(
            "For each ort, the median and the 90th percentile of the days to the group's "
            "answer, and of the days from lifted to decided. In the whole network the "
            "median answer took %(answer)s days (%(n)s answered) and the median decision "
            "%(decision)s days (%(m)s decided). The table below gives every ort's numbers."
        )
        % {
            "answer": "–" if answer_net.median is None else answer_net.median,
            "n": answer_net.n,
            "decision": "–" if decision_net.median is None else decision_net.median,
            "m": decision_net.n,
        },
        data={
            "series": [
                ("answer", _("Days from submitted to the group's answer")),
                ("decision", _("Days from lifted to the municipality's decision")),
            ],
            "unit": _("days"),
            "legend": _("The mark is the median; the line goes on to the 90th percentile."),
            "rows": [
                {
                    "label": name,
                    "values": [
                        _spread_value(answers.get(key)),
                        _spread_value(decisions.get(key)),
                    ],
                }
                for key, name, _slug in places[:-1]
            ],
        },
        table=Table(
            caption=_("Response times in %(year)s per ort, in days") % {"year": year},
            columns=[
                _("Ort"),
                _("Answered"),
                _("Days to answer, median"),
                _("Days to answer, 90th percentile"),
                _("Answered within 30 days"),
                _("Decided"),
                _("Days to decision, median"),
                _("Days to decision, 90th percentile"),
            ],
            rows=time_rows[:-1],
            footer=time_rows[-1],
        ),
        note=_("A dash means there was nothing to measure."),
    )
    has_times = bool(answer_net.n or decision_net.n)
    return Section(
        key=SECTION,
        order=20,
        heading=_("Proposals and the municipality's decisions"),
        intro=_(
            "What residents proposed in %(year)s, what the groups answered, what they lifted "
            "to the municipality, what the municipality decided, and how long each step took."
        )
        % {"year": year},
        has_data=has_data,
        empty_text=_("No proposals were received, lifted or decided in %(year)s.") % {"year": year},
        charts=[
            c for c, show in ((standing_chart, network.received), (times_chart, has_times)) if show
        ],
        tables=[step_table],
        notes=[
            _(
                "Received: proposals submitted in the year. Answered: of these, those the "
                "group (or the municipality's staff) has answered in writing. Lifted and "
                "decided: the steps taken in the year, whenever the proposal came in. "
                "Proposals a moderator removed are not counted."
            ),
            _(
                "Days to answer: from when the proposal was submitted to the group's first "
                "written answer, for the proposals received in the year. Days to decision: "
                "from the day the proposal was lifted to the date of the decision, for the "
                "decisions taken in the year."
            ),
            _(
                "The median is the middle value: half took as long or less. The 90th "
                "percentile: nine in ten took as long or less. Both are nearest-rank: the "
                "value at place ⌈p × n⌉ when the n times are sorted, so always a time that "
                "occurred."
            ),
            _(
                "Answered within 30 days: of the proposals received in the year that have "
                "been answered or have waited at least 30 days (proposals withdrawn without "
                "an answer left out), the share answered within 30 days of being submitted."
            ),
        ],
        rows=rows,
    )


def _spread_value(spread):
    if spread is None or spread.median is None:
        return None
    return {"median": spread.median, "p90": spread.p90, "n": spread.n}
