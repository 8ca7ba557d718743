"""The words the portal stores as plain strings and shows in words: what an audit entry
records (its verb), what an e-mail in the outbox is (its kind) and what a notice is about
(the kind each person chooses how to hear of).

Each app defines its own words in its `words` module, and settings.VOCABULARY_MODULES
names the modules, as SEARCH_MODULES does for search: the core labels every app's words
without importing an app. A module may offer
- AuditVerb: a TextChoices of its audit verbs, and AUDIT_SUMMARIES, the sentence an entry
  of each verb says (filled by allas.audit.record);
- EMAIL_KINDS: {kind: label} of the e-mails it sends, and EMAIL_FAMILIES: {prefix: label}
  for a kind it adds later;
- NoticeKind: a TextChoices of the kinds of notice it causes, in the order the settings
  page shows them.
A stored word is never renamed, so an entry written years ago still reads in words; a
word no module defines any longer reads as itself (a verb) or by its family (a kind)."""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Vocabulary:
    verbs: dict[str, Promise] = field(default_factory=dict)
    summaries: dict[str, Promise] = field(default_factory=dict)
    email_kinds: dict[str, Promise] = field(default_factory=dict)
    email_families: dict[str, Promise] = field(default_factory=dict)
    notice_kinds: dict[str, Promise] = field(default_factory=dict)


def _add(into: dict, words, module: str) -> None:
    for value, label in words:
        if value in into:
            raise ImproperlyConfigured(f"{module} defines “{value}”, which another app has.")
        into[value] = label


@cache
def _collect(modules: tuple[str, ...]) -> Vocabulary:
    found = Vocabulary()
    for name in modules:
        module = import_module(name)
        verbs = getattr(module, "AuditVerb", None)
        _add(found.verbs, verbs.choices if verbs else [], name)
        _add(found.summaries, getattr(module, "AUDIT_SUMMARIES", {}).items(), name)
        _add(found.email_kinds, getattr(module, "EMAIL_KINDS", {}).items(), name)
        _add(found.email_families, getattr(module, "EMAIL_FAMILIES", {}).items(), name)
        notices = getattr(module, "NoticeKind", None)
        _add(found.notice_kinds, notices.choices if notices else [], name)
        missing = set(verbs.values if verbs else []) - set(getattr(module, "AUDIT_SUMMARIES", {}))
        if missing:
            raise ImproperlyConfigured(f"{name} has verbs without a summary: {sorted(missing)}")
    return found


def vocabulary() -> Vocabulary:
    """Every app's words (read once per list of modules, so a test may name others)."""
    return _collect(tuple(settings.VOCABULARY_MODULES))


def verb_label(verb: str) -> str:
    return str(vocabulary().verbs.get(verb, verb))


def verb_choices() -> list[tuple[str, str]]:
    """Every verb with its label, sorted by the label in the reader's language."""
    return sorted(((v, str(label)) for v, label in vocabulary().verbs.items()), key=_by_label)


def audit_summary(verb: str) -> Promise:
    try:
        return vocabulary().summaries[verb]
    except KeyError:
        raise ValueError(f"No app defines the audit verb “{verb}”.") from None


def email_kind_label(kind: str) -> str:
    words = vocabulary()
    if kind in words.email_kinds:
        return str(words.email_kinds[kind])
    family = kind.replace("/", ".").split(".", 1)[0]
    return str(words.email_families.get(family, _("Other e-mail")))


def notice_kinds() -> dict[str, Promise]:
    """The kinds of notice, in the order each person is asked how to hear of them."""
    return vocabulary().notice_kinds


def notice_kind_label(kind: str) -> str:
    return str(notice_kinds().get(kind, kind))


def _by_label(choice):
    return choice[1].casefold()
