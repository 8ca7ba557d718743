"""What the followers of proposals hear: a new proposal, a new status, a comment or a reply.
The texts are registered with notifications through settings.NOTICE_MODULES."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from allas.services import absolute_url
from notifications.notices import Audience, Event, InDigest, Notification, in_languages

from .models import MunicipalCase, Proposal, ProposalFollow
from .words import NoticeKind

EVENTS = {
    "proposal_new": Event(
        subject=_("New proposal in %(ort)s: %(title)s"),
        heading=_("New proposal"),
        in_digest=InDigest.OPENS,
    ),
    "proposal_status": Event(
        subject=_("“%(title)s” is now: %(status)s"),
        heading=_("New status: %(status)s"),
        in_digest=InDigest.STATE,
    ),
    # A proposal's steps through the municipality: lifted, registered, decided.
    "proposal_lifted": Event(
        subject=_("“%(title)s” has been lifted to the municipality"),
        heading=_("Lifted to the municipality"),
        in_digest=InDigest.STATE,
    ),
    "proposal_registered": Event(
        subject=_("“%(title)s” has been registered by the municipality: %(status)s"),
        heading=_("Registered by the municipality: %(status)s"),
        in_digest=InDigest.STATE,
    ),
    "proposal_decided": Event(
        subject=_("The municipality has decided on “%(title)s”: %(status)s"),
        heading=_("The municipality's decision: %(status)s"),
        in_digest=InDigest.STATE,
    ),
    "comment": Event(
        subject=_("New comment on “%(title)s”"),
        heading=_("Comment from %(author)s"),
        in_digest=InDigest.EACH,
    ),
    "reply": Event(
        subject=_("New reply on “%(title)s”"),
        heading=_("Reply from %(author)s"),
        in_digest=InDigest.EACH,
    ),
}


def _followers(proposal):
    """Those who follow the proposal, as a query notify() reads within its own."""
    return ProposalFollow.objects.filter(proposal=proposal, is_active=True).values("user_id")


def proposal_submitted(proposal) -> Notification:
    """The ort's followers hear of a new proposal; its author does not."""
    return Notification(
        kind=NoticeKind.NEW_PROPOSALS,
        event="proposal_new",
        key=f"proposal-new:{proposal.pk}",
        topic=f"proposal:{proposal.pk}",
        cause=proposal,
        title=proposal.title,
        url=proposal.get_absolute_url(),
        locality=proposal.locality,
        audience=Audience(ort=proposal.locality, actor=proposal.author),
        text=proposal.body,
    )


def proposal_status_changed(proposal, change, *, already_told=frozenset()) -> Notification:
    """The followers of the proposal and of its ort hear of its new status, with the answer
    and a linked action of the plan; not the one who set it, nor those already told."""
    action = proposal.action if proposal.action_id else None
    return Notification(
        kind=NoticeKind.ANSWERS,
        event="proposal_status",
        key=f"proposal-status:{change.pk}",
        topic=f"proposal:{proposal.pk}",
        cause=proposal,
        title=proposal.title,
        url=proposal.get_absolute_url(),
        locality=proposal.locality,
        audience=Audience(
            ort=proposal.locality,
            proposal_followers=_followers(proposal),
            actor=change.answered_by,
            exclude_user_ids=frozenset(already_told),
        ),
        text=change.answer,
        data={
            "status": in_languages(Proposal.Status(change.status).label),
            "action": action
            and {
                "title": action.title,
                "url": absolute_url(f"{action.plan.get_absolute_url()}#atgard-{action.pk}"),
            },
        },
    )


def proposal_municipal_step(proposal, case, *, step: str, actor, key: str) -> Notification:
    """The proposal's followers (its author among them) and the ort's hear of each step
    through the municipality: "lifted" (with the group's motivation), "registered" (with
    the case number, so anyone can ask the register for the documents), "decided" (the
    outcome and its summary)."""
    if step == "lifted":
        status, text = "", case.motivation
    elif step == "registered":
        status = case.case_number
        text = str(case.committee) if case.committee_id else ""
    else:
        status = in_languages(MunicipalCase.Outcome(case.outcome).label)
        text = case.summary
    return Notification(
        kind=NoticeKind.ANSWERS,
        event=f"proposal_{step}",
        key=key,
        topic=f"proposal:{proposal.pk}",
        cause=proposal,
        title=proposal.title,
        url=proposal.get_absolute_url(),
        locality=proposal.locality,
        audience=Audience(
            ort=proposal.locality, proposal_followers=_followers(proposal), actor=actor
        ),
        text=text,
        data={"status": status} if status else {},
    )


def comment_posted(comment) -> Notification:
    """The proposal's followers hear of a comment or a reply, not the ort's followers; its
    ort only places it in the digest."""
    proposal = comment.proposal
    return Notification(
        kind=NoticeKind.COMMENTS,
        event="reply" if comment.parent_id is not None else "comment",
        key=f"comment:{comment.pk}",
        topic=f"proposal:{proposal.pk}",
        cause=comment,
        title=proposal.title,
        url=comment.get_absolute_url(),
        locality=proposal.locality,
        audience=Audience(proposal_followers=_followers(proposal), actor=comment.author),
        text=comment.body,
        data={"author": comment.author.display_name},
    )


def follows_summary(user) -> str:
    """How many proposals the person follows, told on their notification settings page."""
    n = ProposalFollow.objects.filter(user=user, is_active=True).count()
    return ngettext(
        "You follow %(n)s proposal. You stop following a proposal from its page.",
        "You follow %(n)s proposals. You stop following a proposal from its page.",
        n,
    ) % {"n": n}
