"""Runs the beat schedule's jobs in-process, for a machine with no broker (`make run`).

With a broker, `celery beat` does this instead. Every job scans the database for what is
due, so running them all on one short interval is harmless."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from allas.celery import app


class Command(BaseCommand):
    help = "Runs the periodic jobs (outbox sweep, reminders) without Celery beat."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60, help="seconds between runs")
        parser.add_argument("--once", action="store_true", help="run every job once and stop")

    def handle(self, *args, interval, once, **options):
        while True:
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
                try:
                    app.tasks[entry["task"]].apply(throw=True)
                except Exception as exc:  # one failing job must not stop the others
                    self.stderr.write(f"{name}: {type(exc).__name__}: {exc}")
            if once:
                return
            time.sleep(interval)
