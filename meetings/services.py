"""Writes of the network meeting: the roster, invitations, answers, reminders, changes,
group reports and minutes. E-mails go through the outbox, each with a uniqueness key, so
nothing is sent twice whoever presses a button twice or whatever a worker redelivers."""

import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas import audit
from allas.page_cache import content_changed
from allas.services import absolute_url, email_queue_many, render_email
from groups.models import Membership, Plan
from notifications.models import Kind as NoticeKind
from notifications.services import notify

from . import calendar, permissions
from .models import (
    SELECTOR_LENGTH,
    GroupReport,
    Invitation,
    NetworkMeeting,
    NetworkRole,
    ReminderSent,
)

Status = NetworkMeeting.Status
Answer = Invitation.Answer
Kind = ReminderSent.Kind
Verb = audit.Verb


class MeetingError(Exception):
    """A rule stopped the change; the message is shown to the user as it is."""


def _local(moment) -> str:
    """ "13 december 2026 kl. 18.30" in the active language."""
    from django.utils.formats import date_format

    moment = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": date_format(moment, "j F Y"),
        "time": moment.strftime("%H.%M"),
    }


def _audit(by, verb, obj, *, group=None, summary=None, **values) -> None:
    audit.record(actor=by, verb=verb, obj=obj, group=group, summary=summary, values=values)


def _lock(meeting: NetworkMeeting) -> NetworkMeeting:
    return (
        NetworkMeeting.objects.select_for_update(of=("self",))
        .select_related("theme")
        .get(pk=meeting.pk)
    )


def _language(invitation: Invitation) -> str:
    return invitation.user.language if invitation.user_id else settings.LANGUAGE_CODE


def _ics_attachment(meeting, invitation, *, cancelled=False, shared=None) -> list[dict]:
    shared = shared or calendar.meeting_ics(meeting, cancelled=cancelled)
    return [
        {
            "filename": "natverksmote.ics",
            "content": calendar.personal_ics(shared, invitation),
            "mimetype": "text/calendar; method=%s; charset=utf-8"
            % ("CANCEL" if cancelled else "REQUEST"),
        }
    ]


def _email(
    meeting, invitation, *, template, key, ics=False, cancelled=False, shared_ics=None, **extra
) -> dict:
    context = {
        "meeting": meeting,
        "invitation": invitation,
        "answer_link": absolute_url(invitation.get_answer_url()),
        "meeting_link": absolute_url(meeting.get_absolute_url()),
        **extra,
    }
    row = render_email(
        template=f"meetings/{template}", context=context, language=_language(invitation)
    )
    row.update(
        to=invitation.email,
        kind=f"meetings.{template}",
        dedup_key=f"meeting:{meeting.pk}:{key}",
        # Staff follow each e-mail back to the invitation it was sent for.
        cause=invitation,
        attachments=(
            _ics_attachment(meeting, invitation, cancelled=cancelled, shared=shared_ics)
            if ics
            else []
        ),
    )
    return row


# -- the roster and the invitation list --------------------------------------------


def roster() -> list[dict]:
    """The network: every group's coordinators and delegates, and the people staff have
    given a network role. One entry per person; a group role comes first."""
    entries: dict[int, dict] = {}
    memberships = (
        Membership.objects.active()
        .filter(Q(role=Membership.Role.COORDINATOR) | Q(is_delegate=True))
        .select_related("user", "group__locality")
        .order_by("group__locality__name", "-role", "user__display_name")
    )
    for m in memberships:
        if m.user_id in entries or not m.user.is_active:
            continue
        what = _("Coordinator") if m.role == Membership.Role.COORDINATOR else _("Network delegate")
        entries[m.user_id] = {
            "user": m.user,
            "represents": Invitation.Represents.GROUP,
            "group": m.group,
            "role_description": f"{what}, {m.group.name}",
        }
    for role in NetworkRole.objects.filter(active=True, user__is_active=True).select_related(
        "user"
    ):
        if role.user_id in entries:
            continue
        entries[role.user_id] = {
            "user": role.user,
            "represents": (
                Invitation.Represents.MUNICIPALITY
                if role.kind == NetworkRole.Kind.MUNICIPALITY
                else Invitation.Represents.ADVISORY_BOARD
            ),
            "group": None,
            "role_description": role.description,
        }
    return list(entries.values())


@transaction.atomic
def invitations_build(*, meeting: NetworkMeeting, by) -> int:
    """Adds everyone in the roster who is not yet invited. Returns how many were added."""
    meeting = _lock(meeting)
    if meeting.status in (Status.CANCELLED, Status.HELD):
        raise MeetingError(_("The meeting is cancelled or already held."))
    invited = set(meeting.invitations.values_list("email", flat=True))
    new = []
    for entry in roster():
        email = entry["user"].email.lower()
        if email in invited:
            continue
        invited.add(email)
        new.append(
            Invitation(
                meeting=meeting,
                user=entry["user"],
                name=entry["user"].display_name,
                email=email,
                represents=entry["represents"],
                group=entry["group"],
                role_description=entry["role_description"],
            )
        )
    Invitation.objects.bulk_create(new, batch_size=500)
    _audit(by, Verb.INVITATIONS_BUILT, meeting, n=len(new))
    return len(new)


@transaction.atomic
def invitation_add_guest(*, meeting: NetworkMeeting, name: str, email: str, by) -> Invitation:
    meeting = _lock(meeting)
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise MeetingError(_("Write the guest's name."))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise MeetingError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email}
        ) from exc
    if meeting.status in (Status.CANCELLED, Status.HELD):
        raise MeetingError(_("The meeting is cancelled or already held."))
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                meeting=meeting,
                name=name,
                email=email,
                represents=Invitation.Represents.GUEST,
                role_description=_("Guest"),
            )
    except IntegrityError as exc:
        raise MeetingError(_("%(email)s is already invited.") % {"email": email}) from exc
    _audit(by, Verb.GUEST_INVITED, invitation, meeting=meeting.title)
    return invitation


def _require_sendable(meeting: NetworkMeeting) -> None:
    if meeting.status == Status.CANCELLED:
        raise MeetingError(_("The meeting is cancelled. Nothing was sent."))
    if meeting.status == Status.HELD:
        raise MeetingError(_("The meeting has already been held. Nothing was sent."))
    if meeting.status != Status.PUBLISHED:
        raise MeetingError(_("Publish the meeting before you send invitations."))


@transaction.atomic
def invitations_send(*, meeting: NetworkMeeting, by) -> int:
    """Sends every invitation not sent yet. Returns how many were sent now."""
    meeting = _lock(meeting)
    _require_sendable(meeting)
    unsent = list(meeting.invitations.filter(sent_at__isnull=True).select_related("user"))
    agenda = list(meeting.agenda.all())
    shared = calendar.meeting_ics(meeting)
    rows = [
        _email(
            meeting,
            inv,
            template="invitation",
            key=f"invitation:{inv.pk}",
            ics=True,
            shared_ics=shared,
            agenda=agenda,
        )
        for inv in unsent
    ]
    email_queue_many(rows)
    Invitation.objects.filter(pk__in=[inv.pk for inv in unsent]).update(sent_at=timezone.now())
    _audit(by, Verb.INVITATIONS_SENT, meeting, n=len(unsent))
    return len(unsent)


# -- answering ---------------------------------------------------------------------


# An answer link stops working this long after its meeting ended.
ANSWER_LINK_DAYS_AFTER_MEETING = 30


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a token belongs to. The selector finds the row; the rest is compared
    in constant time, so response times reveal nothing about other tokens. Tokens of
    meetings that ended more than ANSWER_LINK_DAYS_AFTER_MEETING ago no longer work."""
    if len(token) != SELECTOR_LENGTH + 32:
        return None
    invitation = (
        Invitation.objects.select_related("meeting__theme")
        .filter(token__startswith=token[:SELECTOR_LENGTH])
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token, token):
        return None
    if invitation.meeting.status == Status.DRAFT:
        return None
    expired = timezone.now() - timedelta(days=ANSWER_LINK_DAYS_AFTER_MEETING)
    if invitation.meeting.ends_at < expired:
        return None
    return invitation


WEB_ANSWERS = (Answer.YES, Answer.NO)
Source = Invitation.Source


@transaction.atomic
def invitation_answer(
    *,
    invitation: Invitation,
    answer: str,
    dietary_needs: str = "",
    accessibility_needs: str = "",
    source: str = Source.WEB,
) -> Invitation:
    """Records an answer given on the answer page or by a calendar program, and sends a
    confirmation when it changed. `invitation.changed` tells whether it did."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting__theme", "user")
        .get(pk=invitation.pk)
    )
    if not permissions.can_answer_invitation(invitation):
        raise MeetingError(
            _("The last day to answer has passed. Contact the development department instead.")
        )
    allowed = (Answer.YES, Answer.NO, Answer.MAYBE) if source == Source.CALENDAR else WEB_ANSWERS
    if answer not in allowed:
        raise MeetingError(_("Answer yes or no."))
    if source == Source.CALENDAR:
        # A calendar says only yes, no or maybe: the needs written on the page stay.
        dietary_needs, accessibility_needs = (
            invitation.dietary_needs,
            invitation.accessibility_needs,
        )
    if answer == Answer.NO:
        dietary_needs = accessibility_needs = ""
    new = (answer, dietary_needs.strip(), accessibility_needs.strip())
    invitation.changed = new != (
        invitation.answer,
        invitation.dietary_needs,
        invitation.accessibility_needs,
    )
    if not invitation.changed:
        return invitation
    invitation.answer, invitation.dietary_needs, invitation.accessibility_needs = new
    invitation.answered_at = timezone.now()
    invitation.answered_by = source
    invitation.answer_version += 1
    invitation.save()
    meeting = invitation.meeting
    # The confirmation carries the calendar file with the invitee's own PARTSTAT, so the
    # calendar shows the answer however it was given; a changed answer sends a new one.
    email_queue_many(
        [
            _email(
                meeting,
                invitation,
                template="confirmation",
                key=f"answer:{invitation.pk}:{invitation.answer_version}",
                ics=True,
                agenda=list(meeting.agenda.all()),
            )
        ]
    )
    return invitation


# -- changes, cancellation, minutes ------------------------------------------------

# What invitees are told about when it changes.
TIME_AND_PLACE = ("starts_at", "ends_at", "venue", "address", "online_link")


def _told(meeting):
    """Invitees who got the invitation and have not declined."""
    return meeting.invitations.filter(sent_at__isnull=False).exclude(answer=Answer.NO)


@transaction.atomic
def meeting_changed(*, meeting: NetworkMeeting, before: dict, by) -> int:
    """Called after staff saved the meeting: if time or place changed on a published
    meeting, everyone told gets an update with a calendar file of a higher SEQUENCE."""
    changed = [f for f in TIME_AND_PLACE if before.get(f) != getattr(meeting, f)]
    if not changed or meeting.status != Status.PUBLISHED:
        return 0
    _audit(by, Verb.MEETING_CHANGED, meeting, fields=audit.field_names(NetworkMeeting, changed))
    meeting = _lock(meeting)
    invitees = list(_told(meeting).select_related("user"))
    if not invitees:
        return 0
    meeting.sequence += 1
    meeting.save(update_fields=["sequence"])
    shared = calendar.meeting_ics(meeting)
    email_queue_many(
        [
            _email(
                meeting,
                inv,
                template="update",
                key=f"update:{inv.pk}:{meeting.sequence}",
                ics=True,
                shared_ics=shared,
                changes=_changes(before, meeting, changed, _language(inv)),
            )
            for inv in invitees
        ]
    )
    return len(invitees)


def _changes(before: dict, meeting, fields, language) -> list[dict]:
    """What changed, "was → is now", in the invitee's language. The start and the end
    are told as the time of the meeting together."""
    from django.utils import translation
    from django.utils.formats import date_format

    def when(starts, ends):
        if not starts or not ends:
            return ""
        starts, ends = timezone.localtime(starts), timezone.localtime(ends)
        day = date_format(starts, "l j F Y")
        return _("%(day)s at %(start)s–%(end)s") % {
            "day": day,
            "start": starts.strftime("%H.%M"),
            "end": ends.strftime("%H.%M"),
        }

    with translation.override(language):
        rows = []
        if "starts_at" in fields or "ends_at" in fields:
            rows.append(
                {
                    "what": _("Time"),
                    "was": when(before.get("starts_at"), before.get("ends_at")),
                    "now": when(meeting.starts_at, meeting.ends_at),
                }
            )
        labels = {"venue": _("Venue"), "address": _("Address"), "online_link": _("Online link")}
        for name, label in labels.items():
            if name in fields:
                rows.append(
                    {
                        "what": label,
                        "was": before.get(name) or "–",
                        "now": getattr(meeting, name) or "–",
                    }
                )
        return rows


@transaction.atomic
def meeting_cancel(*, meeting: NetworkMeeting, reason: str, by) -> int:
    """Cancels the meeting and tells everyone invited why, with a calendar file that
    removes it."""
    meeting = _lock(meeting)
    if meeting.status in (Status.CANCELLED, Status.HELD):
        raise MeetingError(_("The meeting is cancelled or already held."))
    reason = reason.strip()
    if not reason:
        raise MeetingError(_("Write why the meeting is cancelled: the invitees are told."))
    was_published = meeting.status == Status.PUBLISHED
    meeting.status = Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "cancel_reason"])
    content_changed()
    _audit(by, Verb.MEETING_CANCELLED, meeting, reason=reason)
    if not was_published:
        return 0
    invitees = list(_told(meeting).select_related("user"))
    shared = calendar.meeting_ics(meeting, cancelled=True)
    email_queue_many(
        [
            _email(
                meeting,
                inv,
                template="cancelled",
                key=f"cancel:{inv.pk}",
                ics=True,
                cancelled=True,
                shared_ics=shared,
            )
            for inv in invitees
        ]
    )
    return len(invitees)


@transaction.atomic
def meeting_publish(*, meeting: NetworkMeeting, by) -> NetworkMeeting:
    meeting = _lock(meeting)
    if meeting.status != Status.DRAFT:
        raise MeetingError(_("Only a draft can be published."))
    meeting.status = Status.PUBLISHED
    meeting.save(update_fields=["status"])
    content_changed()
    _audit(by, Verb.MEETING_PUBLISHED, meeting)
    notify(
        kind=NoticeKind.MEETINGS,
        event="meeting_published",
        key=f"meeting-published:{meeting.pk}",
        topic=f"meeting:{meeting.pk}",
        cause=meeting,
        title=meeting.title,
        url=meeting.get_absolute_url(),
        all_ort_followers=True,
        actor=by,
    )
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: NetworkMeeting, by) -> NetworkMeeting:
    meeting = _lock(meeting)
    if meeting.status != Status.PUBLISHED:
        raise MeetingError(_("Only a published meeting can be marked as held."))
    if not meeting.has_started():
        raise MeetingError(
            _("The meeting has not started yet. You can mark it as held from %(when)s.")
            % {"when": _local(meeting.starts_at)}
        )
    meeting.status = Status.HELD
    meeting.save(update_fields=["status"])
    content_changed()
    _audit(by, Verb.MEETING_HELD, meeting)
    return meeting


@transaction.atomic
def minutes_publish(*, meeting: NetworkMeeting, by) -> int:
    """Publishes the minutes and tells everyone who came."""
    meeting = _lock(meeting)
    if meeting.status != Status.HELD:
        raise MeetingError(_("Mark the meeting as held before you publish the minutes."))
    if not meeting.minutes.strip():
        raise MeetingError(_("Write the minutes first."))
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    content_changed()
    attendees = list(meeting.invitations.filter(answer=Answer.YES).select_related("user"))
    email_queue_many(
        [_email(meeting, inv, template="minutes", key=f"minutes:{inv.pk}") for inv in attendees]
    )
    _audit(by, Verb.MINUTES_PUBLISHED, meeting, n=len(attendees))
    return len(attendees)


# -- reminders ---------------------------------------------------------------------


def _claim(invitation_id: int, kind: str) -> bool:
    """Records the reminder first: the unique constraint lets only one run have it."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(invitation_id=invitation_id, kind=kind)
    except IntegrityError:
        return False
    return True


def _due(now):
    """(kind, invitations) that are due now, read from the database every run, so a
    moved meeting moves its reminders."""
    base = Invitation.objects.filter(
        meeting__status=Status.PUBLISHED, sent_at__isnull=False, meeting__starts_at__gt=now
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
    coordinators = Membership.objects.coordinators().values("user_id")
    # The booklet opens at the report deadline: the coordinators are told.
    yield (
        Kind.BOOKLET,
        base.filter(
            represents=Invitation.Represents.GROUP,
            user_id__in=coordinators,
            meeting__report_deadline__lte=now,
        ),
    )
    yield (
        Kind.REPORT,
        base.filter(
            represents=Invitation.Represents.GROUP,
            group__isnull=False,
            user_id__in=coordinators,
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
                email_queue_many(
                    [
                        _email(
                            meeting,
                            invitation,
                            template="reminder",
                            key=f"reminder:{invitation.pk}:{kind}",
                            ics=kind not in (Kind.REPORT, Kind.BOOKLET),
                            kind=kind,
                            report_link=_report_link(meeting, invitation),
                            booklet_link=absolute_url(
                                reverse("meeting_booklet_token", args=[invitation.token])
                            ),
                        )
                    ]
                )
                sent += 1
    return sent


@transaction.atomic
def remind_unanswered_now(*, meeting: NetworkMeeting, by) -> int:
    """Staff's "send a reminder now" to everyone invited who has not answered."""
    meeting = _lock(meeting)
    _require_sendable(meeting)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    invitees = list(
        meeting.invitations.filter(sent_at__isnull=False, answer=Answer.PENDING).select_related(
            "user"
        )
    )
    ReminderSent.objects.bulk_create(ReminderSent(invitation=i, kind=Kind.MANUAL) for i in invitees)
    email_queue_many(
        [
            _email(
                meeting,
                inv,
                template="reminder",
                key=f"manual:{inv.pk}:{stamp}",
                ics=True,
                kind=Kind.RSVP,
            )
            for inv in invitees
        ]
    )
    _audit(by, Verb.REMINDERS_SENT, meeting, n=len(invitees))
    return len(invitees)


# -- network roles -----------------------------------------------------------------


@transaction.atomic
def network_roles_set_active(*, roles, active: bool, by) -> int:
    """Retires or reinstates network roles. A retired role is left out of the next
    invitation list; invitations already made stay as they are."""
    changed = list(roles.exclude(active=active))
    NetworkRole.objects.filter(pk__in=[role.pk for role in changed]).update(active=active)
    reinstated = gettext_lazy("Reinstated the network role.") if active else None
    for role in changed:
        _audit(by, Verb.NETWORK_ROLES_CHANGED, role, summary=reinstated)
    return len(changed)


# -- group reports -----------------------------------------------------------------


def report_prefill(group) -> str:
    """The group's current plan actions, as a starting point for the report."""
    plan = Plan.objects.filter(group=group).order_by("-year").first()
    if plan is None:
        return ""
    lines = [
        f"- {a.title} ({a.get_status_display().lower()}, {a.progress} %)"
        for a in plan.actions.all()
    ]
    return "\n".join(lines)


@transaction.atomic
def report_submit(*, meeting, group, by, experiences: str, plans: str, wishes: str = ""):
    meeting = _lock(meeting)
    if meeting.status != Status.PUBLISHED:
        raise MeetingError(
            _("Reports can only be sent for a published meeting that is not held yet.")
        )
    now = timezone.now()
    report, created = GroupReport.objects.get_or_create(
        meeting=meeting,
        group=group,
        defaults={
            "experiences": experiences.strip(),
            "plans": plans.strip(),
            "wishes": wishes.strip(),
            "submitted_by": by,
            "submitted_at": now,
            "updated_at": now,
        },
    )
    if not created:
        report.experiences, report.plans, report.wishes = (
            experiences.strip(),
            plans.strip(),
            wishes.strip(),
        )
        report.submitted_by, report.updated_at = by, now
        report.save()
    changed = (
        None if created else gettext_lazy("Changed the group's report to the network meeting.")
    )
    _audit(by, Verb.GROUP_REPORT_SUBMITTED, report, group=group, summary=changed)
    return report
