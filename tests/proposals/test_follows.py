"""Following a proposal: a follow belongs to the proposal and goes with it; taking part
starts it, the button stops it; who follows is asked of the proposal when people are told."""

import json

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from allas import services as core_services
from allas.models import Locality, OutboundEmail
from notifications import follows, preferences
from notifications.models import Delivery, Follow, Notice
from notifications.notices import Audience, Notification
from notifications.notify import _recipients, notify
from proposals import services
from proposals.models import Proposal, ProposalFollow
from tests.factories import UserFactory
from tests.proposals.conftest import make_proposal
from tests.words import Kind

pytestmark = pytest.mark.django_db


def comment_emails(user):
    return OutboundEmail.objects.filter(to=user.email, kind="notifications.comments")


def hears_comments_at_once(user):
    preferences.settings_save(user=user, choices={Kind.COMMENTS: Delivery.DIRECT})


def test_deleting_a_proposal_deletes_its_follows_and_its_followers_hear_no_more(
    client, author, supporter
):
    proposal = make_proposal(author)
    services.support_toggle(proposal=proposal, user=supporter)
    hears_comments_at_once(supporter)
    assert ProposalFollow.objects.filter(proposal=proposal).count() == 2
    pk, title = proposal.pk, proposal.title

    proposal.delete()

    assert not ProposalFollow.objects.exists()
    client.force_login(supporter)
    page = client.get("/konto/notiser/").content.decode()
    assert "Du följer 0 förslag." in page
    # A proposal put back under the same number (a restored row) is not theirs to hear of.
    again = Proposal.objects.create(
        pk=pk, author=author, locality=Locality.objects.get(slug="storebro"), title=title
    )
    services.comment_create(proposal=again, author=UserFactory(), body="Hej!")
    assert not comment_emails(supporter).exists()
    assert not Notice.objects.filter(user__in=[author, supporter]).exists()


def test_supporting_starts_the_follow_and_the_button_stops_it_for_good(client, author, supporter):
    proposal = make_proposal(author)
    services.support_toggle(proposal=proposal, user=supporter)
    hears_comments_at_once(supporter)
    services.comment_create(proposal=proposal, author=UserFactory(), body="Första.")
    assert comment_emails(supporter).count() == 1

    client.force_login(supporter)
    page = client.get(f"/forslag/{proposal.pk}/").content.decode()
    assert "Sluta följa förslaget" in page
    response = client.post(f"/forslag/{proposal.pk}/folj/", follow=True)
    assert "Du följer inte längre förslaget." in response.content.decode()
    assert "Följ förslaget" in response.content.decode()

    # Taking part again does not start what the person stopped.
    services.support_toggle(proposal=proposal, user=supporter)
    services.support_toggle(proposal=proposal, user=supporter)
    services.comment_create(proposal=proposal, author=supporter, body="Jag stöder ändå.")
    services.comment_create(proposal=proposal, author=UserFactory(), body="Andra.")
    assert comment_emails(supporter).count() == 1
    follow = ProposalFollow.objects.get(user=supporter, proposal=proposal)
    assert not follow.is_active and not follow.automatic


def test_the_settings_page_tells_how_many_proposals_the_person_follows(client, author):
    reader = UserFactory()
    make_proposal(reader, title="Eget förslag")  # writing it follows it
    other = make_proposal(author, title="Annat förslag")
    services.comment_create(proposal=other, author=reader, body="Bra!")
    stopped = make_proposal(author, title="Tredje förslaget")
    services.proposal_follow_toggle(user=reader, proposal=stopped)
    services.proposal_follow_toggle(user=reader, proposal=stopped)
    client.force_login(reader)
    page = client.get("/konto/notiser/").content.decode()
    assert "Du följer 2 förslag. Du slutar följa ett förslag från dess sida." in page


def _button(user):
    request = RequestFactory().get("/forslag/1/")
    request.user = user
    return request


def test_the_proposal_pages_button_asks_once_for_a_signed_in_viewer_and_never_for_a_visitor(
    author, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    proposal = make_proposal(author)
    template = Template("{% load proposal_follows %}{% proposal_follow_button proposal %}")
    with django_assert_num_queries(0):
        html = template.render(Context({"request": _button(AnonymousUser()), "proposal": proposal}))
    assert "Logga in för att följa förslaget" in html
    with django_assert_num_queries(1):
        html = template.render(Context({"request": _button(author), "proposal": proposal}))
    assert f'action="/forslag/{proposal.pk}/folj/"' in html
    assert "Sluta följa förslaget" in html


def test_the_register_extract_has_the_proposal_follows_and_the_account_takes_them(
    client, author, supporter
):
    proposal = make_proposal(author)
    services.support_toggle(proposal=proposal, user=supporter)
    services.proposal_follow_toggle(user=supporter, proposal=proposal)
    follows.follow_toggle(user=supporter, locality=Locality.objects.get(slug="tuna"))
    client.force_login(supporter)
    data = json.loads(client.get("/konto/mina-data/").content)
    assert [
        (f["förslag_nummer"], f["följer"], f["automatiskt"]) for f in data["förslag_du_följer"]
    ] == [(proposal.pk, False, False)]
    assert [f["ort"] for f in data["orter_du_följer"]] == ["Tuna"]
    core_services.account_delete(user=supporter)
    assert list(ProposalFollow.objects.values_list("user_id", flat=True)) == [author.pk]


def _status_notice(proposal, audience):
    return Notification(
        kind=Kind.ANSWERS,
        event="proposal_status",
        key=f"proposal-status:test-{proposal.pk}",
        topic=f"proposal:{proposal.pk}",
        title=proposal.title,
        url=proposal.get_absolute_url(),
        locality=proposal.locality,
        audience=audience,
    )


def test_each_person_is_told_once_for_the_closest_reason(author):
    proposal = make_proposal(author)
    storebro = Locality.objects.get(slug="storebro")
    both, ort_only, stopped, member = (UserFactory() for _ in range(4))
    for user in (both, ort_only, member):
        follows.follow_toggle(user=user, locality=storebro)
    for user in (both, stopped, member):
        services.proposal_follow_toggle(user=user, proposal=proposal)
    services.proposal_follow_toggle(user=stopped, proposal=proposal)
    followers = ProposalFollow.objects.filter(proposal=proposal, is_active=True).values("user_id")
    found = _recipients(
        Audience(ort=storebro, proposal_followers=followers, user_ids=(member.pk,), actor=author)
    )
    assert {pk: r["why"] for pk, r in found.items()} == {
        both.pk: "proposal",
        ort_only.pk: "ort",
        member.pk: "member",
    }
    network = _recipients(Audience(every_ort=True, proposal_followers=followers))
    assert network[both.pk]["why"] == "proposal" and network[ort_only.pk]["why"] == "network"


# The followers (of the ort and of the proposal, in one query), their settings and one
# insert of the digest items.
NOTIFY_BUDGET = 3


@pytest.mark.parametrize("n", [10, 300])
def test_telling_a_proposals_and_its_orts_followers_takes_the_same_queries_for_any_number(
    author, django_assert_max_num_queries, n
):
    proposal = make_proposal(author)
    storebro = Locality.objects.get(slug="storebro")
    people = UserFactory.create_batch(2 * n)
    ProposalFollow.objects.bulk_create(
        ProposalFollow(user=u, proposal=proposal) for u in people[:n]
    )
    Follow.objects.bulk_create(Follow(user=u, locality=storebro) for u in people[n:])
    followers = ProposalFollow.objects.filter(proposal=proposal, is_active=True).values("user_id")
    with django_assert_max_num_queries(NOTIFY_BUDGET):
        told = notify(
            _status_notice(proposal, Audience(ort=storebro, proposal_followers=followers))
        )
    assert told == {"direct": 0, "digest": 2 * n + 1, "total": 2 * n + 1}  # and the author
