"""The whole network, a demo network meeting and two of the groups' dialogue meetings
(meetings.dialogue.demo) for `make run`: a network delegate in
every group (beside the coordinators from load_demo_groups), the municipality's
representatives and the advisory board, by role and never by real name; the meeting
published and its invitation list built (not sent: staff press "Send invitations" in the
admin), with the reports some groups have sent for its booklet. Idempotent; needs
`load_demo` and `load_demo_groups` first."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from allas.demo_days import workday_before, workday_in
from allas.management.commands.load_demo import demo_account
from allas.models import SlusGoal
from groups.models import DevelopmentGroup, Membership
from meetings import services
from meetings.dialogue import demo as dialogue_demo
from meetings.models import AgendaItem, GroupReport, NetworkMeeting, NetworkRole

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

# The groups that have sent their report for the meeting's booklet, and what they learned.
REPORTS = [
    ("storebro", "Workshopen om planen samlade 17 personer, fler än vi trodde."),
    ("frodinge", "Sommarcaféet i bygdegården gav oss nya medlemmar i gruppen."),
    ("sodra-vi", "Företagarnas nätverk träffas nu varje månad."),
    ("tuna", "Ungdomskvällarna är populära, men vi behöver fler vuxna som hjälper till."),
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
        added = reports = 0
        if meeting.status == NetworkMeeting.Status.PUBLISHED:
            added = services.invitations_build(meeting=meeting, by=None)
            reports = self._reports(meeting)
        self.stdout.write(
            f"Demo network: {delegates} new delegates, {roles} new network roles. "
            f"Meeting “{meeting.title}”: {added} people added to the invitation list, "
            f"{meeting.invitations.count()} in all; {reports} new group reports. "
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

    def _reports(self, meeting) -> int:
        """Some groups have already sent their report for the booklet, from their plans."""
        made = 0
        for slug, experiences in REPORTS:
            group = DevelopmentGroup.objects.get(locality__slug=slug)
            if GroupReport.objects.filter(meeting=meeting, group=group).exists():
                continue
            coordinator = Membership.objects.coordinators().filter(group=group).first()
            report = services.report_submit(
                meeting=meeting,
                group=group,
                by=coordinator.user if coordinator else None,
                experiences=experiences,
                plans=services.report_prefill(group),
            )
            # Sent on the last working day, as the demo's other dates are.
            sent = workday_in(-1 - made, 10 + made)
            GroupReport.objects.filter(pk=report.pk).update(submitted_at=sent, updated_at=sent)
            made += 1
        return made

    def _meeting(self) -> NetworkMeeting:
        # On working days, as the network's meetings and deadlines are.
        start = workday_in(21, 9)
        meeting = NetworkMeeting.objects.create(
            title="Nätverksträff för Allas Vimmerby",
            theme=SlusGoal.objects.get(slug="motas"),
            purpose="Vi inspireras och delar erfarenheter och planer mellan orterna.",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            venue="Stadshuset, Vimmerby",
            address="Stora torget",
            rsvp_deadline=workday_before(start, 7),
            report_deadline=workday_before(start, 10),
            status=NetworkMeeting.Status.PUBLISHED,
        )
        for hour, title in [(9, "Välkommen"), (10, "Grupperna berättar"), (13, "Workshop")]:
            AgendaItem.objects.create(meeting=meeting, time=datetime.time(hour), title=title)
        return meeting
