"""What a notification is, and the texts each app registers for its events.

The app where something happens builds a `Notification` (its own `notices` module, e.g.
`proposals.notices.proposal_submitted(proposal)`) and hands it to `notify()`. The texts of
its events live there too, in a dict named EVENTS, and the modules are listed in
settings.NOTICE_MODULES: this app never imports the apps above it, yet renders their
e-mails and digests in the reader's language."""

from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import QuerySet
from django.utils import translation
from django.utils.functional import Promise

from allas.models import Locality, User


class InDigest(StrEnum):
    """How the weekly digest shows an event under its topic (the digest reads the newest
    event of a topic first)."""

    # The topic is new: marked so, with this line until a state is known.
    OPENS = "opens"
    # The newest gives the topic's state: its status, the answer and a linked action.
    STATE = "state"
    # Each one is a line, e.g. every comment with its text.
    EACH = "each"
    # Only the newest is a line, and only if nothing newer made one.
    LATEST = "latest"


@dataclass(frozen=True)
class Event:
    """The subject of a direct e-mail and the heading of a digest line. Both are formatted
    with %(title)s, %(ort)s, %(status)s (from data, in the reader's language) and
    %(author)s (from data)."""

    subject: str | Promise
    heading: str | Promise
    in_digest: InDigest = InDigest.LATEST


@dataclass(frozen=True)
class Audience:
    """Who hears of it: the followers of an ort, of every ort, of a proposal, and people
    named by id. The person who did it never does, nor those already told otherwise.

    `proposal_followers` are the user ids of those who follow the proposal, handed over by
    the app that keeps its follows: a query of ids (`.values("user_id")`), read as a
    subquery of the one that finds the followers."""

    ort: Locality | None = None
    every_ort: bool = False
    proposal_followers: QuerySet | None = None
    user_ids: tuple[int, ...] = ()
    actor: User | None = None
    exclude_user_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Notification:
    """One happening to tell people about.

    `kind` is the setting each person chose for it (a NoticeKind of its app's words), `event`
    a key of some app's EVENTS, `key` names the happening so that it makes one e-mail per
    person, `topic` is what the digest groups by ("proposal:12"). `locality` places it in
    the digest and names the ort in its texts; `cause` is what the outbox row points at.
    `data` is kept with a digest item as it was, e.g. a status in every language."""

    kind: str
    event: str
    key: str
    topic: str
    title: str
    url: str
    audience: Audience
    locality: Locality | None = None
    text: str = ""
    data: dict = field(default_factory=dict)
    cause: models.Model | None = None


def in_languages(text) -> dict[str, str]:
    """A lazy translation, rendered in every language of the portal."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = str(text)
    return result


def pick_language(values, language: str) -> str:
    """The text for the language from in_languages(), or a plain text as it is."""
    if isinstance(values, dict):
        return values.get(language) or values.get(settings.LANGUAGE_CODE) or ""
    return values or ""


def registered_events() -> dict[str, Event]:
    """Every app's events, from the modules in settings.NOTICE_MODULES."""
    events: dict[str, Event] = {}
    for name in settings.NOTICE_MODULES:
        for key, event in import_module(name).EVENTS.items():
            # A stored digest item names its event only by this key.
            if key in events:
                raise ImproperlyConfigured(f"Two notice modules register the event {key!r}.")
            events[key] = event
    return events


def follows_elsewhere(user) -> list[str]:
    """What the person follows in the apps above, told on the notification settings page:
    a sentence from each module in settings.NOTICE_MODULES that offers
    `follows_summary(user)`, e.g. how many proposals they follow."""
    lines = []
    for name in settings.NOTICE_MODULES:
        summary = getattr(import_module(name), "follows_summary", None)
        if summary is not None:
            lines.append(summary(user))
    return lines


def event_texts(event: Event, *, title: str, ort: str, data: dict, language: str):
    """(subject, heading) in the active language."""
    values = {
        "title": title,
        "ort": ort or "",
        "status": pick_language(data.get("status"), language),
        "author": data.get("author") or "",
    }
    return str(event.subject) % values, str(event.heading) % values
