"""The portal's one search (/sok/): Swedish words, stems and highlighting, shared by every
app, and the orter's own part of the results.

Each app contributes its results through a module named in settings.SEARCH_MODULES with
`search(*, query, terms, user, limit) -> SearchGroup | None`; the core knows no app.
"""

import re
import threading
from dataclasses import dataclass, field
from importlib import import_module

import snowballstemmer
from django.conf import settings
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# Letters and digits; the underscore and every punctuation mark split words, so nothing
# a visitor types can reach a query language (tsquery, FTS5, LIKE) as syntax.
WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
MAX_QUERY = 200

# The Snowball project's Swedish stop words, as PostgreSQL's `swedish` configuration drops
# them: a query word that is one of them would otherwise never match.
STOPWORDS = frozenset(
    [
        "och",
        "det",
        "att",
        "i",
        "en",
        "jag",
        "hon",
        "som",
        "han",
        "på",
        "den",
        "med",
        "var",
        "sig",
        "för",
        "så",
        "till",
        "är",
        "men",
        "ett",
        "om",
        "hade",
        "de",
        "av",
        "icke",
        "mig",
        "du",
        "henne",
        "då",
        "sin",
        "nu",
        "har",
        "inte",
        "hans",
        "honom",
        "skulle",
        "hennes",
        "där",
        "min",
        "man",
        "ej",
        "vid",
        "kunde",
        "något",
        "från",
        "ut",
        "när",
        "efter",
        "upp",
        "vi",
        "dem",
        "vara",
        "vad",
        "över",
        "än",
        "dig",
        "kan",
        "sina",
        "här",
        "ha",
        "mot",
        "alla",
        "under",
        "någon",
        "eller",
        "allt",
        "mycket",
        "sedan",
        "ju",
        "denna",
        "själv",
        "detta",
        "åt",
        "utan",
        "varit",
        "hur",
        "ingen",
        "mitt",
        "ni",
        "bli",
        "blev",
        "oss",
        "din",
        "dessa",
        "några",
        "deras",
        "blir",
        "mina",
        "samma",
        "vilken",
        "er",
        "sådan",
        "vår",
        "blivit",
        "dess",
        "inom",
        "mellan",
        "sådant",
        "varför",
        "varje",
        "vilka",
        "ditt",
        "vem",
        "vilket",
        "sitta",
        "sådana",
        "vart",
        "dina",
        "vars",
        "vårt",
        "våra",
        "ert",
        "era",
        "vilkas",
    ]
)

_local = threading.local()


def stem(word: str) -> str:
    """The Swedish Snowball stem of one lower-case word ("cykelvägar" → "cykelväg")."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:  # Snowball stemmers keep state: one per thread.
        stemmer = _local.stemmer = snowballstemmer.stemmer("swedish")
    return stemmer.stemWord(word)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


@dataclass
class Term:
    """One word of a query: as typed (lower case), its stem, and the stored words that it
    also stands for (compounds ending in it, or the right spelling of a typo)."""

    word: str
    stem: str
    also: set[str] = field(default_factory=set)

    def matches(self, word: str) -> bool:
        word_stem = stem(word)
        return (
            word.startswith(self.word)
            or word_stem.startswith(self.stem)
            or word_stem in self.also
            or word in self.also
        )


def query_terms(text: str) -> list[Term]:
    seen, terms = set(), []
    for word in words(text[:MAX_QUERY]):
        if len(word) > 1 and word not in seen and word not in STOPWORDS:
            seen.add(word)
            terms.append(Term(word=word, stem=stem(word)))
    return terms[:MAX_WORDS]


def highlight(text: str, terms: list[Term]) -> SafeString:
    """The text, escaped, with each word that a term matches in <mark>."""
    if not terms:
        return escape(text)
    out, last = [], 0
    for match in WORD.finditer(text):
        if any(term.matches(match.group().lower()) for term in terms):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def snippet(text: str, terms: list[Term], length: int = 200) -> SafeString:
    """About `length` characters of the text around its first match, highlighted."""
    start = 0
    for match in WORD.finditer(text):
        if any(term.matches(match.group().lower()) for term in terms):
            start = max(0, match.start() - length // 3)
            break
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    piece = text[start : start + length]
    if start + length < len(text):
        cut = piece.rfind(" ")
        piece = piece[: cut if cut > length // 2 else len(piece)]
    result = highlight(piece, terms)
    prefix = "… " if start else ""
    suffix = " …" if start + len(piece) < len(text) else ""
    return mark_safe(f"{prefix}{result}{suffix}")  # noqa: S308 - highlight() escaped it


def text_filter(terms: list[Term], fields: list[str]) -> Q:
    """Every term in at least one of the fields, as a stem inside the text: finds
    inflections and compounds from their first or last part on any database. For the
    small tables (actions, meetings, orter); proposals have an index of their own."""
    condition = Q()
    for term in terms:
        needle = term.stem if len(term.stem) >= 3 else term.word
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": needle})
        condition &= either
    return condition


@dataclass
class SearchResult:
    title: SafeString
    url: str
    text: SafeString = mark_safe("")  # noqa: S308 - empty
    meta: str = ""


@dataclass
class SearchGroup:
    kind: str  # a stable key, also the section's id on the page
    heading: str
    results: list[SearchResult]
    more_url: str = ""  # where all of this kind's results are, if there are more
    more: bool = False


def search_modules():
    return [import_module(name) for name in settings.SEARCH_MODULES]


def search_all(*, query: str, user, limit: int = 10) -> list[SearchGroup]:
    terms = query_terms(query)
    if not terms:
        return []
    groups = []
    for module in search_modules():
        group = module.search(query=query, terms=terms, user=user, limit=limit)
        if group is not None and group.results:
            groups.append(group)
    return groups


def search(*, query, terms, user, limit):
    """The core's own part: the orter."""
    from django.urls import reverse

    from .models import Locality

    localities = list(
        Locality.objects.filter(text_filter(terms, ["name", "description"])).order_by("name")[
            : limit + 1
        ]
    )
    return SearchGroup(
        kind="orter",
        heading=str(_("Orter")),
        results=[
            SearchResult(
                title=highlight(locality.name, terms),
                url=reverse("locality_detail", args=[locality.slug]),
                text=snippet(locality.local_description, terms) if locality.description else "",
            )
            for locality in localities[:limit]
        ],
        more=len(localities) > limit,
    )
