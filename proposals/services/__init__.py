"""Writes of the dialogue, one module per job: `proposals`, `status` (answers and
withdrawals), `raised_at` (the group's meeting where a proposal was raised), `supports`,
`municipality` (lifted to the municipality, registered, decided),
`comments`, `follows`, `moderation` (reports and decisions), `reminders`.

Each function checks its rule and raises ProposalError with a message for the user; the
e-mails it causes are written to the outbox in the same transaction.

The names are unique across the modules, so they are all listed here: views, tasks, the
demo command and the tests call `services.<entity>_<verb>` without knowing which module
does the job."""

from .comments import (
    COMMENTS_PER_HOUR,
    comment_create,
    comment_delete,
    comment_edit,
    comment_edit_closed,
)
from .common import CommentsClosed, ProposalError
from .follows import proposal_follow_auto, proposal_follow_toggle
from .moderation import REPORTS_TO_HIDE, moderate, report_create
from .municipality import (
    case_decide,
    case_number_error,
    case_register,
    proposal_lift,
    why_not_lift,
)
from .proposals import PROPOSALS_PER_DAY, proposal_create, proposal_edit
from .raised_at import MeetingRefused, proposal_set_raised_at
from .reminders import ANSWER_WITHIN_DAYS, overdue, send_due_reminders
from .status import proposal_set_status, proposal_withdraw
from .supports import support_toggle

__all__ = [
    "ANSWER_WITHIN_DAYS",
    "COMMENTS_PER_HOUR",
    "PROPOSALS_PER_DAY",
    "REPORTS_TO_HIDE",
    "CommentsClosed",
    "MeetingRefused",
    "ProposalError",
    "case_decide",
    "case_number_error",
    "case_register",
    "comment_create",
    "comment_delete",
    "comment_edit",
    "comment_edit_closed",
    "moderate",
    "overdue",
    "proposal_create",
    "proposal_edit",
    "proposal_follow_auto",
    "proposal_follow_toggle",
    "proposal_lift",
    "proposal_set_raised_at",
    "proposal_set_status",
    "proposal_withdraw",
    "report_create",
    "send_due_reminders",
    "support_toggle",
    "why_not_lift",
]
