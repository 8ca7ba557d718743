"""Days for the demo's dates. The demo's meetings, answers and decisions fall on ordinary
working days, as the municipality's and the groups' own do: not on a Saturday or Sunday,
nor on a Swedish public holiday or the eves that are kept as one (julafton, nyårsafton,
midsommarafton)."""

import datetime

from django.utils import timezone


def _easter(year: int) -> datetime.date:
    """Easter Sunday (the Gregorian computus, "anonymous" algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return datetime.date(year, month, day + 1)


def holidays(year: int) -> set[datetime.date]:
    """The weekdays on which Sweden is off work: the public holidays and the eves."""
    easter = _easter(year)
    midsummer_eve = next(
        datetime.date(year, 6, day)
        for day in range(19, 26)
        if datetime.date(year, 6, day).weekday() == 4
    )
    fixed = [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]
    return {datetime.date(year, month, day) for month, day in fixed} | {
        easter - datetime.timedelta(days=2),  # långfredagen
        easter + datetime.timedelta(days=1),  # annandag påsk
        easter + datetime.timedelta(days=39),  # Kristi himmelsfärdsdag
        midsummer_eve,
    }


def is_workday(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def workday_on_or_before(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day -= datetime.timedelta(days=1)
    return day


def workday_on_or_after(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """The time on that day, in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def workday_in(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """The working day `days` from today (negative: ago) at the time given: moved back to
    the working day before for a day past, on to the one after for a day to come."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    day = workday_on_or_before(day) if days < 0 else workday_on_or_after(day)
    return at(day, hour, minute)


def workday_before(moment: datetime.datetime, days: int) -> datetime.datetime:
    """`days` before the moment, moved back to a working day, at the same time of day: a
    deadline or a notice ahead of a meeting."""
    local = timezone.localtime(moment)
    day = workday_on_or_before(local.date() - datetime.timedelta(days=days))
    return at(day, local.hour, local.minute)
