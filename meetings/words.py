"""The meetings app's words (allas.vocabulary): what staff and coordinators do for the
network meeting, the e-mails it sends, the notices it causes."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditVerb(models.TextChoices):
    MEETING_PUBLISHED = "meeting.published", _("Meeting published")
    MEETING_CHANGED = "meeting.changed", _("Meeting time or place changed")
    MEETING_CANCELLED = "meeting.cancelled", _("Meeting cancelled")
    MEETING_HELD = "meeting.held", _("Meeting marked as held")
    MINUTES_PUBLISHED = "meeting.minutes_published", _("Minutes published")
    INVITATIONS_BUILT = "meeting.invitations_built", _("Invitation list made")
    INVITATIONS_SENT = "meeting.invitations_sent", _("Invitations sent")
    GUEST_INVITED = "meeting.guest_invited", _("Guest invited")
    REMINDERS_SENT = "meeting.reminders_sent", _("Reminder sent")
    NETWORK_ROLES_CHANGED = "meeting.network_roles_changed", _("Network roles changed")
    GROUP_REPORT_SUBMITTED = "meeting.report_submitted", _("Group report sent")


AUDIT_SUMMARIES = {
    AuditVerb.MEETING_PUBLISHED: _("Published the meeting."),
    AuditVerb.MEETING_CHANGED: _("Changed the published meeting: %(fields)s."),
    AuditVerb.MEETING_CANCELLED: _("Cancelled the meeting. Reason: %(reason)s"),
    AuditVerb.MEETING_HELD: _("Marked the meeting as held."),
    AuditVerb.MINUTES_PUBLISHED: _("Published the minutes and told the participants: %(n)d."),
    AuditVerb.INVITATIONS_BUILT: _("Added people from the roster to the invitation list: %(n)d."),
    AuditVerb.INVITATIONS_SENT: _("Sent the invitations not sent before: %(n)d."),
    AuditVerb.GUEST_INVITED: _("Added a guest to the invitations of %(meeting)s."),
    AuditVerb.REMINDERS_SENT: _("Sent a reminder to everyone who has not answered: %(n)d."),
    AuditVerb.NETWORK_ROLES_CHANGED: _("Retired the network role."),
    AuditVerb.GROUP_REPORT_SUBMITTED: _("Sent the group's report to the network meeting."),
}


class NoticeKind(models.TextChoices):
    MEETINGS = "meetings", _("Network meetings")


EMAIL_KINDS = {
    "meetings.invitation": pgettext_lazy("e-mail", "Network meeting: invitation"),
    "meetings.confirmation": pgettext_lazy("e-mail", "Network meeting: confirmation"),
    "meetings.update": pgettext_lazy("e-mail", "Network meeting: new time or place"),
    "meetings.cancelled": pgettext_lazy("e-mail", "Network meeting: cancelled"),
    "meetings.minutes": pgettext_lazy("e-mail", "Network meeting: minutes"),
    "meetings.reminder": pgettext_lazy("e-mail", "Network meeting: reminder"),
    # The notices of this app's kind, which the notifications app sends.
    "notifications.meetings": _("Notice: network meetings"),
}
EMAIL_FAMILIES = {"meetings": _("Network meeting")}
