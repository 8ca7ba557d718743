"""The e-mails about a meeting, built as outbox rows: each in the person's language, with a
uniqueness key per meeting and the invitation or sign-up as its cause, and where it changes
the person's calendar, a personal calendar file. The network meeting's invitations and the
dialogue meetings' sign-ups go through the same functions."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allas.services import absolute_url, email_queue_many, render_email
from groups.models import DialogueMeeting

from .. import calendar
from ..models import NetworkMeeting


def recipient_language(invitation) -> str:
    """The person's language: the account's, or the one a visitor signed up in."""
    if invitation.user_id:
        return invitation.user.language
    return getattr(invitation, "language", "") or settings.LANGUAGE_CODE


def _is_dialogue(meeting) -> bool:
    return isinstance(meeting, DialogueMeeting)


def _ics_attachment(meeting, invitation, *, cancelled=False, shared=None) -> list[dict]:
    shared = shared or calendar.meeting_ics(meeting, cancelled=cancelled)
    return [
        {
            "filename": "mote.ics" if _is_dialogue(meeting) else "natverksmote.ics",
            "content": calendar.personal_ics(shared, invitation),
            "mimetype": "text/calendar; method=%s; charset=utf-8"
            % ("CANCEL" if cancelled else "REQUEST"),
        }
    ]


def meeting_email(
    meeting: NetworkMeeting | DialogueMeeting,
    invitation,
    *,
    template: str,
    key: str,
    ics=False,
    cancelled=False,
    shared_ics=None,
    **extra,
) -> dict:
    """One outbox row from templates/email/meetings/<template> (a dialogue meeting's from
    dialogue_<template>); `key` makes it unique within the meeting. `shared_ics` is the
    calendar file every invitee shares, made once. The templates name the person
    `invitation` or `signup`."""
    dialogue = _is_dialogue(meeting)
    if dialogue:
        template = f"dialogue_{template}"
    context = {
        "meeting": meeting,
        "signup" if dialogue else "invitation": invitation,
        "answer_link": absolute_url(invitation.get_answer_url()),
        "meeting_link": absolute_url(meeting.get_absolute_url()),
        **extra,
    }
    row = render_email(
        template=f"meetings/{template}", context=context, language=recipient_language(invitation)
    )
    row.update(
        to=invitation.email,
        kind=f"meetings.{template}",
        dedup_key=f"{'dialogue' if dialogue else 'meeting'}:{meeting.pk}:{key}",
        # Staff follow each e-mail back to the invitation it was sent for.
        cause=invitation,
        attachments=(
            _ics_attachment(meeting, invitation, cancelled=cancelled, shared=shared_ics)
            if ics
            else []
        ),
    )
    return row


def meeting_emails_queue(
    *,
    meeting: NetworkMeeting | DialogueMeeting,
    invitations,
    template: str,
    key,
    ics=True,
    cancelled=False,
    each=None,
    **extra,
) -> int:
    """Queues one e-mail per invitation; an e-mail about the meeting carries the calendar
    file unless `ics` is False, made once for all of them and then made personal.
    `key(invitation)` makes each unique within the meeting, `each(invitation)` adds what
    differs per invitee. Returns how many."""
    shared = calendar.meeting_ics(meeting, cancelled=cancelled) if ics else None
    email_queue_many(
        [
            meeting_email(
                meeting,
                inv,
                template=template,
                key=key(inv),
                ics=ics,
                cancelled=cancelled,
                shared_ics=shared,
                **extra,
                **(each(inv) if each else {}),
            )
            for inv in invitations
        ]
    )
    return len(invitations)


def changes_in_words(before: dict, meeting, fields, language) -> list[dict]:
    """What changed, "was → is now", in the invitee's language, for the update e-mail.
    The start and the end are told as the time of the meeting together."""

    def when(starts, ends):
        if not starts or not ends:
            return ""
        starts, ends = timezone.localtime(starts), timezone.localtime(ends)
        day = date_format(starts, "l j F Y")
        return _("%(day)s at %(start)s–%(end)s") % {
            "day": day,
            "start": starts.strftime("%H.%M"),
            "end": ends.strftime("%H.%M"),
        }

    with translation.override(language):
        rows = []
        if "starts_at" in fields or "ends_at" in fields:
            rows.append(
                {
                    "what": _("Time"),
                    "was": when(before.get("starts_at"), before.get("ends_at")),
                    "now": when(meeting.starts_at, meeting.ends_at),
                }
            )
        labels = {
            "venue": _("Place") if _is_dialogue(meeting) else _("Venue"),
            "address": _("Address"),
            "online_link": _("Online link"),
        }
        for name, label in labels.items():
            if name in fields:
                rows.append(
                    {
                        "what": label,
                        "was": before.get(name) or "–",
                        "now": getattr(meeting, name) or "–",
                    }
                )
        return rows
