"""Reads for the staff pages that run the meeting (meetings.staff_views): how the e-mails
are going, each invitation's e-mails, the answers per body, the needs to plan for. Each is
one or two queries whatever the number of invitations."""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas.models import OutboundEmail

from .models import CalendarReply, Invitation, NetworkMeeting

Answer = Invitation.Answer
# Outbox statuses that are not final: while any is left, the progress block polls.
FINAL_STATUSES = {"sent", "failed"}
# What each kind of the meeting's e-mails is, by the outbox row's kind.
EMAIL_WHAT = {
    "meetings.invitation": gettext_lazy("Invitation"),
    "meetings.confirmation": gettext_lazy("Confirmation"),
    "meetings.update": gettext_lazy("New time or place"),
    "meetings.cancelled": gettext_lazy("Cancellation"),
    "meetings.minutes": gettext_lazy("Minutes"),
    "meetings.reminder": gettext_lazy("Reminder"),
}


def meeting_emails(meeting: NetworkMeeting):
    """The outbox rows sent for the meeting's invitations, found by what caused them."""
    return OutboundEmail.objects.filter(
        cause_type=ContentType.objects.get_for_model(Invitation),
        cause_id__in=meeting.invitations.values("pk"),
    )


def emails_by_invitation(meeting: NetworkMeeting) -> dict[int, list[dict]]:
    """Every e-mail about the meeting, under the id of the invitation it was sent for (its
    cause), oldest first: one query."""
    emails: dict[int, list[dict]] = {}
    status_labels = dict(OutboundEmail.Status.choices)
    for email_id, invitation_id, kind, status, attempts, error in (
        meeting_emails(meeting)
        .order_by("id")
        .values_list("pk", "cause_id", "kind", "status", "attempts", "last_error")
    ):
        emails.setdefault(invitation_id, []).append(
            {
                "id": email_id,
                "what": EMAIL_WHAT.get(kind, kind),
                "status": status,
                "status_label": status_labels.get(status, status),
                "attempts": attempts,
                "error": error,
            }
        )
    return emails


def email_progress(meeting: NetworkMeeting) -> dict:
    """The meeting's e-mails per outbox status, in the outbox's own order of statuses
    (whatever statuses the outbox has), and whether any is still on its way."""
    counts = dict(
        meeting_emails(meeting)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    rows = [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in OutboundEmail.Status.choices
    ]
    return {
        "rows": rows,
        "total": sum(counts.values()),
        "failed": counts.get("failed", 0),
        "in_progress": any(row["count"] for row in rows if row["status"] not in FINAL_STATUSES),
    }


def answers_by_body(meeting: NetworkMeeting) -> tuple[list[dict], dict]:
    """For each body invitees represent: invited, coming, maybe, not coming, no answer,
    not sent yet. The last row is the sum."""
    aggregates = {
        "invited": Count("id"),
        # One count per answer, under the answer's own key.
        **{answer: Count("id", filter=Q(answer=answer)) for answer in Answer.values},
        "unsent": Count("id", filter=Q(sent_at__isnull=True)),
    }
    per_body = {
        row["represents"]: row
        for row in meeting.invitations.order_by().values("represents").annotate(**aggregates)
    }
    rows = []
    for value, label in Invitation.Represents.choices:
        row = per_body.get(value, dict.fromkeys(aggregates, 0))
        rows.append({"body": value, "label": label, **{k: row[k] for k in aggregates}})
    total = {k: sum(r[k] for r in rows) for k in aggregates}
    return rows, total


def needs_summary(invitations: list[Invitation]) -> dict:
    """What those coming (or maybe coming) need: each different need once, with how many
    wrote it, so the caterer and the venue get one list."""
    coming = [i for i in invitations if i.answer in (Answer.YES, Answer.MAYBE)]

    def tally(field):
        counter = Counter(
            " ".join(getattr(i, field).split()).capitalize()
            for i in coming
            if getattr(i, field).strip()
        )
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    dietary, accessibility = tally("dietary_needs"), tally("accessibility_needs")
    return {
        "coming": len(coming),
        "dietary": dietary,
        "dietary_people": sum(n for _need, n in dietary),
        "accessibility": accessibility,
        "accessibility_people": sum(n for _need, n in accessibility),
    }


def role_words(text: str) -> str:
    """A person's role as staff read it: each part once, in the order first written.
    A role is its title, the body and the organisation joined with commas, and the body
    and the organisation are often the same ("Ordförande, Styrgruppen, Styrgruppen");
    invitations keep the text they were made with, so it is tidied where it is shown."""
    seen, parts = set(), []
    for part in text.split(","):
        part = " ".join(part.split())
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            parts.append(part)
    return ", ".join(parts)


def grouped_invitations(invitations: list[Invitation]) -> list[dict]:
    """The invitation list in sections, one per body, each with its count."""
    sections = {value: [] for value, _label in Invitation.Represents.choices}
    for invitation in invitations:
        sections.setdefault(invitation.represents, []).append(invitation)
    labels = {
        Invitation.Represents.GROUP: _("The local development groups"),
        Invitation.Represents.MUNICIPALITY: _("The municipality"),
        Invitation.Represents.ADVISORY_BOARD: _("The advisory board"),
        Invitation.Represents.GUEST: _("Guests"),
    }
    return [
        {"body": body, "label": labels.get(body, body), "invitations": rows}
        for body, rows in sections.items()
        if rows
    ]


def calendar_reply_counts(meeting: NetworkMeeting) -> dict:
    return CalendarReply.objects.filter(invitation__meeting=meeting).aggregate(
        recorded=Count("id", filter=Q(outcome=CalendarReply.Outcome.RECORDED)),
        ignored=Count("id", filter=Q(outcome=CalendarReply.Outcome.IGNORED)),
    )
