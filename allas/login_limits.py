"""Failed logins, counted so that no stranger can lock an account.

allauth counts failures per e-mail address alone: five wrong passwords sent from anywhere
lock the owner out. Here they are counted three ways instead:

- per source (the client's IP address), allauth's per-ip rates of
  ACCOUNT_RATE_LIMITS["login_failed"]: one source cannot try many addresses;
- per address and source, ACCOUNT_RATE_LIMITS["login_failed_from_source"]: after a few
  tries from one place, that place waits for that address, while the owner elsewhere logs
  in as usual;
- per address from all sources: after FAILURES_BEFORE_DELAY failures within an hour each
  further try waits a little longer than the one before (at most MAX_DELAY_SECONDS). A
  guess spread over many sources gets a few tries an hour, and the owner is slowed for a
  moment, never locked out.

A completed password reset clears the address's counts, so its owner logs in at once. The
counts live in the Django cache (Redis in production, shared by every process); with the
cache down they fail open, as allauth's own do (allas.cache).
"""

import hashlib
import math
import time
from dataclasses import dataclass, field

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

APP = "allauth.account"
FAILURES_BEFORE_DELAY = 20
FAILURE_WINDOW_SECONDS = 60 * 60
MAX_DELAY_SECONDS = 5 * 60
# How long one try holds the way for an address that has to wait, while its password is
# checked: so that many tries sent at the same moment do not all get through.
HOLD_SECONDS = 10
# How long a password reset's fresh start outlives the counts it replaced.
GENERATION_SECONDS = 24 * 60 * 60


def delay_after(failures: int) -> int:
    """Seconds the next try for an address waits after its latest failure."""
    if failures < FAILURES_BEFORE_DELAY:
        return 0
    return min(2 ** min(failures - FAILURES_BEFORE_DELAY, 16), MAX_DELAY_SECONDS)


def _address_key(address: str, what: str) -> str:
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    return f"allas:login:{digest}:{what}"


def _rates(action: str, per: set[str]) -> str:
    rates = app_settings.RATE_LIMITS.get(action) or ""
    return ",".join(part.strip() for part in rates.split(",") if part.strip() and _per(part) in per)


def _per(rate: str) -> str:
    return ratelimit.parse_rate(rate.strip()).per


def _consume(request, action: str, rates: str, key: str | None = None):
    """allauth's sliding-window count for these rates; None when they are used up."""
    if not rates:
        return ratelimit.RateLimitUsage(usage=[])
    return ratelimit.consume(
        request, app=APP, action=action, config={action: rates}, key=key, limit_get=True
    )


def _wait_in_words(seconds: int) -> str:
    if seconds <= 90:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def _too_many():
    return get_adapter().validation_error("too_many_login_attempts")


def _must_wait(seconds: int) -> ValidationError:
    return ValidationError(
        _(
            "Many wrong passwords have been tried for this e-mail address, so each new try "
            "has to wait a moment. Try again in %(wait)s. If you have forgotten your "
            "password, ask for a new one."
        )
        % {"wait": _wait_in_words(seconds)},
        code="login_delayed",
    )


@dataclass
class Attempt:
    """One password try for an address: counted before the password is checked (so that
    tries sent at the same moment are counted too), and taken back if it was right."""

    address: str
    usages: list = field(default_factory=list)
    holds_the_way: bool = False

    def succeeded(self) -> None:
        # Taken back rather than wiped: a right password now and then must not give an
        # attacker's guesses from the same place a fresh start.
        for usage in self.usages:
            usage.rollback()
        if self.holds_the_way:
            cache.delete(_address_key(self.address, "wait"))

    def failed(self) -> None:
        key = _address_key(self.address, "failures")
        cache.add(key, 0, timeout=FAILURE_WINDOW_SECONDS)
        try:
            failures = cache.incr(key)
        except ValueError:  # expired just now, or the cache is down
            return
        wait = delay_after(failures)
        if wait:
            cache.set(_address_key(self.address, "wait"), time.time() + wait, timeout=wait)
        elif self.holds_the_way:
            cache.delete(_address_key(self.address, "wait"))


def attempt_start(request, address: str) -> Attempt:
    """Counts one password try for `address` from this request's source, or raises the
    ValidationError the login form shows when it has to wait."""
    address = (address or "").strip().lower()
    attempt = Attempt(address=address)
    ip_usage = _consume(request, "login_failed", _rates("login_failed", {"ip"}))
    if ip_usage is None:
        raise _too_many()
    attempt.usages += ip_usage.usage
    source = ratelimit.get_ip(request)
    generation = cache.get(_address_key(address, "generation"), 0)
    source_usage = _consume(
        request,
        "login_failed_from_source",
        _rates("login_failed_from_source", {"key"}),
        key=f"{address}|{generation}|{source}",
    )
    if source_usage is None:
        raise _too_many()
    attempt.usages += source_usage.usage
    failures = cache.get(_address_key(address, "failures"), 0)
    if failures >= FAILURES_BEFORE_DELAY:
        now = time.time()
        if not cache.add(_address_key(address, "wait"), now + HOLD_SECONDS, HOLD_SECONDS):
            # Not a try at all: the source's and the address's counts are left as they were.
            for usage in attempt.usages:
                usage.rollback()
            until = cache.get(_address_key(address, "wait"), now + 1)
            raise _must_wait(max(1, math.ceil(until - now)))
        attempt.holds_the_way = True
    return attempt


def clear(address: str) -> None:
    """A completed password reset: the address starts afresh, from every source."""
    address = (address or "").strip().lower()
    cache.delete_many([_address_key(address, "failures"), _address_key(address, "wait")])
    cache.set(_address_key(address, "generation"), time.time_ns(), GENERATION_SECONDS)
