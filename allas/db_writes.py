"""The writes version: a random value in the shared cache, replaced after every write to
the database that the portal makes, from any request, task or command.

Pages kept for one signed-in person (allas.signed_in_pages) show things no content
version follows: what they support and follow, their membership, the group's members.
Rather than list every service that may change one of those, anything written renews
this version, and such a page is served only while the version it was kept under is
still current. Writes are few next to reads, so this costs little. A statement that
changed no row renews nothing, and the session table is left out, since signing in or a
message would otherwise renew it on every request.

Installed on every database connection as it is made (AllasConfig.ready). A write
outside a transaction renews the version at once; inside one, it renews it once after the
commit (a rolled-back one renews nothing), and at once too if a page was kept since the
last renewal, for what the writer itself reads before its commit. A page is kept under the
version read before it was rendered, so one made from the data before a commit is never
served after it. The version is random, like the content
version, so one lost from the cache never brings an old page back.
"""

import secrets
import threading

from django.core.cache import cache
from django.db import transaction

from . import page_cache

WRITES_KEY = "writes-version"
VERSION_SECONDS = 24 * 3600
_WRITES = ("insert", "update", "delete", "truncate")
# Written on many requests without changing what any page shows.
_NOT_SHOWN = ("django_session",)


# Set when this process keeps a page under the writes version: until then another renewal
# inside a transaction would change nothing anyone has kept, so a loop of writes renews
# once. Only a hint for renewing before the commit; the renewal after it always happens.
_kept_since_renewal = threading.Event()


def renew() -> None:
    _kept_since_renewal.clear()
    cache.set(WRITES_KEY, secrets.token_hex(8), VERSION_SECONDS)


def page_kept() -> None:
    _kept_since_renewal.set()


def current(found: dict) -> str:
    """The version in `found` (a get_many that asked for WRITES_KEY), made if missing."""
    return page_cache.current_random(found, WRITES_KEY, VERSION_SECONDS)


def _is_write(sql: str) -> bool:
    head = sql.lstrip()[:8].lower()
    if not head.startswith(_WRITES):
        return False
    return not any(table in sql[:80] for table in _NOT_SHOWN)


def _renew_after_commit() -> None:
    renew()


def _track(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    # A write that changed no row (a periodic task finding nothing to do) changes no page.
    if isinstance(sql, str) and _is_write(sql) and context["cursor"].rowcount != 0:
        connection = context["connection"]
        if not connection.in_atomic_block:
            renew()
            return result
        # Once per transaction or savepoint, after the commit (a savepoint rolled back
        # drops its callback, so each level keeps its own).
        here = set(connection.savepoint_ids)
        if not any(
            func is _renew_after_commit and sids == here
            for sids, func, _ in connection.run_on_commit
        ):
            transaction.on_commit(_renew_after_commit, using=connection.alias)
        if _kept_since_renewal.is_set():
            renew()
    return result


def track_writes(sender, connection, **kwargs) -> None:
    """connection_created: every query of the connection passes through _track."""
    if _track not in connection.execute_wrappers:
        connection.execute_wrappers.append(_track)
