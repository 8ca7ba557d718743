"""Why a step of the network meeting is not possible now. One function per step, each
returning a Refusal or None; the services raise it, and the staff pages and the confirm
page show it beside the step (meetings.workflow), so every refusal is worded here only."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions
from .models import Invitation, NetworkMeeting

Status = NetworkMeeting.Status

CLOSED = gettext_lazy("The meeting is cancelled or already held.")
NO_ONE_WAITING = gettext_lazy("No one is waiting for it.")
# The form that asks why the meeting is cancelled says it too (meetings.admin_forms).
CANCEL_REASON_MISSING = gettext_lazy("Write why the meeting is cancelled: the invitees are told.")


@dataclass(frozen=True)
class Refusal:
    """`reason` stands beside the step before anyone tries it. `error` is what someone is
    told who tries it anyway (a page left open, a second tab), where it says more, such as
    that nothing was sent; otherwise the reason is told."""

    reason: str
    error: str = ""

    @property
    def message(self) -> str:
        return str(self.error or self.reason)


def moment_in_words(moment) -> str:
    """ "13 december 2026 kl. 18.30" in the active language."""
    moment = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": date_format(moment, "j F Y"),
        "time": moment.strftime("%H.%M"),
    }


def why_not_publish(meeting: NetworkMeeting) -> Refusal | None:
    if meeting.status != Status.DRAFT:
        return Refusal(
            _("The meeting is already published."), error=_("Only a draft can be published.")
        )
    return None


def _closed(meeting: NetworkMeeting) -> Refusal | None:
    """Cancelled or held: the invitation list is final, and there is nothing to cancel."""
    if meeting.status in (Status.CANCELLED, Status.HELD):
        return Refusal(CLOSED)
    return None


why_not_build = why_not_add_guest = why_not_cancel = _closed


def why_not_send(meeting: NetworkMeeting) -> Refusal | None:
    if meeting.status == Status.DRAFT:
        return Refusal(
            _("Publish the meeting first."),
            error=_("Publish the meeting before you send invitations."),
        )
    if meeting.status == Status.CANCELLED:
        return Refusal(CLOSED, error=_("The meeting is cancelled. Nothing was sent."))
    if meeting.status == Status.HELD:
        return Refusal(CLOSED, error=_("The meeting has already been held. Nothing was sent."))
    return None


def why_not_remind(meeting: NetworkMeeting) -> Refusal | None:
    """A reminder is sent like the invitations; beside the step, staff read only that no
    one is waiting for it."""
    refusal = why_not_send(meeting)
    return refusal and Refusal(NO_ONE_WAITING, error=refusal.message)


def why_not_mark_held(meeting: NetworkMeeting) -> Refusal | None:
    if meeting.status != Status.PUBLISHED:
        return Refusal(_("Only a published meeting can be marked as held."))
    if not meeting.has_started():
        when = {"when": moment_in_words(meeting.starts_at)}
        return Refusal(
            _("Possible from the start of the meeting, %(when)s.") % when,
            error=_("The meeting has not started yet. You can mark it as held from %(when)s.")
            % when,
        )
    return None


def why_not_publish_minutes(meeting: NetworkMeeting) -> Refusal | None:
    if meeting.status != Status.HELD:
        return Refusal(_("Mark the meeting as held before you publish the minutes."))
    if not meeting.minutes.strip():
        return Refusal(_("Write the minutes first."))
    return None


def why_not_submit_report(meeting: NetworkMeeting) -> Refusal | None:
    if meeting.status != Status.PUBLISHED:
        return Refusal(_("Reports can only be sent for a published meeting that is not held yet."))
    return None


def why_not_answer(invitation: Invitation) -> Refusal | None:
    if not permissions.can_answer_invitation(invitation):
        return Refusal(
            _("The last day to answer has passed. Contact the development department instead.")
        )
    return None
