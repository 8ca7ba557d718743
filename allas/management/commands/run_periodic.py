"""Runs the beat schedule's jobs in-process, for a machine with no broker (`make run`).

With a broker, `celery beat` does this instead. Every job scans the database for what is
due, so running them all on one short interval is harmless."""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from allas.celery import app

logger = logging.getLogger("allas.periodic")


def run_jobs() -> list[str]:
    """Runs every job of the beat schedule once, in this process. A failing job is logged
    with its traceback and does not stop the others; returns the names of those that
    failed."""
    # A worker imports every app's tasks module when it starts; this process is no worker,
    # so without this the jobs are not registered (Celery's NotRegistered).
    app.loader.import_default_modules()
    failed = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        try:
            app.tasks[entry["task"]].apply(throw=True)
        except Exception:
            logger.exception("Periodic job %s (%s) failed", name, entry["task"])
            failed.append(name)
    return failed


class Command(BaseCommand):
    help = "Runs the periodic jobs (outbox sweep, reminders) without Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="seconds between runs")
        parser.add_argument(
            "--once",
            action="store_true",
            help="run every job once and stop; the exit status is 1 when a job failed",
        )

    def handle(self, *args, interval, once, **options):
        while True:
            failed = run_jobs()
            if once:
                if failed:
                    raise CommandError(f"Periodic jobs failed: {', '.join(failed)}")
                return
            time.sleep(interval)
