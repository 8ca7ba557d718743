"""The year's account put together: each app's part (settings.YEAR_ACCOUNT_MODULES), the
development department's foreword, and which years there is anything to tell about.

Computing it reads the whole year, so it is kept in the cache under the portal's content
version (allas.page_cache): every change to what the public sees makes a new version, and
the next request computes the account again. Visitors also get the whole page from the
visitors' page cache; this serves everyone else (signed-in people, the CSV and JSON) as
cheaply. The account is kept as long as whole pages are (PAGE_CACHE_SECONDS; 0 is off,
which is the default without Redis, where each process would keep its own). With Redis
down the cache answers nothing (allas.cache) and the account is computed every time.
"""

from dataclasses import dataclass, field
from functools import cache as memoize
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .. import page_cache
from .models import YearForeword
from .parts import Section


@dataclass
class Account:
    year: int
    sections: list[Section] = field(default_factory=list)
    foreword: str = ""

    @property
    def has_data(self) -> bool:
        return any(section.has_data for section in self.sections)

    def rows(self):
        for section in self.sections:
            yield from section.rows


@memoize
def modules() -> list:
    return [import_module(name) for name in settings.YEAR_ACCOUNT_MODULES]


def compute(year: int) -> Account:
    """The account of the year, computed now: a few queries per app, whatever the data."""
    sections = sorted((m.part(year) for m in modules()), key=lambda s: s.order)
    foreword = YearForeword.objects.filter(year=year).values_list("foreword", flat=True)
    return Account(year=year, sections=sections, foreword=next(iter(foreword), ""))


def compute_years() -> list[int]:
    """Every year some app has something to tell about, newest first."""
    years: set[int] = set()
    for module in modules():
        years |= module.data_years()
    return sorted(years, reverse=True)


def _cached(name: str, make):
    # Under the content version, as every public part is: renewed by any change.
    return page_cache.cached_public(f"year-account:{name}", make)


def years() -> list[int]:
    return _cached("years", compute_years)


def account(year: int) -> Account:
    return _cached(str(year), lambda: compute(year))


def year_exists(year: int, known: list[int]) -> bool:
    """A year the account can be asked for: one with data, or any year from the first
    with data up to this one (an empty year then says so). Before all data, or a future
    year with nothing planned, there is no account."""
    this_year = timezone.localdate().year
    if year in known:
        return True
    first = min(known, default=this_year)
    return first <= year <= this_year
