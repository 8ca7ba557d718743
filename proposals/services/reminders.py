"""Proposals left unanswered: the list the group sees, and the one reminder each."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from allas.services import absolute_url

from ..models import Proposal
from .common import email_moderators

Status = Proposal.Status

# A proposal left "submitted" this long is listed for the group and reminded once.
ANSWER_WITHIN_DAYS = 30


def overdue(now=None):
    """Proposals still "submitted" after ANSWER_WITHIN_DAYS."""
    now = now or timezone.now()
    return Proposal.objects.filter(
        status=Status.SUBMITTED, created_at__lte=now - timedelta(days=ANSWER_WITHIN_DAYS)
    )


def send_due_reminders(now=None) -> int:
    """One reminder per overdue proposal, to the ort's coordinators and staff. Safe to run
    twice at once: each proposal is claimed by a conditional update before it is sent."""
    now = now or timezone.now()
    sent = 0
    for proposal_id in (
        overdue(now).filter(reminder_sent_at__isnull=True).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            claimed = Proposal.objects.filter(pk=proposal_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            proposal = Proposal.objects.select_related("locality").get(pk=proposal_id)
            link = absolute_url(proposal.get_absolute_url())
            email_moderators(
                locality_id=proposal.locality_id,
                template="proposals/reminder",
                context={"proposal": proposal, "link": link, "days": ANSWER_WITHIN_DAYS},
                kind="proposals.reminder",
                dedup_key=f"proposal-reminder:{proposal.pk}",
                cause=proposal,
            )
            sent += 1
    return sent
