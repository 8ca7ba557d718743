"""The dialogue's part of a person's register extract and of deleting an account.
Proposals and comments are public records: they stay, shown as "Tidigare användare"."""

from django.db.models import F

from .models import Comment, Proposal, ProposalFollow, Report, Support


def export(user) -> dict:
    return {
        "proposals": [
            {
                "id": p.pk,
                "ort": p.locality.name,
                "title": p.title,
                "text": p.body,
                "status": p.status,
                "submitted": p.created_at,
            }
            for p in Proposal.objects.filter(author=user).select_related("locality")
        ],
        "comments": [
            {
                "proposal": c.proposal_id,
                "text": c.body,
                "written": c.created_at,
                "removed": c.is_deleted,
            }
            for c in Comment.objects.filter(author=user)
        ],
        "supports": list(Support.objects.filter(user=user).values_list("proposal_id", flat=True)),
        # The ort follows are notifications' "follows"; the extract is one flat dict.
        "proposal_follows": [
            {
                "proposal": f.proposal_id,
                "following": f.is_active,
                "automatic": f.automatic,
                "since": f.created_at,
            }
            for f in ProposalFollow.objects.filter(user=user).order_by("id")
        ],
        "reports": [
            {
                "proposal": r.proposal_id,
                "comment": r.comment_id,
                "reason": r.reason,
                "details": r.details,
            }
            for r in Report.objects.filter(reporter=user)
        ],
    }


def refuse_erase(user) -> str | None:
    return None


def erase(user) -> None:
    """Supports go with the account, so the counts shown are lowered first."""
    supported = Support.objects.filter(user=user).values_list("proposal_id", flat=True)
    Proposal.objects.filter(pk__in=list(supported)).update(support_count=F("support_count") - 1)
    Support.objects.filter(user=user).delete()
    ProposalFollow.objects.filter(user=user).delete()
    Report.objects.filter(reporter=user).update(details="")
