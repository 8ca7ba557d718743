"""Demo groups for `make run`: a coordinator in every group, some members, one request,
and this year's plans of five groups. Idempotent; needs `load_demo` first."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from allas.demo_days import workday_on_or_after, workday_on_or_before
from allas.management.commands.load_demo import DEMO_PASSWORD, demo_account
from allas.models import AgeBand, SlusGoal, User
from groups.models import DevelopmentGroup, Membership, Plan
from groups.plans import services as plan_services

SECTORS = ["associations", "business", "rural_council", "politician", "resident"]
AGES = [AgeBand.AGE_18_29, AgeBand.AGE_30_49, AgeBand.AGE_50_64, AgeBand.AGE_65_PLUS]

# This year's plans: {ort: (needs, SLUS areas, [(action, area, status, progress, who)])}.
# Some actions answer the demo proposals (proposals.demo links them by title).
PLANS = {
    "storebro": (
        "Trygga vägar för barn och fler mötesplatser för alla åldrar.",
        ["leva", "kontakt"],
        [
            ("Belysning längs cykelvägen", "kontakt", "ongoing", 40, "Gatukontoret"),
            ("Ny lekplats vid skolan", "leva", "planned", 0, "Hembygdsföreningen"),
            ("Städdag i byn", "trivas", "done", 100, "Utvecklingsgruppen"),
        ],
    ),
    "frodinge": (
        "En trygg skolväg och en bygdegård som används mer.",
        ["leva", "motas"],
        [
            ("Tryggare skolväg", "leva", "ongoing", 60, "Samhällsbyggnadsförvaltningen"),
            ("Sommarcafé i bygdegården", "motas", "done", 100, "Bygdegårdsföreningen"),
            ("Byavandring med nyinflyttade", "motas", "planned", 0, "Hembygdsföreningen"),
        ],
    ),
    "gullringen": (
        "Fritid för unga och jobb nära hemmet.",
        ["trivas", "arbeta"],
        [
            ("Utegym vid idrottsplatsen", "trivas", "planned", 0, "Idrottsföreningen"),
            ("Sommarjobb hos ortens företag", "arbeta", "done", 100, "Företagarföreningen"),
        ],
    ),
    "sodra-vi": (
        "Badplatsen och näringslivet ska hålla bygden levande.",
        ["trivas", "verka"],
        [
            ("Bänkar längs stigen till badplatsen", "trivas", "ongoing", 30, "Södra Vi IF"),
            ("Nätverk för ortens företagare", "verka", "done", 100, "Företagarföreningen"),
            ("Digital anslagstavla vid affären", "kontakt", "planned", 0, "Utvecklingsgruppen"),
        ],
    ),
    "tuna": (
        "Mer för unga att göra och stöd till föreningarna.",
        ["motas", "verka"],
        [
            ("Ungdomskväll i bygdegården", "motas", "ongoing", 50, "Tuna IF"),
            ("Träff om föreningsbidrag", "verka", "done", 100, "Utvecklingsgruppen"),
            ("Praktikplatser för gymnasieelever", "arbeta", "planned", 0, "Företagarna"),
        ],
    ),
}


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
        plans = self._demo_plans()
        self.stdout.write(
            f"Demo groups ready, {plans} new plans for {timezone.localdate().year}. "
            "Coordinators: samordnare.<ort>@allas.example, "
            f"e.g. samordnare.storebro@allas.example / {DEMO_PASSWORD}"
        )

    def _demo_plans(self) -> int:
        """This year's plans of some of the groups, published, with actions across the SLUS
        areas in every status, so the year's account has a matrix to draw. Returns how
        many were made now; a group that has this year's plan keeps it as it is."""
        year = timezone.localdate().year
        made = 0
        for slug, (needs, goals, actions) in PLANS.items():
            group = DevelopmentGroup.objects.get(locality__slug=slug)
            if Plan.objects.filter(group=group, year=year).exists():
                continue
            plan = plan_services.plan_create(
                group=group,
                year=year,
                needs=needs,
                goals=SlusGoal.objects.filter(slug__in=goals),
                copy_unfinished=False,
                by=None,
            )
            for title, goal, status, progress, responsible in actions:
                plan_services.action_create(
                    plan=plan,
                    goals=SlusGoal.objects.filter(slug=goal),
                    by=None,
                    title=title,
                    status=status,
                    progress=progress,
                    responsible=responsible,
                    **_dates(status),
                )
            plan_services.plan_set_published(plan=plan, published=True, by=None)
            made += 1
        return made


def _this_year(month: int, day: int) -> datetime.date:
    """A working day of this year near the date given, and not after today."""
    today = timezone.localdate()
    wished = workday_on_or_after(datetime.date(today.year, month, day))
    return min(wished, workday_on_or_before(today))


def _dates(status: str) -> dict:
    """A finished action started in spring and ended before summer; one under way started."""
    if status == "done":
        start = _this_year(3, 2)
        return {"start_date": start, "end_date": max(start, _this_year(5, 25))}
    if status == "ongoing":
        return {"start_date": _this_year(4, 6)}
    return {}
