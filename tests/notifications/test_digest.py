"""The weekly digest: once a week per person, grouped, latest state, never empty, never a
repeat of what went out at once, and a fixed number of queries per batch."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from freezegun import freeze_time

from allas.models import Locality, OutboundEmail
from notifications.digest import (
    DIGEST_BATCH_SIZE,
    _digest_batch,
    digest_cutoff,
    digest_send_due,
    digest_week_key,
)
from notifications.follows import follow_toggle
from notifications.models import Delivery, Follow, Notice, NotificationSetting
from notifications.notices import Audience, Notification
from notifications.notify import notify
from notifications.preferences import settings_save
from proposals import services as proposal_services
from tests.factories import UserFactory
from tests.notifications.conftest import propose
from tests.words import Kind

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A Wednesday; the digest of the week goes out from Monday 7 December 2026, kl. 07.00.
WEDNESDAY = datetime(2026, 12, 2, 12, 0, tzinfo=STOCKHOLM)
NEXT_MONDAY = datetime(2026, 12, 7, 7, 30, tzinfo=STOCKHOLM)


def digests(user=None):
    rows = OutboundEmail.objects.filter(kind="notifications.digest")
    if user is not None:
        rows = rows.filter(to=user.email)
    return list(rows)


def follow(user, slug="storebro"):
    follow_toggle(user=user, locality=Locality.objects.get(slug=slug))


def test_the_digest_starts_on_monday_morning_stockholm_time():
    assert digest_cutoff(NEXT_MONDAY) == datetime(2026, 12, 7, 7, 0, tzinfo=STOCKHOLM)
    sunday = datetime(2026, 12, 6, 23, 0, tzinfo=STOCKHOLM)
    assert digest_cutoff(sunday) == datetime(2026, 11, 30, 7, 0, tzinfo=STOCKHOLM)
    assert digest_week_key(digest_cutoff(NEXT_MONDAY)) == "2026-W50"


def test_the_digest_is_grouped_by_ort_then_proposal_newest_first_with_the_latest_state(
    coordinator,
):
    reader = UserFactory()
    follow(reader)
    follow(reader, "tuna")
    with freeze_time(WEDNESDAY):
        older = propose(UserFactory(), title="Äldre förslaget")
    with freeze_time(WEDNESDAY + timedelta(hours=1)):
        newer = propose(UserFactory(), title="Nyare förslaget")
        propose(UserFactory(), slug="tuna", title="Förslaget i Tuna")
    with freeze_time(WEDNESDAY + timedelta(hours=2)):
        proposal_services.proposal_follow_toggle(user=reader, proposal=older)
        proposal_services.comment_create(
            proposal=older, author=UserFactory(display_name="Greta"), body="Första kommentaren."
        )
        proposal_services.comment_create(
            proposal=older, author=UserFactory(display_name="Hugo"), body="Andra kommentaren."
        )
        proposal_services.proposal_set_status(
            proposal=older, by=coordinator, status="under_review", answer=""
        )
        proposal_services.proposal_set_status(
            proposal=older, by=coordinator, status="accepted", answer="Vi gör det i vår."
        )
    with freeze_time(NEXT_MONDAY):
        digest_send_due()
    [digest] = digests(reader)
    text = digest.body_text
    assert digest.subject == "Allas Vimmerby den här veckan: 3 nyheter"
    # Storebro, then Tuna; in Storebro the proposal with the newest news first.
    assert text.index("== Storebro ==") < text.index("Äldre förslaget")
    assert text.index("Äldre förslaget") < text.index("Nyare förslaget")
    assert text.index("Nyare förslaget") < text.index("== Tuna ==")
    assert text.index("== Tuna ==") < text.index("Förslaget i Tuna")
    # Each proposal once, with its latest status and answer, and every comment's text.
    assert text.count("Äldre förslaget") == 1
    assert "Status: Antaget" in text and "Behandlas" not in text
    assert "Vi gör det i vår." in text
    assert "Kommentar från Greta: Första kommentaren." in text
    assert "Kommentar från Hugo: Andra kommentaren." in text
    assert f"/forslag/{newer.pk}/" in text
    assert "Stoppa veckosammanfattningen" in text
    assert "<h2" in digest.body_html and "Första kommentaren." in digest.body_html


def test_a_second_run_in_the_same_week_sends_nothing_more():
    reader = UserFactory()
    follow(reader)
    with freeze_time(WEDNESDAY):
        propose(UserFactory())
    with freeze_time(NEXT_MONDAY):
        assert digest_send_due() == 1
        assert digest_send_due() == 0
    with freeze_time(NEXT_MONDAY + timedelta(days=2)):
        propose(UserFactory(), title="Ett till")
        assert digest_send_due() == 0  # waits for next week's digest
    assert len(digests(reader)) == 1
    assert digests(reader)[0].dedup_key == f"digest:{reader.pk}:2026-W50"
    with freeze_time(NEXT_MONDAY + timedelta(days=7)):
        assert digest_send_due() == 1
    assert len(digests(reader)) == 2


def test_two_runs_at_the_same_moment_send_one_digest():
    """The outbox's uniqueness key holds even when both runs find the same items."""
    reader = UserFactory()
    follow(reader)
    with freeze_time(WEDNESDAY):
        propose(UserFactory())
    with freeze_time(NEXT_MONDAY):
        cutoff = digest_cutoff()
        week = digest_week_key(cutoff)
        _digest_batch([reader.pk], cutoff=cutoff, week=week)
        Notice.objects.update(digest_key=None)  # as if the other run had read them first
        _digest_batch([reader.pk], cutoff=cutoff, week=week)
    assert len(digests(reader)) == 1


def test_nothing_new_means_no_digest():
    reader = UserFactory()
    follow(reader)
    with freeze_time(NEXT_MONDAY):
        assert digest_send_due() == 0
    assert digests() == []


def test_a_kind_turned_off_since_is_left_out_and_an_empty_digest_is_not_sent():
    reader = UserFactory()
    follow(reader)
    with freeze_time(WEDNESDAY):
        propose(UserFactory())
    NotificationSetting.objects.create(user=reader, kind=Kind.NEW_PROPOSALS, delivery="never")
    with freeze_time(NEXT_MONDAY):
        assert digest_send_due() == 0
    assert digests() == []


def test_what_went_out_at_once_is_not_repeated_in_the_digest(coordinator):
    reader = UserFactory()
    follow(reader)
    settings_save(user=reader, choices={Kind.NEW_PROPOSALS: Delivery.DIRECT})
    with freeze_time(WEDNESDAY):
        proposal = propose(UserFactory(), title="Ny bänk", body="En bänk vid sjön.")
        proposal_services.proposal_set_status(
            proposal=proposal, by=coordinator, status="accepted", answer="Bänken kommer."
        )
    assert OutboundEmail.objects.filter(to=reader.email, kind="notifications.new_proposals")
    with freeze_time(NEXT_MONDAY):
        digest_send_due()
    [digest] = digests(reader)
    assert "Bänken kommer." in digest.body_text
    assert "Nytt förslag" not in digest.body_text
    assert "En bänk vid sjön." not in digest.body_text


def test_the_digest_is_in_the_persons_language():
    reader = UserFactory(language="en")
    follow(reader)
    with freeze_time(WEDNESDAY):
        propose(UserFactory())
    with freeze_time(NEXT_MONDAY):
        digest_send_due()
    [digest] = digests(reader)
    assert digest.subject == "Allas Vimmerby this week: 1 new thing"
    assert "New proposal" in digest.body_text and digest.language == "en"


def test_the_digest_is_a_periodic_job():
    job = settings.CELERY_BEAT_SCHEDULE["weekly-digest"]
    assert job["task"] == "notifications.tasks.send_weekly_digests"
    from notifications.tasks import send_weekly_digests

    assert send_weekly_digests.name == job["task"]


def _followers(n):
    """n people following Storebro with one waiting item each, made in bulk."""
    from allauth.account.models import EmailAddress

    from allas.models import User

    users = User.objects.bulk_create(
        User(email=f"massa{i}@example.se", display_name=f"Massa {i}", language=("sv", "en")[i % 2])
        for i in range(n)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    locality = Locality.objects.get(slug="storebro")
    Follow.objects.bulk_create(Follow(user=u, locality=locality) for u in users)
    return users


# notify: the followers, their settings and one insert of the digest items.
NOTIFY_BUDGET = 3
# A digest batch: the people, the users, their settings, their items with the ort, the
# outbox insert and the ids it hands to workers, marking the items sent, and the savepoint
# pair of its transaction. One more look finds nobody left.
DIGEST_PER_BATCH = 9


@pytest.mark.parametrize("n", [10, 1000])
def test_notify_and_the_digest_take_the_same_queries_for_10_and_1000_followers(
    django_assert_max_num_queries, n
):
    _followers(n)
    storebro = Locality.objects.get(slug="storebro")
    with freeze_time(WEDNESDAY), django_assert_max_num_queries(NOTIFY_BUDGET):
        notify(
            Notification(
                kind=Kind.NEW_PROPOSALS,
                event="proposal_new",
                key="proposal-new:1",
                topic="proposal:1",
                title="Ny lekplats",
                url="/forslag/1/",
                locality=storebro,
                audience=Audience(ort=storebro),
                text="Vid skolan.",
            )
        )
    assert Notice.objects.count() == n
    batches = -(-n // DIGEST_BATCH_SIZE)
    with freeze_time(NEXT_MONDAY), django_assert_max_num_queries(DIGEST_PER_BATCH * batches + 1):
        assert digest_send_due() == n
    assert len(digests()) == n
    assert Notice.objects.filter(digest_key__isnull=True).count() == 0
