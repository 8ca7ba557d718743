"""Following orter and proposals, and what followers hear of, at once or in the digest."""

import pytest

from allas.models import Locality, OutboundEmail
from groups import services as group_services
from groups.models import DevelopmentGroup, Plan
from groups.plans import services as plan_services
from meetings import services as meeting_services
from notifications import follows, preferences
from notifications.models import Delivery, Notice
from proposals import services as proposal_services
from proposals.models import ProposalFollow
from tests.factories import UserFactory, membership
from tests.notifications.conftest import propose, sent_to
from tests.words import Kind

pytestmark = pytest.mark.django_db


def storebro():
    return Locality.objects.get(slug="storebro")


def follows_proposal(user, proposal) -> bool:
    return follows.is_following(user, model=ProposalFollow, proposal=proposal)


def test_a_verified_resident_follows_an_ort_and_stops_with_the_same_button(client, resident):
    client.force_login(resident)
    response = client.post("/orter/storebro/folj/", {"next": "/orter/storebro/"})
    assert response.status_code == 302 and response["Location"] == "/orter/storebro/"
    assert follows.is_following(resident, locality=storebro())
    page = client.get("/orter/storebro/").content.decode()
    assert "Sluta följa Storebro" in page
    client.post("/orter/storebro/folj/")
    assert not follows.is_following(resident, locality=storebro())
    assert "Följ Storebro" in client.get("/orter/storebro/").content.decode()


def test_the_follow_button_is_a_plain_form_that_works_without_javascript(client, resident):
    client.force_login(resident)
    page = client.get("/orter/storebro/").content.decode()
    assert '<form method="post" action="/orter/storebro/folj/"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_next_to_another_site_is_ignored(client, resident):
    client.force_login(resident)
    response = client.post("/orter/storebro/folj/", {"next": "https://evil.example/"})
    assert response["Location"] == "/orter/storebro/"


def test_a_resident_follows_a_proposal_and_stops(client, resident, author):
    proposal = propose(author)
    client.force_login(resident)
    client.post(f"/forslag/{proposal.pk}/folj/")
    assert follows_proposal(resident, proposal)
    assert "Sluta följa förslaget" in client.get(f"/forslag/{proposal.pk}/").content.decode()
    client.post(f"/forslag/{proposal.pk}/folj/")
    assert not follows_proposal(resident, proposal)


def test_writing_supporting_and_commenting_follow_the_proposal(author):
    proposal = propose(author)
    supporter, commenter = UserFactory(), UserFactory()
    proposal_services.support_toggle(proposal=proposal, user=supporter)
    proposal_services.comment_create(proposal=proposal, author=commenter, body="Bra!")
    for user in (author, supporter, commenter):
        follow = ProposalFollow.objects.get(user=user, proposal=proposal)
        assert follow.is_active and follow.automatic


def test_a_stopped_follow_stays_stopped_when_the_person_comments_again(author):
    proposal = propose(author)
    proposal_services.proposal_follow_toggle(user=author, proposal=proposal)  # stops
    proposal_services.comment_create(proposal=proposal, author=author, body="Ett tillägg.")
    assert not follows_proposal(author, proposal)


def test_an_approved_member_follows_the_groups_ort(coordinator):
    applicant = UserFactory()
    pending = membership(applicant, status="pending")
    group_services.membership_approve(membership=pending, by=coordinator)
    assert follows.is_following(applicant, locality=storebro())


def test_a_declined_applicant_does_not_follow(coordinator):
    applicant = UserFactory()
    pending = membership(applicant, status="pending")
    group_services.membership_decline(membership=pending, by=coordinator)
    assert not follows.is_following(applicant, locality=storebro())


def test_a_new_proposal_is_sent_at_once_to_those_who_chose_direct(follower, author):
    waiting = UserFactory(language="en")
    follows.follow_toggle(user=waiting, locality=storebro())
    proposal = propose(author, title="Ny lekplats")
    [email] = sent_to(follower)
    assert email.subject == "Nytt förslag i Storebro: Ny lekplats"
    assert "Det är mörkt." in email.body_text
    assert f"/forslag/{proposal.pk}/" in email.body_text
    assert "för att du följer Storebro" in email.body_text
    # The one on the default waits for the digest, and nobody hears of their own proposal.
    assert sent_to(waiting) == []
    assert Notice.objects.get(user=waiting).event == "proposal_new"
    assert not Notice.objects.filter(user=author).exists()
    assert sent_to(author) == []


def test_an_ort_in_another_place_says_nothing(follower, author):
    propose(author, slug="tuna")
    assert sent_to(follower) == []
    assert not Notice.objects.filter(user=follower).exists()


def test_never_means_nothing_at_all(follower, author):
    preferences.settings_save(user=follower, choices={Kind.NEW_PROPOSALS: Delivery.NEVER})
    propose(author)
    assert sent_to(follower) == []
    assert not Notice.objects.filter(user=follower).exists()


def test_status_changes_reach_the_followers_with_the_answer_and_the_plan_action(
    follower, author, coordinator
):
    preferences.settings_save(user=follower, choices={Kind.ANSWERS: Delivery.DIRECT})
    proposal = propose(author)
    plan = plan_services.plan_create(
        group=DevelopmentGroup.objects.get(locality__slug="storebro"),
        year=2026,
        needs="",
        goals=[],
        copy_unfinished=False,
        by=coordinator,
    )
    plan_services.plan_set_published(plan=plan, published=True, by=coordinator)
    action = plan_services.action_create(plan=plan, goals=[], by=coordinator, title="Lampor")
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="accepted", answer="Vi gör det.", action=action
    )
    email = sent_to(follower, "answers")[0]
    assert "Antaget" in email.subject
    assert "Vi gör det." in email.body_text
    assert "Lampor" in email.body_text and f"#atgard-{action.pk}" in email.body_text


def test_the_author_and_supporters_get_one_email_per_status_change_not_two(author, coordinator):
    proposal = propose(author)
    supporter = UserFactory()
    proposal_services.support_toggle(proposal=proposal, user=supporter)
    preferences.settings_save(user=supporter, choices={Kind.ANSWERS: Delivery.DIRECT})
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="under_review", answer=""
    )
    assert OutboundEmail.objects.filter(to=supporter.email).count() == 1
    assert OutboundEmail.objects.filter(to=author.email).count() == 1
    assert not Notice.objects.filter(user__in=[author, supporter]).exists()


def test_comments_reach_the_proposals_followers_with_their_text_but_not_the_orts(follower, author):
    proposal = propose(author)
    reader = UserFactory()
    proposal_services.proposal_follow_toggle(user=reader, proposal=proposal)
    preferences.settings_save(user=reader, choices={Kind.COMMENTS: Delivery.DIRECT})
    preferences.settings_save(user=follower, choices={Kind.COMMENTS: Delivery.DIRECT})
    commenter = UserFactory(display_name="Kalle")
    comment = proposal_services.comment_create(
        proposal=proposal, author=commenter, body="Jag håller med, det är mörkt vid skolan."
    )
    [email] = sent_to(reader, "comments")
    assert "Jag håller med, det är mörkt vid skolan." in email.body_text
    assert "Kommentar från Kalle" in email.body_text
    assert f"#kommentar-{comment.pk}" in email.body_text
    assert sent_to(follower, "comments") == []
    # The author follows the proposal and waits for the digest.
    notice = Notice.objects.get(user=author, kind=Kind.COMMENTS)
    assert notice.text == comment.body and notice.locality.slug == "storebro"
    reply = proposal_services.comment_create(
        proposal=proposal, author=author, body="Tack!", parent=comment
    )
    assert Notice.objects.filter(user=commenter, event="reply", text=reply.body).exists()


def _plan(coordinator):
    return plan_services.plan_create(
        group=DevelopmentGroup.objects.get(locality__slug="storebro"),
        year=2026,
        needs="",
        goals=[],
        copy_unfinished=False,
        by=coordinator,
    )


def test_a_published_and_updated_plan_reaches_the_orts_followers(follower, coordinator):
    preferences.settings_save(user=follower, choices={Kind.PLANS: Delivery.DIRECT})
    plan = _plan(coordinator)
    plan_services.action_create(plan=plan, goals=[], by=coordinator, title="Utkast")
    assert sent_to(follower) == []  # a draft is nobody's news
    plan_services.plan_set_published(plan=plan, published=True, by=coordinator)
    [published] = sent_to(follower)
    assert published.subject == "Storebro har publicerat sin utvecklingsplan"
    plan_services.plan_update(plan=plan, needs="Mer ljus", goals=[], by=coordinator)
    plan_services.action_create(plan=plan, goals=[], by=coordinator, title="Fler lampor")
    # Changes on one day make one e-mail.
    assert [e.subject for e in sent_to(follower)][1:] == [
        "Storebro har uppdaterat sin utvecklingsplan"
    ]
    assert Plan.objects.get(pk=plan.pk).status == "published"


def test_a_published_network_meeting_reaches_everyone_who_follows_an_ort(follower, staff):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import NetworkMeeting

    tuna = UserFactory()
    follows.follow_toggle(user=tuna, locality=Locality.objects.get(slug="tuna"))
    preferences.settings_save(user=follower, choices={Kind.MEETINGS: Delivery.DIRECT})
    starts = timezone.now() + timedelta(days=60)
    meeting = NetworkMeeting.objects.create(
        title="Nätverksmöte 2027",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue="Stadshuset",
        rsvp_deadline=starts - timedelta(days=14),
        report_deadline=starts - timedelta(days=7),
    )
    meeting_services.meeting_publish(meeting=meeting, by=staff)
    [email] = sent_to(follower)
    assert email.subject == "Nytt nätverksmöte: Nätverksmöte 2027"
    assert Notice.objects.get(user=tuna).event == "meeting_published"


def test_someone_who_follows_both_the_ort_and_the_proposal_hears_once_and_why(
    follower, author, coordinator
):
    proposal = propose(author)
    proposal_services.proposal_follow_toggle(user=follower, proposal=proposal)
    preferences.settings_save(user=follower, choices={Kind.ANSWERS: Delivery.DIRECT})
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="under_review", answer=""
    )
    [email] = sent_to(follower, "answers")
    assert "för att du följer förslaget" in email.body_text
