"""The poster of a group's dialogue meeting, printed on one A4 sheet and put up in the ort,
and the short address its QR code leads to."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from allas.page_cache import cached_for_visitors
from allas.services import absolute_url
from groups.models import DialogueMeeting

from .permissions import can_see_meeting
from .poster import sheet_for
from .qr import qr_svg


def _get_meeting_for_user(request, **lookup) -> DialogueMeeting:
    """A draft is its group's coordinators' and staff's: to everyone else it does not
    exist (404), neither by its number nor by its short address."""
    meeting = get_object_or_404(DialogueMeeting.objects.select_related("group__locality"), **lookup)
    if not can_see_meeting(request.user, meeting):
        raise Http404
    return meeting


@require_safe
def short_address(request, short):
    """The address on the poster, typed or scanned: on to the meeting's page.

    A temporary redirect (302), not a permanent one (301): the printed address is what
    must last, while where it leads is the portal's to decide at each visit. Browsers and
    scanner apps keep a 301 for good, so a moved page or a removed meeting would keep
    being sent to the old place; and the answer differs by who asks (a draft is found
    by its coordinators only), which a permanent redirect must not. The cost is one
    request to the portal per scan."""
    meeting = _get_meeting_for_user(request, short_code=short)
    return redirect(meeting.get_absolute_url())


def _will_take_signups(meeting: DialogueMeeting) -> bool:
    """A draft's poster is printed to be put up once it is published: it asks people to
    sign up as the published meeting's will."""
    if meeting.status == DialogueMeeting.Status.DRAFT:
        return timezone.now() < meeting.closes_at
    return meeting.takes_signups()


@cached_for_visitors
@require_safe
def poster(request, pk):
    """One A4 sheet in black and white, large type for every reader: the group, what,
    when, where, a few lines about it, and how to sign up: scan the code or type the
    short address written under it."""
    meeting = _get_meeting_for_user(request, pk=pk)
    short_url = absolute_url(meeting.get_short_url())
    # What a person types: browsers add the scheme, and Django the closing slash.
    typed = short_url.split("://", 1)[-1].rstrip("/")
    start, code = typed.rsplit("/", 1)
    label = _("QR code that leads to the meeting's page: %(address)s") % {"address": typed}
    return render(
        request,
        "meetings/dialogue/poster/poster.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "sheet": sheet_for(meeting, has_contact=bool(meeting.group.contact_email)),
            # Written in two parts: a narrow screen breaks the line before the code.
            "address_start": start + "/",
            "address_code": code,
            "qr_code": qr_svg(short_url, label=label),
            "takes_signups": _will_take_signups(meeting),
            "show_kind": meeting.kind != DialogueMeeting.Kind.OTHER,
        },
    )
