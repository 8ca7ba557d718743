"""Demo content for `make run`: a staff account, a superuser and a few residents.
Idempotent: running it again changes nothing, and it puts right a demo from before in which
the staff account was a superuser."""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from allas.models import AgeBand, Locality, User
from allas.permissions import make_staff_member

STAFF_EMAIL = "personal@allas.example"
# Department staff hold no rights over rights; this account is for managing those.
SUPERUSER_EMAIL = "admin@allas.example"
DEMO_PASSWORD = "allas-demo-2026"  # noqa: S105 - documented in the README, demo only

RESIDENTS = [
    ("boende1@allas.example", "Anna", "storebro", AgeBand.AGE_30_49),
    ("boende2@allas.example", "Erik", "sodra-vi", AgeBand.AGE_65_PLUS),
    ("boende3@allas.example", "Sara", "djursdala", AgeBand.AGE_18_29),
]


def demo_account(email, display_name, **fields):
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name, **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


class Command(BaseCommand):
    help = "Creates the demo staff account, superuser and residents (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        staff, created = demo_account(STAFF_EMAIL, "Utvecklingsavdelningen")
        make_staff_member(staff)
        made = int(created)
        superuser, created = demo_account(SUPERUSER_EMAIL, "Administratör")
        make_staff_member(superuser, superuser=True)
        made += int(created)
        for email, name, slug, age_band in RESIDENTS:
            _user, created = demo_account(
                email,
                name,
                home_locality=Locality.objects.get(slug=slug),
                age_band=age_band,
            )
            made += int(created)
        self.stdout.write(
            f"Demo content ready ({made} new accounts). Staff: {STAFF_EMAIL} / {DEMO_PASSWORD}"
            f", superuser (rights only): {SUPERUSER_EMAIL} / {DEMO_PASSWORD}"
        )
