"""Writes of development plans and their actions. Every change moves the plan's
"last updated", which the development department follows up."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from allas import audit
from allas.outcomes import Refused
from allas.page_cache import renews_public_content
from groups.models import DevelopmentGroup
from groups.notices import plan_published, plan_updated
from notifications.notify import notify

from ..words import DOWN, UP
from ..words import AuditVerb as Verb
from .models import Action, ActionNote, Plan


class PlanError(Refused):
    """A rule stopped the change; the message is shown to the user as it is."""


def _audit(by, verb, *, plan: Plan, obj=None, **values) -> None:
    audit.record(
        actor=by, verb=verb, obj=obj or plan, locality_id=plan.group.locality_id, values=values
    )


def _touch(plan: Plan) -> None:
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(updated_at=now)
    plan.updated_at = now


def _tell_followers(plan: Plan, *, by, published_now: bool = False) -> None:
    """The ort's followers hear of a published plan and of changes to it; changes on one
    day make at most one e-mail."""
    if plan.status != Plan.Status.PUBLISHED:
        return
    notify(plan_published(plan, by=by) if published_now else plan_updated(plan, by=by))


@transaction.atomic
@renews_public_content
def plan_create(
    *, group: DevelopmentGroup, year: int, needs: str, goals, copy_unfinished: bool, by
) -> Plan:
    """Starts the plan for a year, optionally with the unfinished actions of the group's
    latest earlier plan."""
    try:
        with transaction.atomic():
            plan = Plan.objects.create(group=group, year=year, needs=needs)
    except IntegrityError as exc:
        raise PlanError(_("The group already has a plan for %(year)s.") % {"year": year}) from exc
    plan.goals.set(goals)
    if copy_unfinished:
        previous = group.plans.filter(year__lt=year).order_by("-year").first()
        if previous is not None:
            _copy_unfinished(previous, plan)
    _audit(by, Verb.PLAN_CREATED, plan=plan, year=year)
    return plan


def _copy_unfinished(source: Plan, target: Plan) -> None:
    actions = list(source.actions.exclude(status=Action.Status.DONE).prefetch_related("goals"))
    copies = Action.objects.bulk_create(
        Action(
            plan=target,
            title=a.title,
            description=a.description,
            status=a.status,
            responsible=a.responsible,
            start_date=a.start_date,
            end_date=a.end_date,
            progress=a.progress,
            position=a.position,
            copied_from=a,
        )
        for a in actions
    )
    Through = Action.goals.through
    Through.objects.bulk_create(
        Through(action_id=copy.pk, slusgoal_id=goal.pk)
        for original, copy in zip(actions, copies, strict=True)
        for goal in original.goals.all()
    )


@transaction.atomic
@renews_public_content
def plan_update(*, plan: Plan, needs: str, goals, by) -> Plan:
    plan.needs = needs
    plan.save(update_fields=["needs"])
    plan.goals.set(goals)
    _touch(plan)
    _audit(by, Verb.PLAN_UPDATED, plan=plan)
    _tell_followers(plan, by=by)
    return plan


@transaction.atomic
@renews_public_content
def plan_set_published(*, plan: Plan, published: bool, by) -> Plan:
    was_published = plan.status == Plan.Status.PUBLISHED
    plan.status = Plan.Status.PUBLISHED if published else Plan.Status.DRAFT
    if published and plan.published_at is None:
        plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    _touch(plan)
    if published != was_published:
        _audit(by, Verb.PLAN_PUBLISHED if published else Verb.PLAN_UNPUBLISHED, plan=plan)
    if published and not was_published:
        _tell_followers(plan, by=by, published_now=True)
    return plan


ACTION_FIELDS = (
    "title",
    "description",
    "status",
    "responsible",
    "start_date",
    "end_date",
    "progress",
)


@transaction.atomic
@renews_public_content
def action_create(*, plan: Plan, goals, by, **fields) -> Action:
    last = plan.actions.aggregate(last=Max("position"))["last"]
    action = Action.objects.create(
        plan=plan, position=0 if last is None else last + 1, **_action_fields(fields)
    )
    action.goals.set(goals)
    _touch(plan)
    _audit(by, Verb.ACTION_CREATED, plan=plan, obj=action)
    _tell_followers(plan, by=by)
    return action


@transaction.atomic
@renews_public_content
def action_update(*, action: Action, goals, by, **fields) -> Action:
    for name, value in _action_fields(fields).items():
        setattr(action, name, value)
    action.updated_at = timezone.now()
    action.save()
    action.goals.set(goals)
    _touch(action.plan)
    status = Action.Status(action.status).label  # lazy: the entry is written in Swedish
    _audit(
        by,
        Verb.ACTION_UPDATED,
        plan=action.plan,
        obj=action,
        status=status,
        progress=action.progress,
    )
    _tell_followers(action.plan, by=by)
    return action


def _action_fields(fields: dict) -> dict:
    values = {name: fields[name] for name in ACTION_FIELDS if name in fields}
    # A finished action is finished all the way.
    if values.get("status") == Action.Status.DONE:
        values["progress"] = 100
    return values


@transaction.atomic
@renews_public_content
def action_close(*, action: Action, by) -> Action:
    action.status = Action.Status.DONE
    action.progress = 100
    action.updated_at = timezone.now()
    action.save(update_fields=["status", "progress", "updated_at"])
    _touch(action.plan)
    _audit(by, Verb.ACTION_CLOSED, plan=action.plan, obj=action)
    return action


@transaction.atomic
@renews_public_content
def action_move(*, action: Action, up: bool, by) -> Action:
    """Swaps the action with its neighbour above or below in the plan."""
    siblings = list(
        Action.objects.select_for_update().filter(plan_id=action.plan_id).order_by("position", "id")
    )
    # Positions may have gaps or ties after copies; number them afresh first.
    for index, sibling in enumerate(siblings):
        sibling.position = index
    index = next(i for i, s in enumerate(siblings) if s.pk == action.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index].position, siblings[other].position = other, index
    Action.objects.bulk_update(siblings, ["position"])
    _touch(action.plan)
    direction = UP if up else DOWN
    _audit(by, Verb.ACTION_MOVED, plan=action.plan, obj=action, direction=direction)
    return action


@transaction.atomic
@renews_public_content
def action_add_note(*, action: Action, text: str, date, by) -> ActionNote:
    note = ActionNote.objects.create(action=action, text=text.strip(), date=date, author=by)
    Action.objects.filter(pk=action.pk).update(updated_at=timezone.now())
    _touch(action.plan)
    day = date.isoformat() if date else "–"
    _audit(by, Verb.ACTION_NOTE_ADDED, plan=action.plan, obj=action, date=day)
    return note
