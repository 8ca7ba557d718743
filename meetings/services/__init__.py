"""Writes of the network meeting, one module per job: the network (`network`), the
invitations and answers (`invitations`), the meeting from draft to minutes (`lifecycle`),
reminders (`reminders`), the groups' reports (`reports`) and the e-mails they send
(`emails`). E-mails go through the outbox, each with a uniqueness key, so nothing is sent
twice whoever presses a button twice or whatever a worker redelivers.

Callers use `from meetings import services` and the names below: where a service lives is
this package's own business."""

from .common import MeetingError
from .invitations import (
    ANSWER_LINK_DAYS_AFTER_MEETING,
    invitation_add_guest,
    invitation_answer,
    invitation_by_token,
    invitations_build,
    invitations_send,
)
from .lifecycle import (
    TIME_AND_PLACE,
    meeting_cancel,
    meeting_changed,
    meeting_mark_held,
    meeting_publish,
    minutes_publish,
)
from .network import network_roles_set_active, roster
from .reminders import remind_unanswered_now, send_due_reminders
from .reports import report_prefill, report_submit

__all__ = [
    "ANSWER_LINK_DAYS_AFTER_MEETING",
    "TIME_AND_PLACE",
    "MeetingError",
    "invitation_add_guest",
    "invitation_answer",
    "invitation_by_token",
    "invitations_build",
    "invitations_send",
    "meeting_cancel",
    "meeting_changed",
    "meeting_mark_held",
    "meeting_publish",
    "minutes_publish",
    "network_roles_set_active",
    "remind_unanswered_now",
    "report_prefill",
    "report_submit",
    "roster",
    "send_due_reminders",
]
