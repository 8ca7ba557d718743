"""A comment on a proposal, with one level of replies."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allas.models import actor_field

from .proposals import COMMENT_MAX, Proposal, Visibility


class Comment(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    author = actor_field(_("author"), related_name="comments", blank=True)
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_deleted = models.BooleanField(_("deleted by the author"), default=False)
    visibility = models.CharField(
        _("moderation"), max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]

    def get_absolute_url(self):
        return f"{self.proposal.get_absolute_url()}#kommentar-{self.pk}"
