"""How long proposals wait, per ort and year: for the year's account and for staff.

- Time to the group's answer: from when the proposal was submitted to its first status
  change with a written answer (återkoppling) by the group or by the municipality's staff,
  in days (elapsed time, one decimal). Measured for the proposals submitted in the year.
- Time from lifted to decided: from the day the group lifted the proposal to the
  municipality (Stockholm time) to the decision's date, in whole days. Measured for the
  decisions taken in the year.
- The share answered within 30 days: of the proposals submitted in the year that have an
  answer or have waited at least 30 days (proposals withdrawn without an answer left out),
  the part answered within 30 days of being submitted.

Percentiles are nearest-rank: the p-th percentile of n values is the value at rank
ceil(p·n/100) in ascending order, always a value that occurred, the same on PostgreSQL and
SQLite. The database ranks (window functions) and returns only the rows at those ranks,
so the cost is a few queries whatever the number of proposals.

Proposals removed by a moderator are not counted anywhere.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from allas.year_account.parts import year_bounds

from .models import MunicipalCase, Proposal, StatusChange, Visibility

WITHIN_DAYS = 30
# Whose written answer counts as the group's answer.
ANSWERED_AS = (StatusChange.AnsweredAs.GROUP, StatusChange.AnsweredAs.STAFF)
WAITING_STATUSES = (Proposal.Status.SUBMITTED, Proposal.Status.UNDER_REVIEW)
# The key of the whole network in the results.
NETWORK = None


@dataclass
class Spread:
    """Median and 90th percentile (nearest rank) of n values, in days."""

    n: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass
class AnswerShare:
    received: int = 0
    answered: int = 0
    # Answered, or waited at least WITHIN_DAYS days (withdrawn without an answer left out).
    measured: int = 0
    within: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.within / self.measured) if self.measured else None


def group_answers():
    """The written answers by the group or the municipality's staff."""
    return StatusChange.objects.filter(answered_as__in=ANSWERED_AS).exclude(answer="")


def first_answer_at():
    """When a proposal (the outer query's row) first got a written answer."""
    first = (
        group_answers()
        .filter(proposal=OuterRef("pk"))
        .order_by("created_at", "id")
        .values("created_at")[:1]
    )
    return Subquery(first)


def counted():
    """Every proposal the figures count: all but those a moderator removed."""
    return Proposal.objects.exclude(visibility=Visibility.REMOVED).order_by()


def submitted_in(year: int):
    start, end = year_bounds(year)
    return counted().filter(created_at__gte=start, created_at__lt=end)


def rank_of(p: int, n) -> object:
    """ceil(p·n/100) in integer arithmetic, the same in every database."""
    return (n * p + 99) // 100 if isinstance(n, int) else (n * p + 99) / 100


def _spreads(queryset, value, group_by: str, to_days) -> dict:
    """Median and 90th percentile of `value` (a duration) per `group_by` and for all
    rows (key NETWORK): one query that returns only the rows at those ranks."""
    order = [F("value").asc(), F("pk").asc()]
    ranked = (
        queryset.annotate(value=value)
        .filter(value__isnull=False)
        .annotate(
            key=F(group_by),
            rank=Window(RowNumber(), partition_by=[F(group_by)], order_by=order),
            n=Window(Count("pk"), partition_by=[F(group_by)]),
            rank_all=Window(RowNumber(), order_by=order),
            n_all=Window(Count("pk")),
        )
    )
    wanted = Q()
    for p in (50, 90):
        wanted |= Q(rank=(F("n") * p + 99) / 100) | Q(rank_all=(F("n_all") * p + 99) / 100)
    result: dict = {}
    for key, value, rank, n, rank_all, n_all in ranked.filter(wanted).values_list(
        "key", "value", "rank", "n", "rank_all", "n_all"
    ):
        days = to_days(value)
        for k, r, count in ((key, rank, n), (NETWORK, rank_all, n_all)):
            spread = result.setdefault(k, Spread(n=count))
            if r == rank_of(50, count):
                spread.median = days
            if r == rank_of(90, count):
                spread.p90 = days
    return result


def _elapsed_days(value: datetime.timedelta) -> float:
    return round(value.total_seconds() / 86400, 1)


def answer_spreads(year: int) -> dict:
    """Per ort id (and NETWORK): days from submitted to the group's first answer, for the
    proposals submitted in the year that have one. One query; the first answer is looked
    up only for the proposals answered at all."""
    elapsed = ExpressionWrapper(first_answer_at() - F("created_at"), output_field=DurationField())
    answered = submitted_in(year).filter(pk__in=group_answers().values("proposal_id"))
    return _spreads(answered, elapsed, "locality_id", _elapsed_days)


def decision_spreads(year: int) -> dict:
    """Per ort id (and NETWORK): whole days from the day a proposal was lifted to the
    municipality to the decision's date, for the decisions taken in the year. One query."""
    start, end = year_bounds(year)
    cases = MunicipalCase.objects.filter(
        decided_on__gte=start.date(),
        decided_on__lt=end.date(),
        proposal__in=counted(),
    ).order_by()
    lifted_on = TruncDate("lifted_at", tzinfo=timezone.get_default_timezone())
    days = ExpressionWrapper(F("decided_on") - lifted_on, output_field=DurationField())
    return _spreads(cases, days, "proposal__locality_id", lambda value: value.days)


def answer_shares(year: int, now=None) -> dict:
    """Per ort id (and NETWORK): received in the year, answered, and answered within
    WITHIN_DAYS days of those measured. One query. "Some answer within the days" is the
    same as "the first answer within the days", and as a plain IN the database can hash
    it once instead of looking it up per proposal."""
    now = now or timezone.now()
    window = datetime.timedelta(days=WITHIN_DAYS)
    answers = group_answers()
    answered = Q(pk__in=answers.values("proposal_id"))
    in_time = answers.filter(created_at__lte=F("proposal__created_at") + window)
    measured = answered | Q(created_at__lte=now - window) & ~Q(status=Proposal.Status.WITHDRAWN)
    rows = (
        submitted_in(year)
        .values("locality_id")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=answered),
            measured=Count("pk", filter=measured),
            within=Count("pk", filter=Q(pk__in=in_time.values("proposal_id"))),
        )
    )
    result = {NETWORK: AnswerShare()}
    for row in rows:
        share = AnswerShare(row["received"], row["answered"], row["measured"], row["within"])
        result[row["locality_id"]] = share
        total = result[NETWORK]
        total.received += share.received
        total.answered += share.answered
        total.measured += share.measured
        total.within += share.within
    return result


def waiting(locality=None):
    """The proposals still waiting for the group's answer, oldest first: submitted or
    under review, with no written answer yet. For staff pages (slice or page it)."""
    proposals = counted().filter(status__in=WAITING_STATUSES)
    if locality is not None:
        proposals = proposals.filter(locality=locality)
    answered = group_answers().filter(proposal=OuterRef("pk"))
    return (
        proposals.filter(~Exists(answered)).select_related("locality").order_by("created_at", "id")
    )
