"""The whole network, a demo network meeting and two of the groups' dialogue meetings
(meetings.dialogue.demo) for `make run`: a network delegate in
every group (beside the coordinators from load_demo_groups), the municipality's
representatives and the advisory board, by role and never by real name; the meeting
published and its invitation list built (not sent: staff press "Send invitations" in the
admin). Idempotent; needs `load_demo` and `load_demo_groups` first."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from allas.management.commands.load_demo import demo_account
from allas.models import SlusGoal
from groups.models import DevelopmentGroup, Membership
from meetings import services
from meetings.dialogue import demo as dialogue_demo
from meetings.models import AgendaItem, NetworkMeeting, NetworkRole

# (address, display name, kind, role title, organisation): roles, not people.
NETWORK_ROLES = [
    (
        "utvecklingschef@allas.example",
        "Utvecklingschef",
        NetworkRole.Kind.MUNICIPALITY,
        "Utvecklingschef",
        "Utvecklingsavdelningen",
    ),
    (
        "landsbygdsutvecklare@allas.example",
        "Landsbygdsutvecklare",
        NetworkRole.Kind.MUNICIPALITY,
        "Landsbygdsutvecklare",
        "Utvecklingsavdelningen",
    ),
    (
        "kommunstyrelsen@allas.example",
        "Kommunstyrelsens ordförande",
        NetworkRole.Kind.MUNICIPALITY,
        "Ordförande",
        "Kommunstyrelsen",
    ),
    (
        "styrgruppen.ordforande@allas.example",
        "Styrgruppens ordförande",
        NetworkRole.Kind.ADVISORY_BOARD,
        "Ordförande",
        "Styrgruppen",
    ),
    (
        "styrgruppen.foreningsliv@allas.example",
        "Ledamot för föreningslivet",
        NetworkRole.Kind.ADVISORY_BOARD,
        "Ledamot",
        "Föreningslivet",
    ),
    (
        "styrgruppen.naringsliv@allas.example",
        "Ledamot för näringslivet",
        NetworkRole.Kind.ADVISORY_BOARD,
        "Ledamot",
        "Näringslivet",
    ),
    (
        "styrgruppen.landsbygdsrad@allas.example",
        "Ledamot för landsbygdsrådet",
        NetworkRole.Kind.ADVISORY_BOARD,
        "Ledamot",
        "Landsbygdsrådet",
    ),
]


class Command(BaseCommand):
    help = "Creates the demo network and a demo network meeting (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        delegates = self._delegates()
        roles = self._network_roles()
        meeting = NetworkMeeting.objects.order_by("-starts_at").first()
        if meeting is None:
            meeting = self._meeting()
        added = 0
        if meeting.status == NetworkMeeting.Status.PUBLISHED:
            added = services.invitations_build(meeting=meeting, by=None)
        self.stdout.write(
            f"Demo network: {delegates} new delegates, {roles} new network roles. "
            f"Meeting “{meeting.title}”: {added} people added to the invitation list, "
            f"{meeting.invitations.count()} in all. "
            f"Dialogue meetings: {dialogue_demo.load()} new."
        )

    def _delegates(self) -> int:
        """One network delegate per group, beside its coordinator."""
        created = 0
        now = timezone.now()
        for group in DevelopmentGroup.objects.select_related("locality"):
            slug = group.locality.slug
            user, _new = demo_account(
                f"ombud.{slug}@allas.example", f"Nätverksombud {group.locality}"
            )
            _membership, new = Membership.objects.get_or_create(
                user=user,
                group=group,
                defaults={
                    "status": Membership.Status.ACTIVE,
                    "sector": "associations",
                    "is_delegate": True,
                    "joined_at": now,
                },
            )
            created += new
        return created

    def _network_roles(self) -> int:
        created = 0
        for email, name, kind, title, organisation in NETWORK_ROLES:
            user, _new = demo_account(email, name)
            _role, new = NetworkRole.objects.get_or_create(
                user=user,
                kind=kind,
                defaults={"role_title": title, "organisation": organisation},
            )
            created += new
        return created

    def _meeting(self) -> NetworkMeeting:
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
        return meeting
