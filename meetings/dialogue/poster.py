"""What of a dialogue meeting fits on its poster: one A4 sheet in large type, with the
code and the short address at its foot (static/css/poster.css sets the type).

The fields may be long (a title of 200 characters, a place and an address of 500
together, a description of 3 000), and printing runs no script to measure them, so the
sheet is planned here from the printed sizes: a long title or place is set smaller, a
place or address past what a reader takes in is shortened, and the description gets the
lines that are left, cut after a whole sentence or word. Each estimate takes wide
letters, so it errs on the side of room to spare. The meeting's page, where the code
leads, has everything in full."""

import math
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import DialogueMeeting

# Millimetres of the printed sheet: its height, and what stands below the description
# whatever the meeting: the sign-up block (the code is 60 mm), the foot line, the gaps.
SHEET = 268
SIGNUP = 82
CONTACT = 21
FOOTER = 6
GAP = 5
# The group's name and the kind above the title.
HEADING = 22


@dataclass(frozen=True)
class Type:
    """A kind of line on the sheet: its height in mm and how many letters it holds across
    the sheet or its column (in DejaVu Sans, Debian's default and one of the widest, with
    a little to spare)."""

    height: float
    letters: int

    def lines(self, text: str) -> int:
        """How many lines the text takes, wrapped between words as the browser does."""
        return sum(self._wrapped(line.split()) for line in text.splitlines() or [""])

    def _wrapped(self, words: list[str]) -> int:
        lines, width = 1, 0
        for word in words:
            needed = width + 1 + len(word) if width else len(word)
            if needed <= self.letters:
                width = needed
                continue
            if width:
                lines += 1
            # A word longer than a line breaks across lines (overflow-wrap: anywhere).
            extra = (len(word) - 1) // self.letters
            lines, width = lines + extra, len(word) - extra * self.letters
        return lines


TITLE = Type(17.1, 19)  # 44 pt bold
LONG_TITLE = Type(12.4, 26)  # 32 pt bold
VERY_LONG_TITLE = Type(8.5, 38)  # 22 pt bold
LONGEST_TITLE = Type(7.0, 46)  # 18 pt bold
FACTS = Type(10.1, 29)  # 22 pt bold, beside "När" and "Var"
LONG_FACTS = Type(7.8, 40)  # 17 pt bold
NOTICE = Type(10.6, 40)  # 20 pt bold, in a frame
ONLINE = Type(7.9, 44)  # 16 pt, under the place
DESCRIPTION = Type(7.9, 58)  # 16 pt
# Each title size (its class in poster.css) while the title takes at most so many lines.
TITLE_SIZES = (
    ("", TITLE, 3),
    ("poster-title-long", LONG_TITLE, 4),
    ("poster-title-very-long", VERY_LONG_TITLE, 5),
    ("poster-title-longest", LONGEST_TITLE, 99),
)
# From the fullest sheet to the most compact, the first whose top fits is used: at most
# so many characters of the place and of the address, and the note that the meeting can
# be followed online (the meeting's page has the link) or not.
PLANS = ((80, 100, True), (80, 100, False), (50, 60, False))


@dataclass(frozen=True)
class Sheet:
    notice: str
    venue: str
    address: str
    online_note: str
    title_size: str
    facts_size: str
    summary: str = ""


def sheet_for(meeting: DialogueMeeting, *, has_contact: bool) -> Sheet:
    """What the poster of the meeting shows, planned to fit: `has_contact` says whether
    the group's e-mail address stands under the code."""
    room = SHEET - SIGNUP - FOOTER - 2 * GAP - (CONTACT if has_contact else 0)
    for venue_at_most, address_at_most, online in PLANS:
        sheet, height = _top(meeting, venue_at_most, address_at_most, online)
        if height <= room:
            break
    lines = math.floor((room - height - GAP) / DESCRIPTION.height)
    return replace(sheet, summary=poster_summary(meeting.description, max(lines, 0)))


def _top(
    meeting: DialogueMeeting, venue_at_most: int, address_at_most: int, online: bool
) -> tuple[Sheet, float]:
    """The sheet above the description, and its height in mm."""
    notice = _notice(meeting)
    venue = shorten(meeting.venue, venue_at_most)
    address = shorten(meeting.address, address_at_most)
    online_note = _online_note() if online and meeting.online_link else ""
    title_size, title = next(
        (size, kind) for size, kind, most in TITLE_SIZES if kind.lines(meeting.title) <= most
    )
    facts_size, facts = _facts_type(venue, address)
    height = HEADING + title.height * title.lines(meeting.title)
    if notice:
        height += GAP + NOTICE.height * NOTICE.lines(notice) + 4
    # The date and the time; a meeting over two days also says when it ends.
    when = 2 if _day(meeting.starts_at) == _day(meeting.ends_at) else 3
    where = facts.lines(venue) + (facts.lines(address) if address else 0)
    height += GAP + facts.height * (when + where) + 3
    if online_note:
        height += ONLINE.height * ONLINE.lines(online_note) + 1
    sheet = Sheet(notice, venue, address, online_note, title_size, facts_size)
    return sheet, height


def _day(moment):
    return timezone.localtime(moment).date()


def _notice(meeting: DialogueMeeting) -> str:
    if meeting.status == DialogueMeeting.Status.DRAFT:
        return _(
            "Draft: the meeting is not published. The code and the address work for "
            "everyone only once it is published."
        )
    if meeting.status == DialogueMeeting.Status.CANCELLED:
        return _("The meeting is cancelled.")
    return ""


def _online_note() -> str:
    return _("You can also take part online: the link is on the meeting's page.")


def _facts_type(venue: str, address: str) -> tuple[str, Type]:
    if FACTS.lines(venue) + (FACTS.lines(address) if address else 0) <= 3:
        return "", FACTS
    return "poster-facts-long", LONG_FACTS


def poster_summary(text: str, lines: int, kind: Type = DESCRIPTION) -> str:
    """The start of the description in at most `lines` lines of its type: its own lines
    while they fit whole, then the next one shortened to the room left, if any. Blank
    lines are dropped: the sheet has no room for them."""
    kept: list[str] = []
    for line in filter(None, (" ".join(line.split()) for line in text.splitlines())):
        needs = kind.lines(line)
        if needs <= lines:
            kept.append(line)
            lines -= needs
            continue
        limit = lines * kind.letters
        while limit > 0 and kind.lines(shorten(line, limit)) > lines:
            limit -= kind.letters // 4
        if limit > 0:
            kept.append(shorten(line, limit))
        break
    return "\n".join(kept)


def shorten(line: str, limit: int) -> str:
    """The line, or its start cut after the last whole sentence that fits in `limit`
    characters (if that keeps at least half), or else after a whole word, with "…"."""
    if len(line) <= limit:
        return line
    head = line[: limit + 1]
    sentence = max(head.rfind(mark) for mark in (". ", "! ", "? "))
    if sentence >= limit // 2:
        return head[: sentence + 1]
    words = head[:limit].rsplit(" ", 1)[0] if " " in head[:limit] else head[: limit - 1]
    return words.rstrip(" .,;:–-") + "…"
