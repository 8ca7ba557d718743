"""The whole network, the demo network meetings and two of the groups' dialogue meetings
(meetings.dialogue.demo) for `make run`: a network delegate in
every group (beside the coordinators from load_demo_groups), the municipality's
representatives and the advisory board, by role and never by real name; the coming meeting
published and its invitation list built (not sent: staff press "Send invitations" in the
admin), with the reports some groups have sent for its booklet; and a meeting held earlier
this year, its invitations answered and its minutes written, so that the year's account
shows the network's participation. Idempotent, reporting on the demo's own meetings; needs
`load_demo` and `load_demo_groups` first."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from allas.demo_days import at, workday_before, workday_in, workday_on_or_after
from allas.management.commands.load_demo import demo_account
from allas.models import SlusGoal
from groups.models import DevelopmentGroup, Membership
from meetings import services
from meetings.dialogue import demo as dialogue_demo
from meetings.models import AgendaItem, GroupReport, Invitation, NetworkMeeting, NetworkRole

DEMO_TITLE = "Nätverksträff för Allas Vimmerby"
HELD_TITLE = "Vårens nätverksträff"
# How the held meeting's invitees answered, in turn: most came.
HELD_ANSWERS = [
    Invitation.Answer.YES,
    Invitation.Answer.YES,
    Invitation.Answer.YES,
    Invitation.Answer.NO,
    Invitation.Answer.YES,
    Invitation.Answer.MAYBE,
    Invitation.Answer.YES,
    Invitation.Answer.PENDING,
]
HELD_MINUTES = (
    "Representanter för grupperna, kommunen och styrgruppen träffades i Stadshuset.\n\n"
    "Grupperna berättade om sina planer för året. Vi kom överens om att dela erfarenheter "
    "av bygdemöten och att nästa träff handlar om tillit och socialt kapital."
)

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
        held, held_new = self._held_meeting()
        # The demo's own meeting, not whichever staff made last.
        meeting = NetworkMeeting.objects.filter(title=DEMO_TITLE).order_by("-starts_at").first()
        if meeting is None:
            meeting = self._meeting()
        added = reports = 0
        if meeting.status == NetworkMeeting.Status.PUBLISHED:
            added = services.invitations_build(meeting=meeting, by=None)
            reports = self._reports(meeting)
        coming = held.invitations.filter(answer=Invitation.Answer.YES).count()
        self.stdout.write(
            f"Demo network: {delegates} new delegates, {roles} new network roles. "
            f"Meeting “{meeting.title}”: {added} people added to the invitation list, "
            f"{meeting.invitations.count()} in all; {reports} new group reports. "
            f"Held meeting “{held.title}” ({'new' if held_new else 'already there'}): "
            f"{coming} of {held.invitations.count()} invited came. "
            f"Dialogue meetings: {dialogue_demo.load()} new."
        )

    def _held_meeting(self) -> tuple[NetworkMeeting, bool]:
        """The network's meeting earlier this year: held, its invitations sent and answered,
        its minutes written. On a working day at least a month ago, in this year (in its
        first weeks, the first working day of the year)."""
        title = f"{HELD_TITLE} {timezone.localdate().year}"
        meeting = NetworkMeeting.objects.filter(title=title).first()
        if meeting is not None:
            return meeting, False
        today = timezone.localdate()
        day = workday_in(-45, 9).date()
        if day.year != today.year:
            day = workday_on_or_after(datetime.date(today.year, 1, 8))
        start = at(day, 9)
        meeting = NetworkMeeting.objects.create(
            title=title,
            theme=SlusGoal.objects.get(slug="leva"),
            purpose="Grupperna delar sina planer för året och vad de behöver av nätverket.",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=5),
            venue="Stadshuset, Vimmerby",
            address="Stora torget",
            rsvp_deadline=workday_before(start, 7),
            report_deadline=workday_before(start, 10),
            status=NetworkMeeting.Status.PUBLISHED,
        )
        services.invitations_build(meeting=meeting, by=None)
        sent = workday_before(start, 21)
        # The invitations went out and were answered before the meeting; then it was held.
        # Written as they stand afterwards: the demo sends no e-mail for the past.
        for n, invitation in enumerate(meeting.invitations.order_by("pk")):
            answer = HELD_ANSWERS[n % len(HELD_ANSWERS)]
            invitation.sent_at = sent
            invitation.answer = answer
            if answer != Invitation.Answer.PENDING:
                invitation.answered_at = workday_before(start, 10 - n % 5)
                invitation.answered_by = Invitation.Source.WEB
            invitation.save(update_fields=["sent_at", "answer", "answered_at", "answered_by"])
        NetworkMeeting.objects.filter(pk=meeting.pk).update(
            status=NetworkMeeting.Status.HELD,
            minutes=HELD_MINUTES,
            minutes_published_at=start + datetime.timedelta(days=2),
        )
        meeting.refresh_from_db()
        return meeting, True

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
            title=DEMO_TITLE,
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
