"""The factories the dialogue meetings' tests build on make what they say."""

from django.utils import timezone

from meetings.models import SignUp
from tests.dialogue_factories import dialogue_meeting, signup, signup_rows
from tests.factories import locality


def test_a_meeting_is_published_and_coming_by_default(db):
    meeting = dialogue_meeting()
    assert meeting.status == "published"
    assert meeting.published_at is not None
    assert meeting.starts_at > timezone.now()
    assert meeting.ends_at > meeting.starts_at
    assert meeting.group.locality == locality("storebro")


def test_a_draft_has_no_publishing_time(db):
    assert dialogue_meeting(status="draft").published_at is None


def test_signups_take_seats_or_wait_in_line(db):
    meeting = dialogue_meeting(capacity=1)
    seated = signup(meeting)
    waiting = signup(meeting, status="waiting")
    assert seated.status == SignUp.Status.SIGNED_UP and seated.confirmed_at
    assert waiting.queued_at is not None
    assert len(signup_rows(meeting, 3, status="waiting")) == 3
    assert meeting.signups.waiting().count() == 4
