"""The dialogue's part of a person's register extract and of deleting an account.
Proposals and comments are public records: they stay, shown as "Tidigare användare"."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from allas.personal_data import Field, Link, Part, model_fields

from .models import Comment, Proposal, ProposalFollow, Report, Support


def _proposal(proposal_id: int, comment_id: int | None = None) -> list[Field]:
    """A proposal (and comment) is named by its number and address: another person's
    title is public, but what the extract carries is this person's own."""
    path = reverse("proposal_detail", args=[proposal_id])
    return [
        Field("förslag_nummer", _("proposal number"), proposal_id),
        Field(
            "adress", _("address"), Link(f"{path}#kommentar-{comment_id}" if comment_id else path)
        ),
    ]


def export(user) -> list[Part]:
    proposals = Proposal.objects.filter(author=user).select_related("locality").order_by("id")
    comments = Comment.objects.filter(author=user).order_by("id")
    supports = Support.objects.filter(user=user).order_by("id")
    follows = ProposalFollow.objects.filter(user=user).order_by("id")
    reports = Report.objects.filter(reporter=user).select_related("comment").order_by("id")
    return [
        Part(
            key="förslag",
            title=_("Your proposals"),
            about=_(
                "The proposals you have written. They are public records and stay when you "
                "delete your account, shown as written by a former user."
            ),
            entries=[
                [
                    *_proposal(p.pk),
                    *model_fields(p, ort="locality", rubrik="title"),
                    Field("text", _("text"), p.body),
                    *model_fields(p, status="status", moderering="visibility"),
                    *model_fields(p, inkommet="created_at", ändrat="edited_at"),
                ]
                for p in proposals
            ],
        ),
        Part(
            key="kommentarer",
            title=_("Your comments"),
            about=_("The comments you have written on proposals. They are public records too."),
            entries=[
                [
                    *_proposal(c.proposal_id, c.pk),
                    Field("text", _("text"), c.body),
                    *model_fields(c, skriven="created_at", ändrad="edited_at"),
                    *model_fields(c, borttagen_av_dig="is_deleted", moderering="visibility"),
                ]
                for c in comments
            ],
        ),
        Part(
            key="stöd",
            title=_("Proposals you support"),
            about=_("The proposals you have supported. Only the number of supports is shown."),
            entries=[
                [*_proposal(s.proposal_id), Field("sedan", _("since"), s.created_at)]
                for s in supports
            ],
        ),
        Part(
            key="förslag_du_följer",
            title=_("Proposals you follow"),
            about=_(
                "The proposals you hear about when something happens. A follow you have "
                "stopped is kept, so that it does not start again by itself."
            ),
            entries=[
                [
                    *_proposal(f.proposal_id),
                    *model_fields(f, följer="is_active", automatiskt="automatic"),
                    *model_fields(f, började="created_at"),
                ]
                for f in follows
            ],
        ),
        Part(
            key="anmälningar_till_moderatorerna",
            title=_("Your reports to the moderators"),
            about=_("The proposals and comments you have reported to the moderators, and why."),
            entries=[
                [
                    *_proposal(r.proposal_id or r.comment.proposal_id, r.comment_id),
                    *model_fields(r, skäl="reason", detaljer="details", anmäld="created_at"),
                ]
                for r in reports
            ],
        ),
    ]


def refuse_erase(user) -> str | None:
    return None


def erase(user) -> None:
    """Supports go with the account, so the counts shown are lowered first."""
    supported = Support.objects.filter(user=user).values_list("proposal_id", flat=True)
    Proposal.objects.filter(pk__in=list(supported)).update(support_count=F("support_count") - 1)
    Support.objects.filter(user=user).delete()
    ProposalFollow.objects.filter(user=user).delete()
    Report.objects.filter(reporter=user).update(details="")
