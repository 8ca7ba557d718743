"""Proposals, their status changes and supports, and how the list and search read them."""

from django.conf import settings
from django.contrib.postgres.search import (
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, models
from django.db.models import Case, F, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from allas.models import Locality, SlusGoal, actor_field
from groups.models import Action, DialogueMeeting

TITLE_MAX = 150
BODY_MAX = 5000
COMMENT_MAX = 2000


class Visibility(models.TextChoices):
    """What moderation has made of a proposal or comment."""

    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden until a moderator decides")
    REMOVED = "removed", _("Removed by a moderator")


def goals_prefetch():
    """The areas of many proposals in one query, as plain lists (to_attr), which render
    much faster than a related manager per row."""
    return models.Prefetch(
        "goals", queryset=SlusGoal.objects.order_by("number"), to_attr="goal_list"
    )


def search_vector():
    """The stored search text: the title weighs more than the body."""
    return SearchVector("title", weight="A", config="swedish") + SearchVector(
        "body", weight="B", config="swedish"
    )


# A search ranks at most this many of its newest matches, and the list pages reach at
# most this deep: the cost of a page stays the same at any number of proposals.
SEARCH_DEPTH = 300


class ProposalQuerySet(models.QuerySet):
    def update_search_vectors(self) -> None:
        """Keeps the search index in step with title and body: the stored vector and the
        vocabulary on PostgreSQL, the FTS5 table and the vocabulary on SQLite."""
        from .. import search

        ids = list(self.values_list("pk", flat=True))
        if connection.vendor == "postgresql":
            self.model.objects.filter(pk__in=ids).update(search_vector=search_vector())
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO proposals_searchword (word) "
                    "SELECT DISTINCT w FROM proposals_proposal, "
                    "unnest(tsvector_to_array(search_vector)) AS w "
                    "WHERE id = ANY(%s) AND length(w) <= 60 ON CONFLICT DO NOTHING",
                    [ids],
                )
            return
        if connection.vendor != "sqlite":
            return
        rows, vocabulary = [], set()
        for pk, title, body in self.model.objects.filter(pk__in=ids).values_list(
            "pk", "title", "body"
        ):
            title_words, body_words = search.stemmed(title), search.stemmed(body)
            rows.append((pk, title_words, body_words))
            vocabulary.update(title_words.split(), body_words.split())
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM proposals_fts WHERE rowid = %s", [(r[0],) for r in rows]
            )
            cursor.executemany(
                "INSERT INTO proposals_fts (rowid, title, body) VALUES (%s, %s, %s)", rows
            )
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in vocabulary if len(w) <= 60], ignore_conflicts=True
        )

    def listed(self):
        """What the public lists show: not hidden or removed by moderation."""
        return self.filter(visibility=Visibility.VISIBLE)

    def for_list(self):
        """Only what a card shows, never the body or search vector."""
        return self.select_related("locality").only(
            "pk",
            "title",
            "status",
            "support_count",
            "comment_count",
            "edited_at",
            "created_at",
            "locality__name",
        )

    def search(self, text: str):
        """Full-text search in Swedish, title matches first (see proposals.search)."""
        from allas.search import query_terms

        return self.search_terms(query_terms(text))

    def search_terms(self, terms, depth: int = SEARCH_DEPTH):
        """The newest `depth` matches of the terms, best first: title matches, then the
        rest, newest first among equals. A common word costs as much as a rare one."""
        from .. import search

        expanded = search.expand(terms)
        if expanded.empty:
            return self.none()
        if connection.vendor == "postgresql":
            query = search.tsquery(expanded)
            matches = self.filter(search_vector=query)
            rank = SearchRank(F("search_vector"), query, weights=[0.01, 0.02, 0.05, 1.0])
        else:
            match = search.fts_match(expanded)
            # The match is built from letters and digits only (allas.search.WORD).
            fts = "SELECT rowid FROM proposals_fts WHERE proposals_fts MATCH %s"
            matches = self.filter(pk__in=RawSQL(fts, [match]))  # noqa: S611
            in_title = RawSQL(fts, [f"title : ({match})"])  # noqa: S611
            rank = Case(When(pk__in=in_title, then=Value(1)), default=Value(0))
        newest = matches.order_by("-created_at", "-id").values("pk")[:depth]
        return (
            self.filter(pk__in=newest).annotate(rank=rank).order_by("-rank", "-created_at", "-id")
        )


class SearchWord(models.Model):
    """Every distinct stemmed word of the proposals, once: where a query word finds the
    compounds that end in it and the right spelling of a typo (proposals.search).
    Indexed with pg_trgm on PostgreSQL (migration 0007). Words of edited proposals stay;
    they cost nothing but a lookup that finds no proposal."""

    word = models.CharField(max_length=60, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


def _list_index(name: str, *fields: str) -> models.Index:
    """The index of one list of proposals: its filter and sort, then the newest first."""
    return models.Index(fields=[*fields, "-created_at", "-id"], name=name)


class Proposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("proposal", "Submitted")
        UNDER_REVIEW = "under_review", pgettext_lazy("proposal", "Under review")
        ACCEPTED = "accepted", pgettext_lazy("proposal", "Accepted")
        DECLINED = "declined", pgettext_lazy("proposal", "Declined")
        DONE = "done", pgettext_lazy("proposal", "Done")
        WITHDRAWN = "withdrawn", pgettext_lazy("proposal", "Withdrawn")

    # Reaching these needs a public answer (återkoppling).
    NEEDS_ANSWER = (Status.ACCEPTED, Status.DECLINED, Status.DONE)
    # Decided: no more comments, no withdrawing.
    DECIDED = (Status.ACCEPTED, Status.DECLINED, Status.DONE, Status.WITHDRAWN)
    # Where the group may move a proposal from each status.
    TRANSITIONS = {
        Status.SUBMITTED: (Status.UNDER_REVIEW, Status.ACCEPTED, Status.DECLINED),
        Status.UNDER_REVIEW: (Status.ACCEPTED, Status.DECLINED, Status.SUBMITTED),
        Status.ACCEPTED: (Status.DONE, Status.UNDER_REVIEW),
        Status.DECLINED: (Status.UNDER_REVIEW,),
        Status.DONE: (),
        Status.WITHDRAWN: (),
    }

    locality = models.ForeignKey(
        Locality, verbose_name=_("ort"), on_delete=models.PROTECT, related_name="proposals"
    )
    author = actor_field(_("author"), related_name="proposals", blank=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("proposal"), max_length=BODY_MAX)
    goals = models.ManyToManyField(
        SlusGoal, verbose_name=_("SLUS areas"), blank=True, related_name="proposals"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("action in the plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # The group's dialogue meeting where the proposal was raised, if it was.
    raised_at = models.ForeignKey(
        DialogueMeeting,
        verbose_name=_("raised at the meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    visibility = models.CharField(
        _("moderation"), max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    # Kept by the services so that lists sort and show counts without counting.
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    answered_at = models.DateTimeField(_("last answered"), null=True, blank=True)
    # Moves with every change to the text, areas or status.
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Indexed with GIN on PostgreSQL (migration 0005); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # Where the proposal is at the municipality (models.municipality.Stage): kept here by
    # the services, so that the lists filter on it from an index and show it without a join.
    municipal_stage = models.CharField(
        _("at the municipality"),
        max_length=10,
        blank=True,
        default="",
        # Set by the database too, so that a server still on the code before this column
        # can go on adding proposals while another migrates (a rolling deploy).
        db_default="",
        editable=False,
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["visibility", "-created_at", "-id"]),
            models.Index(fields=["locality", "status"]),
            models.Index(fields=["status", "created_at"]),
            # One per sort and per filter, so that a page reads only its own rows. The
            # "answered" sort's index (NULLS LAST) is PostgreSQL's only: migration 0007.
            _list_index("proposal_list_supported", "visibility", "-support_count"),
            _list_index("proposal_list_discussed", "visibility", "-comment_count"),
            _list_index("proposal_list_ort", "locality", "visibility"),
            _list_index("proposal_list_status", "status", "visibility"),
            # An ort and a status together (the ort's open proposals): counted from the
            # index alone.
            _list_index("proposal_list_ort_status", "locality", "status", "visibility"),
            _list_index("proposal_list_municipal", "municipal_stage", "visibility"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposal_detail", args=[self.pk])

    @property
    def is_decided(self):
        return self.status in self.DECIDED

    @property
    def is_listed(self):
        return self.visibility == Visibility.VISIBLE


class StatusChange(models.Model):
    """One step in a proposal's public history, with the answer (återkoppling)."""

    class AnsweredAs(models.TextChoices):
        AUTHOR = "author", _("The author")
        GROUP = "group", _("The local development group")
        STAFF = "staff", _("Vimmerby kommun")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="history"
    )
    status = models.CharField(_("status"), max_length=16, choices=Proposal.Status.choices)
    answer = models.TextField(_("answer"), blank=True, max_length=BODY_MAX)
    answered_by = actor_field(_("answered by"))
    answered_as = models.CharField(_("answered as"), max_length=8, choices=AnsweredAs.choices)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.proposal}: {self.get_status_display()}"


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="support_once_per_user")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"
