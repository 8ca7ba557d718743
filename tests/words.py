"""Every app's words by name, for tests that name them as each app's services do."""

from types import SimpleNamespace

import allas.words
import groups.words
import meetings.words
import proposals.words

APPS = (allas.words, groups.words, proposals.words, meetings.words)


def _by_name(class_name: str) -> SimpleNamespace:
    return SimpleNamespace(
        **{word.name: word for app in APPS for word in getattr(app, class_name, ())}
    )


Verb = _by_name("AuditVerb")
Kind = _by_name("NoticeKind")
