"""The ort page: cached for visitors (allas.page_cache), at most 4 queries on a hit at any
size, and never stale after a change to the group, its members, its plan or proposals."""

import pytest

from groups import services
from groups.models import DevelopmentGroup, Membership
from groups.plans import services as plan_services
from tests.factories import UserFactory
from tests.proposals.conftest import make_proposal
from tests.proposals.test_finding import grow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def author(db):
    return UserFactory(display_name="Förslags Ställare")


def add_members(n, slug="storebro"):
    group = DevelopmentGroup.objects.get(locality__slug=slug)
    for user in UserFactory.create_batch(n):
        membership = services.membership_request(
            user=user, group=group, sector="business", age_band="30_49"
        )
        Membership.objects.filter(pk=membership.pk).update(status="active")


# On a hit the whole page comes from the page cache.
def test_the_ort_page_runs_at_most_4_queries_on_a_hit_for_10_and_2000_proposals(
    client, django_assert_max_num_queries, author
):
    grow(10, author)
    add_members(3)
    client.get("/orter/storebro/")
    with django_assert_max_num_queries(4):
        assert client.get("/orter/storebro/").status_code == 200
    grow(1990, author)
    add_members(30)
    client.get("/orter/storebro/")
    with django_assert_max_num_queries(4):
        response = client.get("/orter/storebro/")
    assert response.status_code == 200
    assert "33 medlemmar" in response.content.decode()


def test_the_cached_ort_page_follows_every_change(client, author, coordinator):
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    page = lambda: client.get("/orter/storebro/").content.decode()  # noqa: E731
    before = page()
    assert "Ny beskrivning" not in before

    services.group_update(
        group=group, by=coordinator, description="Ny beskrivning", meeting_info="", contact_email=""
    )
    assert "Ny beskrivning" in page()

    members = page().count("medlem")
    applicant = UserFactory()
    membership = services.membership_request(
        user=applicant, group=group, sector="politician", age_band="65_plus"
    )
    services.membership_approve(membership=membership, by=coordinator)
    assert page().count("medlem") >= members and page() != before

    plan = plan_services.plan_create(
        group=group, year=2026, needs="Behov", goals=[], copy_unfinished=False, by=coordinator
    )
    action = plan_services.action_create(plan=plan, goals=[], by=coordinator, title="Åtgärd A")
    assert "Åtgärd A" not in page()  # a draft
    plan_services.plan_set_published(plan=plan, published=True, by=coordinator)
    assert "Åtgärd A" in page()
    plan_services.action_update(action=action, goals=[], by=coordinator, title="Åtgärd B")
    content = page()
    assert "Åtgärd B" in content and "Åtgärd A" not in content

    make_proposal(author, title="Nytt förslag för Storebro")
    assert "Nytt förslag för Storebro" in page()


def test_members_see_their_own_panel_not_the_visitors_cache(client, member):
    client.get("/orter/storebro/")
    client.force_login(member)
    content = client.get("/orter/storebro/").content.decode()
    assert "Du är medlem i gruppen." in content
