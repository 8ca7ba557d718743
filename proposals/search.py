"""Swedish search over proposals, on PostgreSQL and on SQLite alike.

A query word matches a proposal when
- a stored word starts with its stem: inflections ("cykelvägar" → "cykelväg") and
  compounds from their first part ("cykel" → "cykelvägen"); a prefix query on the stemmed
  vector (PostgreSQL's `swedish` configuration) or on FTS5's stemmed text (SQLite);
- a stored word holds its stem after its start: compounds from their last part ("vägen"
  → "cykelvägen", "hållplats" → "busshållplatsen"), found in the vocabulary
  (SearchWord) and added to the query;
- nothing starts with it, the word has six letters or more and a stored word is spelled
  almost alike: one typo ("belysnig" → "belysning"), found with pg_trgm's similarity on
  PostgreSQL and difflib on SQLite, also from the vocabulary.
The vocabulary holds each distinct stemmed word once, so looking words up costs the same
at 1,000 or 50,000 proposals; the matching itself is one indexed query.
"""

import difflib
from dataclasses import dataclass

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from allas.search import WORD, SearchGroup, SearchResult, Term, highlight, snippet

MIN_TYPO = 6
MAX_SUFFIX_WORDS = 40
MAX_TYPO_WORDS = 3
TYPO_SIMILARITY = 0.4  # pg_trgm similarity; one typo in six letters or more is 0.45-0.6
TYPO_RATIO = 0.8  # difflib's ratio for the same on SQLite
TYPO_CANDIDATES = 3000


def _usable(word: str) -> bool:
    return bool(word) and WORD.fullmatch(word) is not None


@dataclass
class Expanded:
    terms: list[Term]

    @property
    def empty(self) -> bool:
        """Nothing can match: no terms, or a term that no stored word starts with, holds
        or resembles. Then no proposal is read at all (a search with no hit costs one
        vocabulary lookup at any size)."""
        return not self.terms or not all(getattr(t, "known", True) for t in self.terms)


def expand(terms: list[Term]) -> Expanded:
    """Adds to each term the stored words it also stands for, in one query."""
    if not terms:
        return Expanded([])
    postgresql = connection.vendor == "postgresql"
    rows = _lookup_postgresql(terms) if postgresql else _lookup_sqlite(terms)
    found = {i: {"p": set(), "s": set(), "t": set(), "c": set()} for i in range(len(terms))}
    for i, kind, word in rows:
        found[i][kind].add(word)
    for i, term in enumerate(terms):
        kinds = found[i]
        term.known = bool(kinds["p"] or kinds["s"])
        term.also = {w for w in kinds["s"] if _usable(w)}
        if not kinds["p"] and not kinds["s"] and len(term.word) >= MIN_TYPO:
            if kinds["c"]:
                kinds["t"] = set(
                    difflib.get_close_matches(
                        term.stem, kinds["c"], n=MAX_TYPO_WORDS, cutoff=TYPO_RATIO
                    )
                )
            term.also |= {w for w in kinds["t"] if _usable(w)}
            term.known = bool(term.also)
    return Expanded(terms)


def _lookup_postgresql(terms):
    parts, params = [], []
    for i, term in enumerate(terms):
        parts.append("(SELECT %s, 'p', word FROM proposals_searchword WHERE word LIKE %s LIMIT 1)")
        params += [i, term.stem + "%"]
        if len(term.stem) >= 3:
            parts.append(
                "(SELECT %s, 's', word FROM proposals_searchword WHERE word LIKE %s "
                "AND word <> %s ORDER BY length(word), word LIMIT %s)"
            )
            params += [i, "%" + term.stem + "%", term.stem, MAX_SUFFIX_WORDS]
        if len(term.word) >= MIN_TYPO:
            parts.append(
                "(SELECT %s, 't', word FROM proposals_searchword WHERE word %% %s "
                "AND similarity(word, %s) >= %s ORDER BY word <-> %s, word LIMIT %s)"
            )
            params += [i, term.word, term.word, TYPO_SIMILARITY, term.word, MAX_TYPO_WORDS]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


def _lookup_sqlite(terms):
    parts, params = [], []
    for i, term in enumerate(terms):
        parts.append(
            "SELECT * FROM (SELECT %s, 'p', word FROM proposals_searchword "
            "WHERE word LIKE %s LIMIT 1)"
        )
        params += [i, term.stem + "%"]
        if len(term.stem) >= 3:
            parts.append(
                "SELECT * FROM (SELECT %s, 's', word FROM proposals_searchword "
                "WHERE word LIKE %s AND word <> %s ORDER BY length(word), word LIMIT %s)"
            )
            params += [i, "%" + term.stem + "%", term.stem, MAX_SUFFIX_WORDS]
        if len(term.word) >= MIN_TYPO:
            # Candidates for difflib: same first letter, about the same length.
            parts.append(
                "SELECT * FROM (SELECT %s, 'c', word FROM proposals_searchword "
                "WHERE word LIKE %s AND length(word) BETWEEN %s AND %s LIMIT %s)"
            )
            params += [
                i,
                term.word[0] + "%",
                len(term.stem) - 2,
                len(term.stem) + 2,
                TYPO_CANDIDATES,
            ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


# -- PostgreSQL: one tsquery ------------------------------------------------------------


def tsquery(expanded: Expanded):
    from django.contrib.postgres.search import SearchQuery

    query = None
    for term in expanded.terms:
        # Only letters and digits reach the raw syntax (allas.search.WORD).
        one = SearchQuery(f"{term.word}:*", config="swedish", search_type="raw")
        if term.stem != term.word:
            one |= SearchQuery(f"{term.stem}:*", config="simple", search_type="raw")
        if term.also:
            alternatives = " | ".join(sorted(term.also))
            one |= SearchQuery(alternatives, config="simple", search_type="raw")
        query = one if query is None else query & one
    return query


# -- SQLite: FTS5 over stemmed text -----------------------------------------------------

FTS_TABLE = "proposals_fts"


def stemmed(text: str) -> str:
    from allas.search import stem, words

    return " ".join(stem(w) for w in words(text))


def fts_match(expanded: Expanded) -> str:
    parts = []
    for term in expanded.terms:
        options = [f'"{term.stem}"*', f'"{term.word}"*']
        options += [f'"{w}"' for w in sorted(term.also)]
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


# -- the proposals' part of /sok/ -----------------------------------------------------


def search(*, query, terms, user, limit):
    from urllib.parse import urlencode

    from .models import Proposal

    matches = list(
        Proposal.objects.listed()
        .search_terms(terms)
        .select_related("locality")
        .only("pk", "title", "body", "status", "created_at", "locality__name")[: limit + 1]
    )
    return SearchGroup(
        kind="forslag",
        heading=str(_("Proposals")),
        results=[
            SearchResult(
                title=highlight(p.title, terms),
                url=p.get_absolute_url(),
                text=snippet(p.body, terms),
                meta=f"{p.locality.name} · {p.get_status_display()}",
            )
            for p in matches[:limit]
        ],
        more=len(matches) > limit,
        more_url=reverse("proposal_list") + "?" + urlencode({"q": query}),
    )
