"""Reminders: the periodic job that finds what is due (answer, days and hours before, the
group report, the booklet's opening; for the groups' dialogue meetings, the reminder to
everyone signed up DIALOGUE_REMINDER_HOURS before) and staff's "remind everyone without an
answer now". Each reminder is claimed first (a unique row, or a sign-up's reminded_at set
from empty), so nothing is sent twice."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from allas.services import absolute_url
from groups.models import Membership

from .. import guards
from ..models import GroupReport, Invitation, NetworkMeeting, ReminderSent, SignUp
from ..words import AuditVerb as Verb
from .common import create_once, lock_meeting, record_audit, refuse_unless_possible
from .emails import meeting_emails_queue

Answer = Invitation.Answer
Kind = ReminderSent.Kind


def _claim(invitation_id: int, kind: str) -> bool:
    """Records the reminder first: the unique constraint lets only one run have it."""
    return create_once(ReminderSent, invitation_id=invitation_id, kind=kind) is not None


def _due(now):
    """(kind, invitations) that are due now, read from the database every run, so a
    moved meeting moves its reminders."""
    base = Invitation.objects.filter(
        meeting__status=NetworkMeeting.Status.PUBLISHED,
        sent_at__isnull=False,
        meeting__starts_at__gt=now,
    ).exclude(answer=Answer.NO)
    rsvp_from = now + timedelta(days=settings.MEETING_RSVP_REMINDER_DAYS)
    days_from = now + timedelta(days=settings.MEETING_REMINDER_DAYS_BEFORE)
    hours_from = now + timedelta(hours=settings.MEETING_REMINDER_HOURS_BEFORE)
    report_from = now + timedelta(days=settings.MEETING_REPORT_REMINDER_DAYS)
    yield (
        Kind.RSVP,
        base.filter(
            answer=Answer.PENDING,
            meeting__rsvp_deadline__gt=now,
            meeting__rsvp_deadline__lte=rsvp_from,
        ),
    )
    yield Kind.DAYS_BEFORE, base.filter(answer=Answer.YES, meeting__starts_at__lte=days_from)
    yield Kind.HOURS_BEFORE, base.filter(answer=Answer.YES, meeting__starts_at__lte=hours_from)
    group_coordinators = base.filter(
        represents=Invitation.Represents.GROUP,
        user_id__in=Membership.objects.coordinators().values("user_id"),
    )
    # The booklet opens at the report deadline: the coordinators are told.
    yield Kind.BOOKLET, group_coordinators.filter(meeting__report_deadline__lte=now)
    yield (
        Kind.REPORT,
        group_coordinators.filter(
            group__isnull=False,
            meeting__report_deadline__gt=now,
            meeting__report_deadline__lte=report_from,
        ).exclude(
            Exists(
                GroupReport.objects.filter(
                    meeting_id=OuterRef("meeting_id"), group_id=OuterRef("group_id")
                )
            )
        ),
    )


def _report_link(meeting, invitation) -> str:
    if not invitation.group_id:
        return ""
    return absolute_url(
        reverse("meeting_report", args=[meeting.pk, invitation.group.locality.slug])
    )


def send_due_reminders(now=None) -> int:
    """The periodic job. Each reminder kind reaches an invitation at most once, and never
    someone who declined; running it twice at once sends nothing twice."""
    now = now or timezone.now()
    sent = 0
    for kind, invitations in _due(now):
        for invitation in invitations.exclude(reminders__kind=kind).select_related(
            "meeting__theme", "user", "group__locality"
        ):
            with transaction.atomic():
                if not _claim(invitation.pk, kind):
                    continue
                meeting = invitation.meeting
                if kind == Kind.BOOKLET:
                    NetworkMeeting.objects.filter(
                        pk=meeting.pk, booklet_notice_at__isnull=True
                    ).update(booklet_notice_at=now)
                meeting_emails_queue(
                    meeting=meeting,
                    invitations=[invitation],
                    template="reminder",
                    key=lambda inv: f"reminder:{inv.pk}:{kind}",
                    ics=kind not in (Kind.REPORT, Kind.BOOKLET),
                    kind=kind,
                    report_link=_report_link(meeting, invitation),
                    booklet_link=absolute_url(
                        reverse("meeting_booklet_token", args=[invitation.token])
                    ),
                )
                sent += 1
    return sent + _remind_signups(now)


def _remind_signups(now) -> int:
    """Everyone with a seat at a published dialogue meeting that starts within
    DIALOGUE_REMINDER_HOURS, once: the claim is an update from empty, which only one run
    can make."""
    due = SignUp.objects.seated().filter(
        reminded_at__isnull=True,
        meeting__status="published",
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + timedelta(hours=settings.DIALOGUE_REMINDER_HOURS),
    )
    sent = 0
    for signup in due.select_related("meeting__group__locality", "user"):
        with transaction.atomic():
            claimed = SignUp.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            meeting_emails_queue(
                meeting=signup.meeting,
                invitations=[signup],
                template="reminder",
                key=lambda s: f"reminder:{s.pk}",
            )
            sent += 1
    return sent


@transaction.atomic
def remind_unanswered_now(*, meeting: NetworkMeeting, by) -> int:
    """Staff's "send a reminder now" to everyone invited who has not answered."""
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guards.why_not_remind, meeting)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    invitees = list(
        meeting.invitations.filter(sent_at__isnull=False, answer=Answer.PENDING).select_related(
            "user"
        )
    )
    ReminderSent.objects.bulk_create(ReminderSent(invitation=i, kind=Kind.MANUAL) for i in invitees)
    meeting_emails_queue(
        meeting=meeting,
        invitations=invitees,
        template="reminder",
        key=lambda inv: f"manual:{inv.pk}:{stamp}",
        kind=Kind.RSVP,
    )
    record_audit(by, Verb.REMINDERS_SENT, meeting, n=len(invitees))
    return len(invitees)
