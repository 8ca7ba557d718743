"""A demo network meeting for `make run`, published and with its invitation list built
(not sent: staff press "Send invitations" in the admin). Idempotent."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from allas.models import SlusGoal
from meetings import services
from meetings.models import AgendaItem, NetworkMeeting


class Command(BaseCommand):
    help = "Creates a demo network meeting (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        if NetworkMeeting.objects.exists():
            self.stdout.write("A network meeting already exists.")
            return
        start = (timezone.localtime() + datetime.timedelta(days=21)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        meeting = NetworkMeeting.objects.create(
            title="Nätverksträff för Allas Vimmerby",
            theme=SlusGoal.objects.get(slug="motas"),
            purpose="Vi inspireras och delar erfarenheter och planer mellan orterna.",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            venue="Stadshuset, Vimmerby",
            address="Stora torget",
            rsvp_deadline=start - datetime.timedelta(days=7),
            report_deadline=start - datetime.timedelta(days=10),
            status=NetworkMeeting.Status.PUBLISHED,
        )
        for hour, title in [(9, "Välkommen"), (10, "Grupperna berättar"), (13, "Workshop")]:
            AgendaItem.objects.create(meeting=meeting, time=datetime.time(hour), title=title)
        added = services.invitations_build(meeting=meeting, by=None)
        self.stdout.write(f"Demo meeting ready with {added} people on the invitation list.")
