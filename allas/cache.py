"""A Redis cache that degrades to no cache when Redis is down.

The cache only ever holds what can be computed again (rendered cards, counts, rate-limit
counters), so a page is better served slower than not at all. Reads then miss, writes are
dropped, and one log line a minute says so. allauth's rate limits count in this cache: with
Redis down they fail open, which the log line makes visible to the operator.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY_SECONDS = 60

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


class DegradingRedisCache(RedisCache):
    _last_logged = 0.0

    def _down(self, method: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - DegradingRedisCache._last_logged > LOG_EVERY_SECONDS:
            DegradingRedisCache._last_logged = now
            logger.warning(
                "Cache unavailable (%s in %s): serving without cache, rate limits fail open",
                exc.__class__.__name__,
                method,
            )


def _degrading(name, miss):
    original = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        except DOWN as exc:
            self._down(name, exc)
            if miss is None:
                # incr/decr of a missing key raise ValueError in every Django cache.
                raise ValueError("Cache unavailable") from exc
            return miss(*args, **kwargs)

    method.__name__ = name
    return method


for _name, _miss in MISSES.items():
    setattr(DegradingRedisCache, _name, _degrading(_name, _miss))
