"""The proposals app's words (allas.vocabulary): what coordinators and staff do to a
proposal, the e-mails it sends, the notices it causes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditVerb(models.TextChoices):
    PROPOSAL_STATUS_CHANGED = "proposal.status_changed", _("Proposal status changed")
    PROPOSAL_MODERATED = "proposal.moderated", _("Moderation decision")
    PROPOSAL_RAISED_AT_MEETING = "proposal.raised_at_meeting", _("Meeting of a proposal changed")
    PROPOSAL_LIFTED = "proposal.lifted", _("Proposal lifted to the municipality")
    CASE_REGISTERED = "proposal.case_registered", _("Case registered")
    CASE_DECIDED = "proposal.case_decided", _("Decision recorded")
    CASE_CORRECTED = "proposal.case_corrected", _("Case corrected")


AUDIT_SUMMARIES = {
    AuditVerb.PROPOSAL_LIFTED: _("Lifted the proposal to the municipality."),
    AuditVerb.CASE_REGISTERED: _("Registered the case %(case_number)s at %(committee)s."),
    AuditVerb.CASE_DECIDED: _("Recorded the decision: %(outcome)s."),
    AuditVerb.CASE_CORRECTED: _("Corrected the step “%(step)s”: %(changes)s. Reason: %(reason)s"),
    AuditVerb.PROPOSAL_STATUS_CHANGED: _("Moved the proposal from “%(old)s” to “%(new)s”."),
    AuditVerb.PROPOSAL_MODERATED: _("Decision after reports: %(decision)s. Reason: %(reason)s"),
    AuditVerb.PROPOSAL_RAISED_AT_MEETING: _(
        "Changed the meeting where the proposal was raised from “%(old)s” to “%(new)s”."
    ),
}


class NoticeKind(models.TextChoices):
    NEW_PROPOSALS = "new_proposals", _("New proposals in the orter you follow")
    ANSWERS = "answers", _("Answers and status changes of proposals")
    COMMENTS = "comments", _("Comments and replies on proposals you follow")


EMAIL_KINDS = {
    "proposals.status_changed": _("Proposal: new status"),
    "proposals.reported": _("Proposal or comment reported"),
    "proposals.reminder": _("Proposal waiting for an answer"),
    "proposals.lifted_registry": _("Proposal lifted to the municipality, to the register"),
    # The notices of this app's kinds, which the notifications app sends.
    "notifications.new_proposals": _("Notice: new proposals"),
    "notifications.answers": _("Notice: answers to proposals"),
    "notifications.comments": _("Notice: comments"),
}
EMAIL_FAMILIES = {"proposals": _("Proposal")}
