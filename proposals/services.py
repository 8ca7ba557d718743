"""Writes of the dialogue: proposals, answers, supports, comments, reports and moderation.

Each function checks its rule and raises ProposalError with a message for the user; the
e-mails it causes are written to the outbox in the same transaction."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from allas import audit
from allas.page_cache import content_changed
from allas.services import absolute_url, email_send_templated
from groups.models import Action, DevelopmentGroup
from notifications.models import Kind
from notifications.services import follow_auto, in_languages, notify

from . import permissions
from .models import (
    Comment,
    ModerationDecision,
    Proposal,
    Report,
    StatusChange,
    Support,
    Visibility,
)

Status = Proposal.Status

PROPOSALS_PER_DAY = 5
COMMENTS_PER_HOUR = 30
# This many reports from different people hide an item until a moderator decides.
REPORTS_TO_HIDE = 3
# A proposal left "submitted" this long is listed for the group and reminded once.
ANSWER_WITHIN_DAYS = 30


class ProposalError(Exception):
    """A rule stopped the change; the message is shown to the user as it is."""


class CommentsClosed(ProposalError):
    """The proposal takes no comments (any more): there is no form to keep a text in."""


def _audit(by, verb, obj, *, locality_id, **values) -> None:
    """The ort's group is named on the entry, so its coordinators see it on their page."""
    group = DevelopmentGroup.objects.filter(locality_id=locality_id).first()
    audit.record(actor=by, verb=verb, obj=obj, group=group, values=values)


def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("locality")
        .get(pk=proposal.pk)
    )


# -- proposals ----------------------------------------------------------------------


@transaction.atomic
def proposal_create(*, author, locality, title: str, body: str, goals=()) -> Proposal:
    since = timezone.now() - timedelta(days=1)
    if Proposal.objects.filter(author=author, created_at__gte=since).count() >= PROPOSALS_PER_DAY:
        raise ProposalError(
            _("You can send at most %(n)d proposals a day. Try again tomorrow.")
            % {"n": PROPOSALS_PER_DAY}
        )
    proposal = Proposal.objects.create(
        author=author, locality=locality, title=title.strip(), body=body.strip()
    )
    proposal.goals.set(goals)
    Proposal.objects.filter(pk=proposal.pk).update_search_vectors()
    content_changed()
    StatusChange.objects.create(
        proposal=proposal,
        status=Status.SUBMITTED,
        answered_by=author,
        answered_as=StatusChange.AnsweredAs.AUTHOR,
    )
    follow_auto(user=author, proposal_id=proposal.pk)
    notify(
        kind=Kind.NEW_PROPOSALS,
        event="proposal_new",
        key=f"proposal-new:{proposal.pk}",
        topic=f"proposal:{proposal.pk}",
        cause=proposal,
        title=proposal.title,
        url=proposal.get_absolute_url(),
        locality=locality,
        actor=author,
        text=proposal.body,
    )
    return proposal


@transaction.atomic
def proposal_edit(*, proposal: Proposal, by, title: str, body: str, goals=()) -> Proposal:
    proposal = _lock(proposal)
    if not permissions.can_edit(by, proposal):
        raise ProposalError(
            _("The group has started reviewing the proposal, so it can no longer be changed.")
        )
    proposal.title, proposal.body = title.strip(), body.strip()
    proposal.edited_at = timezone.now()
    proposal.save(update_fields=["title", "body", "edited_at", "changed_at"])
    Proposal.objects.filter(pk=proposal.pk).update_search_vectors()
    proposal.goals.set(goals)
    content_changed()
    return proposal


def _notify_status(proposal: Proposal, change: StatusChange) -> set[int]:
    """The author hears of each status change, in their language: an e-mail they always
    get. Supporters follow the proposal and hear of it as they chose (_tell_followers).
    Returns who was e-mailed."""
    recipients = {}
    if proposal.author_id and proposal.author.is_active:
        recipients[proposal.author_id] = proposal.author
    link = absolute_url(proposal.get_absolute_url())
    for user in recipients.values():
        email_send_templated(
            to=user.email,
            template="proposals/status_changed",
            context={
                "proposal": proposal,
                "change": change,
                "link": link,
                "is_author": user.pk == proposal.author_id,
            },
            language=user.language,
            kind="proposals.status_changed",
            dedup_key=f"proposal-status:{change.pk}:{user.pk}",
            cause=proposal,
        )
    return set(recipients)


def _tell_followers(proposal: Proposal, change: StatusChange, told: set[int]) -> None:
    """The followers of the proposal and of its ort hear of it as they chose; those just
    e-mailed about it are left out."""
    action = proposal.action if proposal.action_id else None
    notify(
        kind=Kind.ANSWERS,
        event="proposal_status",
        key=f"proposal-status:{change.pk}",
        topic=f"proposal:{proposal.pk}",
        cause=proposal,
        title=proposal.title,
        url=proposal.get_absolute_url(),
        locality=proposal.locality,
        proposal_id=proposal.pk,
        actor=change.answered_by,
        exclude_user_ids=told,
        text=change.answer,
        data={
            "status": in_languages(Status(change.status).label),
            "action": action
            and {
                "title": action.title,
                "url": absolute_url(f"{action.plan.get_absolute_url()}#atgard-{action.pk}"),
            },
        },
    )


def _change_status(*, proposal, status, by, answer, answered_as) -> StatusChange:
    now = timezone.now()
    proposal.status = status
    fields = ["status"]
    if answer:
        proposal.answered_at = now
        fields.append("answered_at")
    proposal.save(update_fields=[*fields, "action", "changed_at"])
    content_changed()
    change = StatusChange.objects.create(
        proposal=proposal, status=status, answer=answer, answered_by=by, answered_as=answered_as
    )
    _tell_followers(proposal, change, _notify_status(proposal, change))
    return change


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by) -> Proposal:
    proposal = _lock(proposal)
    if not permissions.can_withdraw(by, proposal):
        raise ProposalError(_("The proposal has been decided and can no longer be withdrawn."))
    _change_status(
        proposal=proposal,
        status=Status.WITHDRAWN,
        by=by,
        answer="",
        answered_as=StatusChange.AnsweredAs.AUTHOR,
    )
    return proposal


@transaction.atomic
def proposal_set_status(
    *, proposal: Proposal, by, status: str, answer: str = "", action: Action | None = None
) -> Proposal:
    """The group (or staff) moves the proposal on and answers in public."""
    proposal = _lock(proposal)
    if not permissions.can_answer(by, proposal):
        raise ProposalError(_("Only the ort's coordinators and the municipality answer proposals."))
    if status not in Proposal.TRANSITIONS.get(proposal.status, ()):
        raise ProposalError(
            _("A proposal that is “%(current)s” cannot be moved to “%(new)s”.")
            % {
                "current": proposal.get_status_display(),
                "new": Status(status).label if status in Status.values else status,
            }
        )
    answer = answer.strip()
    if status in Proposal.NEEDS_ANSWER and not answer:
        raise ProposalError(_("Write a public answer that tells the author and everyone else why."))
    if action is not None:
        if action.plan.group.locality_id != proposal.locality_id:
            raise ProposalError(_("The action must belong to the plan of the proposal's ort."))
        if action.plan.status != action.plan.Status.PUBLISHED:
            # A draft plan is the group's own until it is published: nothing may point to it.
            raise ProposalError(_("Only actions in a published plan can be linked."))
        proposal.action = action
    # Coordinators answer as the group; staff answer in their own name, for the municipality.
    answered_as = (
        StatusChange.AnsweredAs.STAFF
        if permissions.answers_for_the_municipality(by)
        else StatusChange.AnsweredAs.GROUP
    )
    previous = Status(proposal.status).label  # lazy: the entry is written in Swedish
    _change_status(proposal=proposal, status=status, by=by, answer=answer, answered_as=answered_as)
    new = Status(status).label
    verb = audit.Verb.PROPOSAL_STATUS_CHANGED
    _audit(by, verb, proposal, locality_id=proposal.locality_id, old=previous, new=new)
    return proposal


# -- supports and comments ----------------------------------------------------------


@transaction.atomic
def support_toggle(*, proposal: Proposal, user) -> bool:
    """Supports the proposal, or takes the support back. Returns whether it is supported."""
    proposal = _lock(proposal)
    deleted, _detail = Support.objects.filter(proposal=proposal, user=user).delete()
    if deleted:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
        content_changed()
        return False
    if not permissions.can_support(user, proposal, verified=permissions.can_propose(user)):
        raise ProposalError(_("You cannot support this proposal."))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        return True
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    content_changed()
    follow_auto(user=user, proposal_id=proposal.pk)
    return True


@transaction.atomic
def comment_create(*, proposal: Proposal, author, body: str, parent: Comment | None = None):
    proposal = _lock(proposal)
    if not permissions.can_comment(author, proposal, verified=permissions.can_propose(author)):
        raise CommentsClosed(_("Comments are closed for this proposal."))
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ProposalError(_("You can only reply to a comment on the same proposal."))
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: answer the thread
    since = timezone.now() - timedelta(hours=1)
    if Comment.objects.filter(author=author, created_at__gte=since).count() >= COMMENTS_PER_HOUR:
        raise ProposalError(
            _("You can write at most %(n)d comments an hour. Take a break and try again later.")
            % {"n": COMMENTS_PER_HOUR}
        )
    comment = Comment.objects.create(
        proposal=proposal, author=author, parent=parent, body=body.strip()
    )
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    content_changed()
    follow_auto(user=author, proposal_id=proposal.pk)
    notify(
        kind=Kind.COMMENTS,
        event="reply" if parent is not None else "comment",
        key=f"comment:{comment.pk}",
        topic=f"proposal:{proposal.pk}",
        cause=comment,
        title=proposal.title,
        url=comment.get_absolute_url(),
        locality=proposal.locality,
        to_ort_followers=False,
        proposal_id=proposal.pk,
        actor=author,
        text=comment.body,
        data={"author": author.display_name},
    )
    return comment


def comment_edit_closed() -> str:
    """Why a comment can no longer be changed: the service and the edit page say it."""
    return _("A comment can only be changed by its author within %(minutes)d minutes.") % {
        "minutes": permissions.COMMENT_EDIT_MINUTES
    }


@transaction.atomic
def comment_edit(*, comment: Comment, by, body: str) -> Comment:
    if not permissions.can_edit_comment(by, comment):
        raise ProposalError(comment_edit_closed())
    comment.body = body.strip()
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    content_changed()
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by) -> Comment:
    """The text stays stored, as a public record; the page shows that it was removed."""
    if not permissions.can_delete_comment(by, comment):
        raise ProposalError(_("You can only remove your own comments."))
    comment.is_deleted = True
    comment.save(update_fields=["is_deleted"])
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") - 1)
    content_changed()
    return comment


# -- reports and moderation ---------------------------------------------------------


@transaction.atomic
def report_create(
    *, reporter, reason: str, details: str = "", proposal=None, comment=None
) -> Report:
    item = proposal or comment
    if item.author_id == reporter.pk:
        raise ProposalError(_("You cannot report what you have written yourself."))
    target = {"proposal": proposal} if proposal is not None else {"comment": comment}
    locality_id = (proposal or comment.proposal).locality_id
    model = type(item)
    model.objects.select_for_update().filter(pk=item.pk).first()
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, reason=reason, details=details.strip(), **target
            )
    except IntegrityError as exc:
        raise ProposalError(_("You have already reported this.")) from exc
    last_decision = ModerationDecision.objects.filter(**target).order_by("-created_at").first()
    reports = Report.objects.filter(**target)
    if last_decision is not None:
        reports = reports.filter(created_at__gt=last_decision.created_at)
    count = reports.values("reporter").distinct().count()
    if count == 1:
        link = absolute_url(
            item.get_absolute_url() if proposal is not None else comment.get_absolute_url()
        )
        for user in permissions.moderators(locality_id).distinct():
            email_send_templated(
                to=user.email,
                template="proposals/reported",
                context={"report": report, "item": item, "link": link},
                language=user.language,
                kind="proposals.reported",
                dedup_key=f"report-first:{model.__name__}:{item.pk}:{report.pk}:{user.pk}",
                cause=report,
            )
    if count >= REPORTS_TO_HIDE:
        model.objects.filter(pk=item.pk, visibility=Visibility.VISIBLE).update(
            visibility=Visibility.HIDDEN
        )
        content_changed()
    return report


@transaction.atomic
def moderate(*, by, decision: str, reason: str, proposal=None, comment=None):
    item = proposal or comment
    if not permissions.can_answer(by, proposal or comment.proposal):
        raise ProposalError(_("Only the ort's coordinators and the municipality moderate."))
    if not reason.strip():
        raise ProposalError(_("Write the reason for the decision."))
    if decision not in ModerationDecision.Decision.values:
        raise ProposalError(_("Choose restore or remove."))
    visibility = (
        Visibility.VISIBLE
        if decision == ModerationDecision.Decision.RESTORE
        else Visibility.REMOVED
    )
    type(item).objects.filter(pk=item.pk).update(visibility=visibility)
    content_changed()
    target = {"proposal": proposal} if proposal is not None else {"comment": comment}
    made = ModerationDecision.objects.create(
        decision=decision, reason=reason.strip(), moderator=by, **target
    )
    label = ModerationDecision.Decision(decision).label
    locality_id = (proposal or comment.proposal).locality_id
    verb = audit.Verb.PROPOSAL_MODERATED
    _audit(by, verb, item, locality_id=locality_id, decision=label, reason=made.reason)
    return made


# -- reminders ----------------------------------------------------------------------


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
            for user in permissions.moderators(proposal.locality_id).distinct():
                email_send_templated(
                    to=user.email,
                    template="proposals/reminder",
                    context={"proposal": proposal, "link": link, "days": ANSWER_WITHIN_DAYS},
                    language=user.language,
                    kind="proposals.reminder",
                    dedup_key=f"proposal-reminder:{proposal.pk}:{user.pk}",
                    cause=proposal,
                )
            sent += 1
    return sent
