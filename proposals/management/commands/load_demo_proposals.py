"""Demo proposals for `make run` and their way to the municipality's decision
(proposals.demo): answered and waiting proposals in several orter, one lifted to the
municipality, one registered, decisions with their minutes, and the list of committees.
Idempotent; needs `load_demo`, `load_demo_groups` and `load_demo_meetings` first."""

from django.core.management.base import BaseCommand
from django.db import transaction

from proposals import demo


class Command(BaseCommand):
    help = "Creates demo proposals and their cases at the municipality (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        counts = demo.load()
        self.stdout.write(
            "Demo proposals: {made} new, {found} already there. At the municipality: "
            "{lifted} lifted, {registered} registered, {decided} decided. "
            "Committees and offices: {committees} new.".format(**counts)
        )
