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
    DIALOGUE_CREATED = "meeting.dialogue_created", _("Dialogue meeting created")
    DIALOGUE_EDITED = "meeting.dialogue_edited", _("Dialogue meeting edited")
    DIALOGUE_PUBLISHED = "meeting.dialogue_published", _("Dialogue meeting published")
    DIALOGUE_CANCELLED = "meeting.dialogue_cancelled", _("Dialogue meeting cancelled")
    DIALOGUE_HELD = "meeting.dialogue_held", _("Dialogue meeting marked as held")
    DIALOGUE_MINUTES = "meeting.dialogue_minutes_published", _("Dialogue meeting minutes published")
    DIALOGUE_SIGNUPS_EXPORTED = "meeting.dialogue_signups_exported", _("Sign-ups downloaded")
    DIALOGUE_SIGNUP_CANCELLED = (
        "meeting.dialogue_signup_cancelled",
        _("Sign-up cancelled by the group"),
    )


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
    AuditVerb.DIALOGUE_CREATED: _("Created the meeting as a draft."),
    AuditVerb.DIALOGUE_EDITED: _("Changed the meeting: %(fields)s."),
    AuditVerb.DIALOGUE_PUBLISHED: _("Published the meeting."),
    AuditVerb.DIALOGUE_CANCELLED: _(
        "Cancelled the meeting and told %(n)d people. Reason: %(reason)s"
    ),
    AuditVerb.DIALOGUE_HELD: _("Marked the meeting as held: %(n)d came."),
    AuditVerb.DIALOGUE_MINUTES: _("Published the minutes and told the people signed up: %(n)d."),
    AuditVerb.DIALOGUE_SIGNUPS_EXPORTED: _("Downloaded the sign-ups: %(n)d."),
    AuditVerb.DIALOGUE_SIGNUP_CANCELLED: _("Cancelled the sign-up of %(name)s."),
}


class NoticeKind(models.TextChoices):
    MEETINGS = "meetings", _("Network meetings")
    DIALOGUE = "dialogue", _("The groups' meetings")


EMAIL_KINDS = {
    "meetings.invitation": pgettext_lazy("e-mail", "Network meeting: invitation"),
    "meetings.confirmation": pgettext_lazy("e-mail", "Network meeting: confirmation"),
    "meetings.update": pgettext_lazy("e-mail", "Network meeting: new time or place"),
    "meetings.cancelled": pgettext_lazy("e-mail", "Network meeting: cancelled"),
    "meetings.minutes": pgettext_lazy("e-mail", "Network meeting: minutes"),
    "meetings.reminder": pgettext_lazy("e-mail", "Network meeting: reminder"),
    "meetings.dialogue_verify": pgettext_lazy("e-mail", "Meeting: confirm your sign-up"),
    "meetings.dialogue_confirmation": pgettext_lazy("e-mail", "Meeting: you are signed up"),
    "meetings.dialogue_waiting": pgettext_lazy("e-mail", "Meeting: on the waiting list"),
    "meetings.dialogue_moved_up": pgettext_lazy("e-mail", "Meeting: a place for you"),
    "meetings.dialogue_cancelled_signup": pgettext_lazy("e-mail", "Meeting: sign-up cancelled"),
    "meetings.dialogue_update": pgettext_lazy("e-mail", "Meeting: new time or place"),
    "meetings.dialogue_cancelled": pgettext_lazy("e-mail", "Meeting: cancelled"),
    "meetings.dialogue_reminder": pgettext_lazy("e-mail", "Meeting: reminder"),
    "meetings.dialogue_minutes": pgettext_lazy("e-mail", "Meeting: minutes"),
    # The notices of this app's kind, which the notifications app sends.
    "notifications.meetings": _("Notice: network meetings"),
    "notifications.dialogue": _("Notice: the groups' meetings"),
}
EMAIL_FAMILIES = {"meetings": _("Meetings")}
