"""A Redis cache that degrades to no cache when Redis is down or hangs.

The cache only ever holds what can be computed again (rendered cards, counts, rate-limit
counters), so a page is better served slower than not at all. Reads then miss, writes are
dropped, and one log line a minute says so. allauth's rate limits count in this cache: with
Redis down they fail open, which the log line makes visible to the operator.

Each call waits at most the socket timeouts (CACHES in settings) and is tried once:
redis-py's own retries would multiply the wait. After a failure the process stops asking
Redis for PAUSE_SECONDS (a small circuit breaker), so that a page making a dozen cache
calls pays one timeout, not a dozen; the first call after the pause tries again.
`failures` counts the failures this process has seen, so that the visitors' page cache
can tell that a write it relied on may have been lost (allas.page_cache).
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

# A full Redis (maxmemory with noeviction) refuses writes: as good as down for a cache,
# and a version that could not be written must count as lost.
DOWN = (RedisConnectionError, RedisTimeoutError, OSError, OutOfMemoryError)
LOG_EVERY_SECONDS = 60
PAUSE_SECONDS = 3.0

# Each method: what it answers when Redis cannot be reached.
MISSES = {
    # get(key, default=None, version=None): the default may come by position or by name.
    "get": lambda key, *a, **k: a[0] if a else k.get("default"),
    "get_many": lambda *a, **k: {},
    "has_key": lambda *a, **k: False,
    # allauth's rate limits take a lock with add() and refuse when they cannot: answering
    # "added" lets them fail open instead of locking everyone out.
    "add": lambda *a, **k: True,
    "set": lambda *a, **k: None,
    "set_many": lambda keys, *a, **k: list(keys),
    "touch": lambda *a, **k: False,
    "delete": lambda *a, **k: False,
    "delete_many": lambda *a, **k: None,
    "incr": None,
    "decr": None,
    "clear": lambda *a, **k: False,
}


class _Health:
    """What this process knows of one Redis server. Django makes a cache object per
    thread; what Redis did is known to the whole process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.paused_until = 0.0
        self.failures = 0


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()
_last_logged = 0.0


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = {"retry": Retry(NoBackoff(), 0), **self._options}
        self.location = ",".join(self._servers)
        with _health_lock:
            self._health = _health.setdefault(self.location, _Health())

    @property
    def failures(self) -> int:
        """How many times this process has seen this Redis fail."""
        return self._health.failures

    def paused(self) -> bool:
        """Whether calls skip Redis for now, after a failure."""
        return time.monotonic() < self._health.paused_until

    def _down(self, method: str, exc: Exception) -> None:
        global _last_logged
        now = time.monotonic()
        health = self._health
        with health.lock:
            health.failures += 1
            health.paused_until = now + PAUSE_SECONDS
            log = now - _last_logged > LOG_EVERY_SECONDS
            if log:
                _last_logged = now
        if log:
            logger.warning(
                "Cache unavailable (%s in %s): serving without cache, rate limits fail open",
                exc.__class__.__name__,
                method,
            )

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz); during a pause, no without asking."""
        if self.paused():
            return False
        try:
            return bool(self._cache.get_client(write=True).ping())
        except DOWN as exc:
            self._down("ping", exc)
            return False


def _degrading(name, miss):
    original = getattr(RedisCache, name)

    def unavailable(args, kwargs):
        if miss is None:
            # incr/decr of a missing key raise ValueError in every Django cache.
            raise ValueError("Cache unavailable")
        return miss(*args, **kwargs)

    def method(self, *args, **kwargs):
        if self.paused():
            return unavailable(args, kwargs)
        try:
            return original(self, *args, **kwargs)
        except DOWN as exc:
            self._down(name, exc)
            return unavailable(args, kwargs)

    method.__name__ = name
    return method


for _name, _miss in MISSES.items():
    setattr(DegradingRedisCache, _name, _degrading(_name, _miss))
