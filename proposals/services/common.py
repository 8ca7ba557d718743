"""What every write of the dialogue shares: the error a rule raises, the lock on the
proposal, the audit entry that names the ort (and so its group), the e-mail to the ort's
moderators."""

from datetime import timedelta

from django.utils import timezone

from allas import audit
from allas.outcomes import Refused
from allas.services import email_send_templated

from .. import permissions
from ..models import Proposal


class ProposalError(Refused):
    """A rule stopped the change; the message is shown to the user as it is."""


class CommentsClosed(ProposalError):
    """The proposal takes no comments (any more): there is no form to keep a text in."""


def audit_for_ort(by, verb, obj, *, locality_id, **values) -> None:
    """The ort is named on the entry, so its group's coordinators see it on their page."""
    audit.record(actor=by, verb=verb, obj=obj, locality_id=locality_id, values=values)


def refuse_over_limit(model, *, author, within: timedelta, limit: int, message) -> None:
    """A person writes at most `limit` of these (proposals, comments) in `within`: one more
    is refused with `message`, filled with the limit as %(n)d."""
    since = timezone.now() - within
    if model.objects.filter(author=author, created_at__gte=since).count() >= limit:
        raise ProposalError(message % {"n": limit})


def lock_proposal(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("locality")
        .get(pk=proposal.pk)
    )


def email_moderators(*, locality_id, template, context, kind, dedup_key, cause) -> None:
    """The same e-mail to each moderator of an ort (its coordinators and the department's
    staff), each in their own language, once per moderator (`dedup_key` and their id)."""
    for user in permissions.moderators(locality_id).distinct():
        email_send_templated(
            to=user.email,
            template=template,
            context=context,
            language=user.language,
            kind=kind,
            dedup_key=f"{dedup_key}:{user.pk}",
            cause=cause,
        )
