"""Demo proposals for `make run`, with supports, comments and an answer; Storebro's is
tied to the workshop where it was raised. Idempotent; needs `load_demo`,
`load_demo_groups` and `load_demo_meetings` first."""

from django.core.management.base import BaseCommand
from django.db import transaction

from allas.models import Locality, SlusGoal, User
from groups.models import DialogueMeeting
from proposals import services
from proposals.models import Proposal

PROPOSALS = [
    ("storebro", "Belysning längs cykelvägen till skolan", "Det är mörkt på kvällarna.", "kontakt"),
    ("sodra-vi", "Fler bänkar vid badplatsen", "Äldre vill kunna vila på vägen ner.", "trivas"),
    ("djursdala", "Gemensam bokbytarhylla i bygdegården", "Ett enkelt sätt att mötas.", "motas"),
]


class Command(BaseCommand):
    help = "Creates demo proposals (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        residents = list(User.objects.filter(email__startswith="boende").order_by("email"))
        if len(residents) < 3 or Proposal.objects.exists():
            self.stdout.write("Demo proposals already there (or no residents yet).")
            return
        for index, (slug, title, body, goal) in enumerate(PROPOSALS):
            author = residents[index]
            proposal = services.proposal_create(
                author=author,
                locality=Locality.objects.get(slug=slug),
                title=title,
                body=body,
                goals=SlusGoal.objects.filter(slug=goal),
            )
            supporter = residents[(index + 1) % 3]
            services.support_toggle(proposal=proposal, user=supporter)
            services.comment_create(proposal=proposal, author=supporter, body="Bra idé!")
        storebro = Proposal.objects.get(locality__slug="storebro")
        coordinator = User.objects.get(email="samordnare.storebro@allas.example")
        services.proposal_set_status(
            proposal=storebro,
            by=coordinator,
            status="under_review",
            answer="Vi tar upp förslaget på nästa möte.",
        )
        workshop = DialogueMeeting.objects.filter(
            group__locality__slug="storebro", status=DialogueMeeting.Status.HELD
        ).first()
        if workshop is not None:
            services.proposal_set_raised_at(proposal=storebro, by=coordinator, raised_at=workshop)
        self.stdout.write("Demo proposals ready.")
