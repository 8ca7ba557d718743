"""The network meeting as staff run it, step by step: for each step the service that does
it, the guard that says why it is not possible now (meetings.guards, which the service
raises too), the sentence staff read beside it, and whether it asks first because it
cannot be undone. The staff pages (meetings.staff_views) and their templates are drawn
from this table; a step's page is the admin URL named by `Step.url_name`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from . import guards, services
from .guards import Refusal
from .models import Invitation, NetworkMeeting

Answer = Invitation.Answer


def _nothing_left(meeting: NetworkMeeting, counts: dict) -> str:
    return ""


@dataclass(frozen=True)
class Step:
    """One step. Its guard is guards.why_not_<name>, the one its service raises too."""

    name: str
    service: Callable[..., object]
    label: str
    # What the step does and sends; %(n)d is how many people it reaches now.
    sentence: str
    # Said when it is done; %(n)s is the number the service returns.
    done: str
    # What staff press on the confirm page. A step without one can be undone or repeated
    # harmlessly, so it is taken at once.
    button: str = ""
    # How many people it reaches, from the counts of staff_queries.answers_by_body.
    reaches: Callable[[dict], int] = lambda counts: 0
    # Said instead of a button when it reaches no one: everyone has got it already.
    when_no_one: str = ""
    # Possible, yet with nothing left to do for another reason: said instead of a button.
    nothing_left: Callable[[NetworkMeeting, dict], str] = _nothing_left

    @property
    def guard(self) -> Callable[[NetworkMeeting], Refusal | None]:
        return getattr(guards, f"why_not_{self.name}")

    @property
    def confirm(self) -> bool:
        """Whether it asks first, because it cannot be undone."""
        return bool(self.button)

    @property
    def url_name(self) -> str:
        return f"admin:meetings_networkmeeting_{self.name}"

    def what(self, counts: dict) -> str:
        """The sentence staff read beside the step and on its confirm page."""
        return str(self.sentence % {"n": self.reaches(counts)})

    def blocked(self, meeting: NetworkMeeting, counts: dict) -> str:
        """Why staff cannot take the step now, or ""."""
        refusal = self.guard(meeting)
        if refusal is not None:
            return refusal.reason
        if self.when_no_one and not self.reaches(counts):
            return str(self.when_no_one)
        return self.nothing_left(meeting, counts)

    def done_message(self, result) -> str:
        return str(self.done) % {"n": result if isinstance(result, int) else ""}


def _sent(counts: dict) -> int:
    return counts["invited"] - counts["unsent"]


def _waiting(counts: dict) -> int:
    """Sent, and not answered."""
    return max(_sent(counts) - counts[Answer.YES] - counts[Answer.NO] - counts[Answer.MAYBE], 0)


PUBLISH = Step(
    "publish",
    services.meeting_publish,
    label=gettext_lazy("Publish the meeting"),
    sentence=gettext_lazy("The meeting is shown on the website. No e-mail is sent."),
    done=gettext_lazy("The meeting is published."),
    button=gettext_lazy("Yes, publish the meeting"),
)

BUILD = Step(
    "build",
    services.invitations_build,
    label=gettext_lazy("Build the invitation list from the network"),
    sentence=gettext_lazy(
        "Adds everyone in the network who is not on the list yet: the groups' "
        "coordinators and delegates, the municipality's representatives and the "
        "advisory board. Nothing is sent."
    ),
    done=gettext_lazy("%(n)s people were added to the list."),
)

SEND = Step(
    "send",
    services.invitations_send,
    label=gettext_lazy("Send invitations"),
    sentence=ngettext_lazy(
        "Sends the invitation with a calendar file and a personal answer link to "
        "the %(n)d person on the list who has not got it.",
        "Sends the invitation with a calendar file and a personal answer link to "
        "the %(n)d people on the list who have not got it.",
        "n",
    ),
    done=gettext_lazy("%(n)s invitations are being sent."),
    button=gettext_lazy("Yes, send the invitations"),
    reaches=lambda counts: counts["unsent"],
    when_no_one=gettext_lazy("Everyone on the list has got the invitation."),
)

REMIND = Step(
    "remind",
    services.remind_unanswered_now,
    label=gettext_lazy("Remind everyone without an answer now"),
    sentence=ngettext_lazy(
        "Sends a reminder with the answer link to the %(n)d person who has not answered.",
        "Sends a reminder with the answer link to the %(n)d people who have not answered.",
        "n",
    ),
    done=gettext_lazy("A reminder is being sent to %(n)s people who have not answered."),
    button=gettext_lazy("Yes, send the reminder"),
    reaches=_waiting,
    when_no_one=guards.NO_ONE_WAITING,
)

MARK_HELD = Step(
    "mark_held",
    services.meeting_mark_held,
    label=gettext_lazy("Mark as held"),
    sentence=gettext_lazy(
        "Marks the meeting as held, so that the minutes can be published. Nothing is sent."
    ),
    done=gettext_lazy("The meeting is marked as held."),
    button=gettext_lazy("Yes, the meeting is held"),
)

PUBLISH_MINUTES = Step(
    "publish_minutes",
    services.minutes_publish,
    label=gettext_lazy("Publish the minutes and tell the participants"),
    sentence=ngettext_lazy(
        "Publishes the minutes on the meeting's page and e-mails them to the %(n)d "
        "person who came.",
        "Publishes the minutes on the meeting's page and e-mails them to the %(n)d "
        "people who came.",
        "n",
    ),
    done=gettext_lazy("The minutes are published and %(n)s participants are told."),
    button=gettext_lazy("Yes, publish the minutes"),
    reaches=lambda counts: counts[Answer.YES],
    # Publishing again is possible (it tells no one twice), but there is no need.
    nothing_left=lambda meeting, counts: (
        _("The minutes are published.") if meeting.minutes_published_at else ""
    ),
)

CANCEL = Step(
    "cancel",
    services.meeting_cancel,
    label=gettext_lazy("Cancel the meeting"),
    sentence=ngettext_lazy(
        "Cancels the meeting and e-mails your reason, with a calendar file that "
        "removes the meeting, to the %(n)d person invited.",
        "Cancels the meeting and e-mails your reason, with a calendar file that "
        "removes the meeting, to the %(n)d people invited.",
        "n",
    ),
    done=gettext_lazy("The meeting is cancelled and %(n)s invitees are told."),
    button=gettext_lazy("Yes, cancel the meeting and tell the invitees"),
    reaches=lambda counts: _sent(counts) - counts[Answer.NO],
)

# The staff page shows the steps in this order, under these headings.
STAGES = [
    (gettext_lazy("Before the invitations"), [PUBLISH, BUILD]),
    (gettext_lazy("Sending"), [SEND]),
    (gettext_lazy("Before the meeting"), [REMIND, CANCEL]),
    (gettext_lazy("After the meeting"), [MARK_HELD, PUBLISH_MINUTES]),
]


def stages(meeting: NetworkMeeting, counts: dict) -> list[dict]:
    """The staff page's steps, each with its sentence and why it is not possible now."""
    return [
        {
            "title": title,
            "items": [
                {
                    "step": step,
                    "what": step.what(counts),
                    "blocked": step.blocked(meeting, counts),
                }
                for step in steps
            ],
        }
        for title, steps in STAGES
    ]
