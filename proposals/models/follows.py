"""Who follows a proposal: the follow goes with the proposal when it is deleted."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.models import FollowBase

from .proposals import Proposal


class ProposalFollow(FollowBase):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="follows"
    )

    class Meta:
        verbose_name = _("proposal follow")
        verbose_name_plural = _("proposal follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="proposalfollow_unique"),
        ]
        indexes = [models.Index(fields=["proposal", "is_active"])]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"
