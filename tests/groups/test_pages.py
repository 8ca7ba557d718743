"""The group on the ort page and /orter/: who sees what, the make-up, and query budgets."""

import re

import pytest

from groups.models import Membership
from tests.factories import UserFactory, membership
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db


def page(client, user=None, path="/orter/storebro/"):
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert_valid_html(response.content)
    return response.content.decode()


def test_visitors_see_counts_and_make_up_but_never_names(client, member, coordinator):
    content = page(client)
    assert "Gruppen har 2 medlemmar." in content
    assert member.display_name not in content and coordinator.display_name not in content
    assert member.email not in content
    assert "Gå med i gruppen" in content


def test_members_see_the_other_members_names_but_not_their_email(client, member, coordinator):
    content = page(client, member)
    assert coordinator.display_name in content and member.display_name in content
    assert coordinator.email not in content
    assert "Lämna gruppen" in content


def test_an_applicant_sees_that_the_request_waits_and_no_names(client, applicant, member):
    content = page(client, applicant)
    assert "Du har ansökt om att gå med" in content
    assert member.display_name not in content


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_coordinators_and_staff_see_contact_details_and_pending_requests(
    client, request, persona, member, coordinator, applicant
):
    content = page(client, request.getfixturevalue(persona))
    assert member.email in content
    assert "Hantera gruppen (1 ansökan)" in content


def test_a_coordinator_of_another_group_sees_only_what_the_public_sees(
    client, other_coordinator, member, coordinator, applicant
):
    content = page(client, other_coordinator)
    assert member.display_name not in content and member.email not in content
    assert "Hantera gruppen" not in content


def test_the_make_up_counts_sectors_and_age_bands_and_names_what_is_missing(client):
    membership(sector="business", age_band="18_29")
    membership(sector="business", age_band="30_49")
    membership(sector="resident", age_band="not_stated")
    membership(sector="politician", age_band="30_49", status="pending")  # not counted
    content = page(client)
    rows = dict(
        re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="text-end">(\d+)</td>', content)
    )
    assert rows["Näringslivet"] == "2"
    assert rows["Medborgare"] == "1"
    assert rows["Politiker"] == "0"
    assert rows["18–29"] == "1" and rows["30–49"] == "1" and rows["Vill inte svara"] == "1"
    assert "Gruppen saknar representant för föreningslivet." in content
    assert "Gruppen saknar representant för landsbygdsrådet." in content
    assert "Gruppen saknar representant för politikerna." in content
    assert "Gruppen saknar representant för näringslivet." not in content
    assert "Bara 2 åldersgrupper är representerade" in content


def test_a_complete_group_is_told_so(client):
    for sector, age in [
        ("associations", "18_29"),
        ("business", "30_49"),
        ("rural_council", "50_64"),
        ("politician", "65_plus"),
        ("resident", "under_18"),
    ]:
        membership(sector=sector, age_band=age)
    content = page(client)
    assert "saknar" not in content
    assert "alla fem sektorerna" in content


def test_the_network_overview_lists_the_ten_groups_with_their_gaps(client):
    for sector in ["associations", "business", "rural_council", "politician", "resident"]:
        membership(sector=sector, age_band="30_49")
    membership(slug="tuna", sector="business", age_band="18_29")
    content = page(client, path="/orter/")
    table = content.split('class="table table-striped network-overview"')[1]
    rows = re.findall(r'<th scope="row"><a href="/orter/([a-z-]+)/">', table)
    assert len(rows) == 10
    storebro = table.split('href="/orter/storebro/"')[1].split("</tr>")[0]
    assert "5 av 5" in storebro
    assert "Har luckor" in storebro  # only one age band
    tuna = table.split('href="/orter/tuna/"')[1].split("</tr>")[0]
    assert "1 av 5" in tuna
    assert "Väntande ansökningar" not in content  # visitors see no pending counts


def overview_row(content, slug):
    table = content.split('class="table table-striped network-overview"')[1]
    return table.split(f'href="/orter/{slug}/"')[1].split("</tr>")[0]


def test_staff_see_pending_counts_for_all_groups_and_coordinators_for_their_own(
    client, staff, coordinator, applicant
):
    membership(slug="tuna", status="pending")
    content = page(client, staff, path="/orter/")
    assert "Väntande ansökningar" in content
    tuna = overview_row(content, "tuna")
    assert '<td class="text-end">1</td>' in tuna

    client.logout()
    content = page(client, coordinator, path="/orter/")
    storebro = overview_row(content, "storebro")
    tuna = overview_row(content, "tuna")
    assert storebro.count('<td class="text-end">1</td>') >= 1
    assert "Visas inte" in tuna


def grow(n):
    users = UserFactory.create_batch(n, verified=False)
    sectors = ["associations", "business", "rural_council", "politician", "resident"]
    ages = ["18_29", "30_49", "50_64", "65_plus", "not_stated"]
    from django.utils import timezone

    from groups.models import DevelopmentGroup

    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    Membership.objects.bulk_create(
        Membership(
            user=u,
            group=group,
            sector=sectors[i % 5],
            age_band=ages[i % 5],
            status="pending" if i % 10 == 0 else "active",
            joined_at=timezone.now(),
        )
        for i, u in enumerate(users)
    )


# Query budgets, the same with 5 members as with 500:
# ort page: locality, group, viewer's membership, names, pending count, 2 composition
# aggregates; the plan panel: group, plan, actions; latest proposals; plus session and
# user when logged in.
# coordinator's page: session, user, group, viewer's membership, members, 2 aggregates,
# the messages sent to the group.
# /orter/: localities, groups, 2 aggregates, pending counts, managed groups, session, user.
@pytest.mark.parametrize(
    ("persona", "path", "budget"),
    [
        ("visitor", "/orter/storebro/", 8),
        ("member", "/orter/storebro/", 13),
        ("coordinator", "/orter/storebro/", 14),
        ("staff", "/orter/storebro/", 13),
        ("coordinator", "/orter/storebro/grupp/", 10),
        ("staff", "/orter/storebro/grupp/", 9),
        ("visitor", "/orter/", 5),
        ("coordinator", "/orter/", 8),
        ("staff", "/orter/", 7),
    ],
)
def test_query_count_is_the_same_for_5_and_500_members(
    client, request, django_assert_max_num_queries, persona, path, budget
):
    if persona != "visitor":
        client.force_login(request.getfixturevalue(persona))
    grow(5)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
    grow(495)
    assert Membership.objects.count() >= 500
    with django_assert_max_num_queries(budget):
        response = client.get(path)
    assert response.status_code == 200
