"""The groups app's words (allas.vocabulary): what coordinators and staff do to a group,
its members and its development plan; the e-mails it sends; the notices it causes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditVerb(models.TextChoices):
    MEMBERSHIP_APPROVED = "membership.approved", _("Join request approved")
    MEMBERSHIP_DECLINED = "membership.declined", _("Join request declined")
    MEMBERSHIP_REMOVED = "membership.removed", _("Member removed")
    MEMBERSHIP_UPDATED = "membership.updated", _("Member details changed")
    COORDINATOR_APPOINTED = "coordinator.appointed", _("Coordinator appointed")
    COORDINATOR_UNAPPOINTED = "coordinator.unappointed", _("Coordinator role ended")
    GROUP_EDITED = "group.edited", _("Group page changed")
    GROUP_MESSAGE_SENT = "group.message_sent", _("Message to the group sent")
    PLAN_CREATED = "plan.created", _("Plan created")
    PLAN_UPDATED = "plan.updated", _("Plan changed")
    PLAN_PUBLISHED = "plan.published", _("Plan published")
    PLAN_UNPUBLISHED = "plan.unpublished", _("Plan made a draft")
    ACTION_CREATED = "action.created", _("Action added")
    ACTION_UPDATED = "action.updated", _("Action changed")
    ACTION_CLOSED = "action.closed", _("Action marked as done")
    ACTION_MOVED = "action.moved", _("Action moved")
    ACTION_NOTE_ADDED = "action.note_added", _("Note added to an action")


# What each entry says, filled with the values the service gives.
AUDIT_SUMMARIES = {
    AuditVerb.MEMBERSHIP_APPROVED: _("Approved the request to join the group."),
    AuditVerb.MEMBERSHIP_DECLINED: _("Declined the request to join the group."),
    AuditVerb.MEMBERSHIP_REMOVED: _("Removed the member from the group."),
    AuditVerb.MEMBERSHIP_UPDATED: _("Changed the membership: %(fields)s."),
    AuditVerb.COORDINATOR_APPOINTED: _("Appointed the member as coordinator."),
    AuditVerb.COORDINATOR_UNAPPOINTED: _("Ended the coordinator role; still a member."),
    AuditVerb.GROUP_EDITED: _("Changed the group page: %(fields)s."),
    AuditVerb.GROUP_MESSAGE_SENT: _("Sent a message to the group; recipients: %(n)d."),
    AuditVerb.PLAN_CREATED: _("Started the plan for %(year)s."),
    AuditVerb.PLAN_UPDATED: _("Changed the needs and SLUS areas of the plan."),
    AuditVerb.PLAN_PUBLISHED: _("Published the plan."),
    AuditVerb.PLAN_UNPUBLISHED: _("Made the plan a draft again; it is no longer public."),
    AuditVerb.ACTION_CREATED: _("Added the action to the plan."),
    AuditVerb.ACTION_UPDATED: _("Changed the action (status: %(status)s, %(progress)s %% done)."),
    AuditVerb.ACTION_CLOSED: _("Marked the action as done."),
    AuditVerb.ACTION_MOVED: _("Moved the action %(direction)s in the plan."),
    AuditVerb.ACTION_NOTE_ADDED: _("Added a note dated %(date)s to the action."),
}
# Which way an action was moved, in its entry's summary.
UP = pgettext_lazy("moved an action", "up")
DOWN = pgettext_lazy("moved an action", "down")


class NoticeKind(models.TextChoices):
    PLANS = "plans", _("Development plans of the orter you follow")
    GROUP_MESSAGES = "group_messages", _("Messages from a group's coordinators")


EMAIL_KINDS = {
    "groups.join_request": _("Request to join a group"),
    "groups.join_decision": _("Decision on joining a group"),
    # The notices of this app's kinds, which the notifications app sends.
    "notifications.plans": _("Notice: development plans"),
    "notifications.group_messages": _("Message from a group"),
}
EMAIL_FAMILIES = {"groups": _("Local development group")}
