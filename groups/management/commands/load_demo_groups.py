"""Demo groups for `make run`: a coordinator in every group, some members, one request.
Idempotent; needs `load_demo` first."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from allas.management.commands.load_demo import DEMO_PASSWORD, demo_account
from allas.models import AgeBand, SlusGoal, User
from groups.models import DevelopmentGroup, Membership, Plan
from groups.plans import services as plan_services

SECTORS = ["associations", "business", "rural_council", "politician", "resident"]
AGES = [AgeBand.AGE_18_29, AgeBand.AGE_30_49, AgeBand.AGE_50_64, AgeBand.AGE_65_PLUS]


class Command(BaseCommand):
    help = "Creates demo coordinators, members and a join request (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        for index, group in enumerate(DevelopmentGroup.objects.select_related("locality")):
            slug = group.locality.slug
            coordinator, _ = demo_account(
                f"samordnare.{slug}@allas.example", f"Samordnare {group.locality}"
            )
            Membership.objects.get_or_create(
                user=coordinator,
                group=group,
                defaults={
                    "role": "coordinator",
                    "status": "active",
                    "sector": SECTORS[index % 5],
                    "age_band": AGES[index % 4],
                    "joined_at": now,
                },
            )
            # Some groups are more complete than others, so the overview shows gaps.
            for n in range(index % 4):
                member, _ = demo_account(
                    f"medlem{n + 1}.{slug}@allas.example", f"Medlem {n + 1} {group.locality}"
                )
                Membership.objects.get_or_create(
                    user=member,
                    group=group,
                    defaults={
                        "status": "active",
                        "sector": SECTORS[(index + n + 1) % 5],
                        "age_band": AGES[(index + n + 1) % 4],
                        "joined_at": now,
                    },
                )
        anna = User.objects.get(email="boende1@allas.example")
        storebro = DevelopmentGroup.objects.get(locality__slug="storebro")
        if not Membership.objects.filter(user=anna, group=storebro).exists():
            Membership.objects.create(
                user=anna, group=storebro, sector="resident", age_band=anna.age_band
            )
        if not Plan.objects.exists():
            self._demo_plan(storebro)
        self.stdout.write(
            "Demo groups ready. Coordinators: samordnare.<ort>@allas.example, "
            f"e.g. samordnare.storebro@allas.example / {DEMO_PASSWORD}"
        )

    def _demo_plan(self, group):
        plan = plan_services.plan_create(
            group=group,
            year=timezone.localdate().year,
            needs="Trygga vägar för barn och fler mötesplatser för alla åldrar.",
            goals=SlusGoal.objects.filter(slug__in=["leva", "kontakt"]),
            copy_unfinished=False,
            by=None,
        )
        for title, goal, status, progress in [
            ("Belysning längs cykelvägen", "kontakt", "ongoing", 40),
            ("Ny lekplats vid skolan", "leva", "planned", 0),
        ]:
            plan_services.action_create(
                plan=plan,
                goals=SlusGoal.objects.filter(slug=goal),
                by=None,
                title=title,
                status=status,
                progress=progress,
                responsible="Gatukontoret" if goal == "kontakt" else "Hembygdsföreningen",
            )
        plan_services.plan_set_published(plan=plan, published=True, by=None)
