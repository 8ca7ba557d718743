"""Running a job in two threads at the same moment, each with its own database
connection, as two Celery workers (or beat and a worker) would."""

import threading

import pytest
from django.db import connection, connections


def require_concurrent_database():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")


def run_twice_at_once(job) -> list:
    """Starts `job()` in two threads released together; returns both results."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        barrier.wait()
        try:
            results.append(job())
        except Exception as exc:  # re-raised in the test's own thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
