"""Writes of the groups app: joining, deciding, managing members and the group page.

Every function records what it did (MembershipEvent) and writes its e-mails to the outbox
in the same transaction. Rules that are broken raise GroupError with a message for the user.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas import audit
from allas.outcomes import Refused
from allas.page_cache import renews_public_content
from allas.services import absolute_url, email_send_templated
from notifications.follows import follow_auto

from .models import DevelopmentGroup, Membership, MembershipEvent
from .permissions import is_last_coordinator
from .words import AUDIT_SUMMARIES
from .words import AuditVerb as Verb

Status = Membership.Status
Role = Membership.Role
Action = MembershipEvent.Action


class GroupError(Refused):
    """A rule stopped the change; the message is shown to the user as it is."""


def _record(*, group, membership, actor, action, **details):
    MembershipEvent.objects.create(
        group=group, membership=membership, actor=actor, action=action, details=details
    )


def _audit(by, verb, membership, *, summary=None, **values) -> None:
    audit.record(
        actor=by,
        verb=verb,
        obj=membership,
        locality_id=membership.group.locality_id,
        summary=summary,
        values=values,
    )


def _lock(membership: Membership) -> Membership:
    """Locks the membership's group, then re-reads the membership. Every change to a
    group's members takes the group's lock first, so two coordinators demoting each other
    at the same moment are served one after the other, and the second is refused."""
    DevelopmentGroup.objects.select_for_update().filter(pk=membership.group_id).first()
    return Membership.objects.select_related("group__locality", "user").get(pk=membership.pk)


def _ensure_other_coordinator(membership: Membership, message) -> None:
    if is_last_coordinator(membership):
        raise GroupError(message)


@transaction.atomic
@renews_public_content
def membership_request(
    *, user, group: DevelopmentGroup, sector: str, age_band: str, motivation: str = ""
) -> Membership:
    if Membership.objects.current().filter(user=user, group=group).exists():
        raise GroupError(_("You are already a member of this group or have already asked to join."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                group=group,
                sector=sector,
                age_band=age_band,
                motivation=motivation.strip(),
            )
    except IntegrityError as exc:  # a second request in the same instant
        raise GroupError(
            _("You are already a member of this group or have already asked to join.")
        ) from exc
    _record(group=group, membership=membership, actor=user, action=Action.REQUESTED)
    link = absolute_url(group.get_manage_url() + f"#ansokan-{membership.pk}")
    for coordinator in Membership.objects.coordinators().filter(group=group).select_related("user"):
        email_send_templated(
            to=coordinator.user.email,
            template="groups/join_request",
            context={"group": group, "membership": membership, "link": link},
            language=coordinator.user.language,
            kind="groups.join_request",
            cause=membership,
        )
    return membership


def _decide(*, membership, by, approve: bool, message: str) -> Membership:
    membership = _lock(membership)
    if membership.status != Status.PENDING:
        raise GroupError(_("This request has already been decided."))
    now = timezone.now()
    membership.status = Status.ACTIVE if approve else Status.DECLINED
    membership.decided_at = now
    membership.decided_by = by
    membership.decision_message = message.strip()
    if approve:
        membership.joined_at = now
    membership.save()
    if approve:
        follow_auto(user=membership.user, locality=membership.group.locality)
    _record(
        group=membership.group,
        membership=membership,
        actor=by,
        action=Action.APPROVED if approve else Action.DECLINED,
        message=membership.decision_message,
    )
    _audit(by, Verb.MEMBERSHIP_APPROVED if approve else Verb.MEMBERSHIP_DECLINED, membership)
    email_send_templated(
        to=membership.user.email,
        template="groups/join_decision",
        context={
            "membership": membership,
            "group": membership.group,
            "approved": approve,
            "link": absolute_url(membership.group.get_absolute_url()),
        },
        language=membership.user.language,
        kind="groups.join_decision",
        cause=membership,
    )
    return membership


@transaction.atomic
@renews_public_content
def membership_approve(*, membership: Membership, by, message: str = "") -> Membership:
    return _decide(membership=membership, by=by, approve=True, message=message)


@transaction.atomic
@renews_public_content
def membership_decline(*, membership: Membership, by, message: str = "") -> Membership:
    return _decide(membership=membership, by=by, approve=False, message=message)


LAST_COORDINATOR_LEAVE = gettext_lazy(
    "You are the group's only coordinator. Appoint another coordinator before you leave."
)
LAST_COORDINATOR_REMOVE = gettext_lazy(
    "This is the group's only coordinator. Appoint another coordinator first."
)
LAST_COORDINATOR_DEMOTE = gettext_lazy(
    "The group must keep at least one coordinator. Appoint another coordinator first."
)


def _end(*, membership, by, action) -> Membership:
    membership = _lock(membership)
    if membership.status != Status.ACTIVE:
        raise GroupError(_("This person is not a member of the group."))
    _ensure_other_coordinator(
        membership, LAST_COORDINATOR_LEAVE if action == Action.LEFT else LAST_COORDINATOR_REMOVE
    )
    membership.status = Status.LEFT
    membership.left_at = timezone.now()
    membership.is_delegate = False
    membership.save()
    _record(group=membership.group, membership=membership, actor=by, action=action)
    if action == Action.REMOVED:  # leaving is the member's own act, not a coordinator's
        _audit(by, Verb.MEMBERSHIP_REMOVED, membership)
    return membership


@transaction.atomic
@renews_public_content
def membership_leave(*, membership: Membership, by) -> Membership:
    return _end(membership=membership, by=by, action=Action.LEFT)


@transaction.atomic
@renews_public_content
def membership_remove(*, membership: Membership, by) -> Membership:
    return _end(membership=membership, by=by, action=Action.REMOVED)


@transaction.atomic
@renews_public_content
def membership_update(
    *, membership: Membership, by, sector: str, age_band: str, role: str, is_delegate: bool
) -> Membership:
    membership = _lock(membership)
    if membership.status != Status.ACTIVE:
        raise GroupError(_("This person is not a member of the group."))
    if membership.role == Role.COORDINATOR and role != Role.COORDINATOR:
        _ensure_other_coordinator(membership, LAST_COORDINATOR_DEMOTE)
    changes = {}
    for name, value in [
        ("sector", sector),
        ("age_band", age_band),
        ("role", role),
        ("is_delegate", is_delegate),
    ]:
        if getattr(membership, name) != value:
            changes[name] = [getattr(membership, name), value]
            setattr(membership, name, value)
    if not changes:
        return membership
    membership.save()
    action, verb = Action.UPDATED, Verb.MEMBERSHIP_UPDATED
    if "role" in changes:
        action = Action.APPOINTED if role == Role.COORDINATOR else Action.UNAPPOINTED
        verb = (
            Verb.COORDINATOR_APPOINTED if role == Role.COORDINATOR else Verb.COORDINATOR_UNAPPOINTED
        )
    _record(group=membership.group, membership=membership, actor=by, action=action, **changes)
    # A role change too says which fields changed, as a change of details does.
    summary = AUDIT_SUMMARIES[Verb.MEMBERSHIP_UPDATED]
    fields = audit.field_names(Membership, changes)
    _audit(by, verb, membership, summary=summary, fields=fields)
    return membership


@transaction.atomic
@renews_public_content
def coordinator_appoint(*, user, group: DevelopmentGroup, by, sector: str, age_band: str):
    """Staff make someone coordinator: their membership is made active if needed."""
    DevelopmentGroup.objects.select_for_update().filter(pk=group.pk).first()
    membership = Membership.objects.current().filter(user=user, group=group).first()
    now = timezone.now()
    if membership is None:
        membership = Membership.objects.create(
            user=user,
            group=group,
            sector=sector,
            age_band=age_band,
            status=Status.ACTIVE,
            role=Role.COORDINATOR,
            decided_at=now,
            decided_by=by,
            joined_at=now,
        )
        _record(group=group, membership=membership, actor=by, action=Action.ADDED)
    elif membership.is_coordinator:
        return membership
    else:
        if membership.status == Status.PENDING:
            membership.decided_at, membership.decided_by, membership.joined_at = now, by, now
        membership.status = Status.ACTIVE
        membership.role = Role.COORDINATOR
        membership.save()
    _record(group=group, membership=membership, actor=by, action=Action.APPOINTED)
    _audit(by, Verb.COORDINATOR_APPOINTED, membership)
    follow_auto(user=user, locality=group.locality)
    return membership


@transaction.atomic
@renews_public_content
def coordinator_unappoint(*, membership: Membership, by) -> Membership:
    membership = _lock(membership)
    if not membership.is_coordinator:
        return membership
    _ensure_other_coordinator(membership, LAST_COORDINATOR_DEMOTE)
    membership.role = Role.MEMBER
    membership.save()
    _record(group=membership.group, membership=membership, actor=by, action=Action.UNAPPOINTED)
    _audit(by, Verb.COORDINATOR_UNAPPOINTED, membership)
    return membership


@transaction.atomic
@renews_public_content
def group_update(
    *, group: DevelopmentGroup, by, description: str, meeting_info: str, contact_email: str
) -> DevelopmentGroup:
    changed = [
        name
        for name, value in [
            ("description", description),
            ("meeting_info", meeting_info),
            ("contact_email", contact_email),
        ]
        if getattr(group, name) != value
    ]
    group.description, group.meeting_info, group.contact_email = (
        description,
        meeting_info,
        contact_email,
    )
    group.save()
    if changed:
        _record(group=group, membership=None, actor=by, action=Action.GROUP_EDITED, fields=changed)
        fields = audit.field_names(DevelopmentGroup, changed)
        audit.record(
            actor=by,
            verb=Verb.GROUP_EDITED,
            obj=group,
            locality_id=group.locality_id,
            values={"fields": fields},
        )
    return group
