"""Joining, deciding and managing members: the rules, the e-mails, and bad input."""

import csv
import io

import pytest
from django.core import mail

from allas.models import OutboundEmail
from groups import services
from groups.models import DevelopmentGroup, Membership, MembershipEvent
from tests.factories import UserFactory, membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def storebro():
    return DevelopmentGroup.objects.select_related("locality").get(locality__slug="storebro")


def test_the_ten_groups_exist_after_migrate():
    names = sorted(DevelopmentGroup.objects.values_list("name", flat=True))
    assert len(names) == 10
    assert "Utvecklingsgruppen i Storebro" in names
    assert "Utvecklingsgruppen i Södra Vi" in names


def test_a_resident_asks_to_join_and_the_coordinators_are_emailed_a_link(
    client, resident, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://allas.example"
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/orter/storebro/bli-medlem/",
            {"sector": "business", "age_band": "30_49", "motivation": "Jag driver en butik."},
        )
    assert response.status_code == 302 and response["Location"] == "/orter/storebro/"
    request = Membership.objects.get(user=resident)
    assert (request.status, request.sector, request.motivation) == (
        "pending",
        "business",
        "Jag driver en butik.",
    )
    [sent] = mail.outbox
    assert sent.to == [coordinator.email]
    assert "Utvecklingsgruppen i Storebro" in sent.subject
    assert f"https://allas.example/orter/storebro/grupp/#ansokan-{request.pk}" in sent.body
    assert MembershipEvent.objects.get(membership=request).action == "requested"


def test_the_join_form_is_prefilled_with_the_age_band_from_the_profile(client, resident):
    resident.age_band = "65_plus"
    resident.save()
    client.force_login(resident)
    content = client.get("/orter/storebro/bli-medlem/").content.decode()
    assert '<option value="65_plus" selected>' in content


def test_a_visitor_is_sent_to_login_and_brought_back_to_the_join_form(client):
    response = client.get("/orter/storebro/bli-medlem/")
    assert response["Location"] == "/konto/login/?next=/orter/storebro/bli-medlem/"


def test_an_unverified_user_is_told_how_to_verify(client, unverified):
    client.force_login(unverified)
    response = client.get("/orter/storebro/bli-medlem/")
    assert response.status_code == 403
    content = response.content.decode()
    assert "Bekräfta din e-postadress först" in content
    assert 'name="action_send"' in content


def test_asking_twice_changes_nothing(resident, storebro):
    services.membership_request(user=resident, group=storebro, sector="resident", age_band="18_29")
    with pytest.raises(services.GroupError, match="redan"):
        services.membership_request(
            user=resident, group=storebro, sector="business", age_band="18_29"
        )
    assert Membership.objects.filter(user=resident).count() == 1


def test_joining_while_pending_shows_a_message_and_changes_nothing(client, applicant):
    client.force_login(applicant)
    before = list(Membership.objects.values_list("id", "status", "sector"))
    response = client.post(
        "/orter/storebro/bli-medlem/", {"sector": "resident", "age_band": "18_29"}, follow=True
    )
    assert "Du har redan ansökt" in response.content.decode()
    assert list(Membership.objects.values_list("id", "status", "sector")) == before


def test_the_database_allows_one_current_membership_per_user_and_group(resident, storebro):
    from django.db import IntegrityError

    membership(resident, status="pending")
    with pytest.raises(IntegrityError):
        membership(resident, status="active")


def test_an_unknown_sector_is_refused_with_a_swedish_message(client, resident):
    client.force_login(resident)
    response = client.post(
        "/orter/storebro/bli-medlem/", {"sector": "astronaut", "age_band": "18_29"}
    )
    assert response.status_code == 200
    assert "Välj ett av alternativen" in response.content.decode()
    assert not Membership.objects.filter(user=resident).exists()


def test_approving_emails_the_resident_and_records_who_decided(
    client, coordinator, applicant, django_capture_on_commit_callbacks
):
    request = Membership.objects.get(user=applicant)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/orter/storebro/grupp/ansokan/{request.pk}/",
            {"decision": "approve", "message": "Välkommen på tisdag!"},
        )
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.decision_message) == (
        "active",
        coordinator,
        "Välkommen på tisdag!",
    )
    assert request.joined_at is not None
    [sent] = mail.outbox
    assert sent.to == [applicant.email]
    assert sent.subject == "Välkommen till Utvecklingsgruppen i Storebro"
    assert "Välkommen på tisdag!" in sent.body
    event = MembershipEvent.objects.get(membership=request, action="approved")
    assert event.actor == coordinator


def test_declining_emails_the_resident(client, coordinator, applicant):
    request = Membership.objects.get(user=applicant)
    client.force_login(coordinator)
    client.post(f"/orter/storebro/grupp/ansokan/{request.pk}/", {"decision": "decline"})
    request.refresh_from_db()
    assert request.status == "declined"
    email = OutboundEmail.objects.get(to=applicant.email)
    assert "har inte godkänts" in email.body_text


def test_approving_an_already_decided_request_changes_nothing(client, coordinator, applicant):
    request = Membership.objects.get(user=applicant)
    client.force_login(coordinator)
    client.post(f"/orter/storebro/grupp/ansokan/{request.pk}/", {"decision": "decline"})
    before = (OutboundEmail.objects.count(), MembershipEvent.objects.count())
    response = client.post(
        f"/orter/storebro/grupp/ansokan/{request.pk}/", {"decision": "approve"}, follow=True
    )
    assert "redan beslutats" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "declined"
    assert (OutboundEmail.objects.count(), MembershipEvent.objects.count()) == before


def test_an_unknown_decision_changes_nothing(client, coordinator, applicant):
    request = Membership.objects.get(user=applicant)
    client.force_login(coordinator)
    response = client.post(
        f"/orter/storebro/grupp/ansokan/{request.pk}/", {"decision": "maybe"}, follow=True
    )
    assert "Välj godkänn eller avslå" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_forged_membership_id_of_another_group_is_404_and_changes_nothing(client, coordinator):
    other = membership(slug="sodra-vi", status="pending")
    client.force_login(coordinator)
    for path, data in [
        (f"/orter/storebro/grupp/ansokan/{other.pk}/", {"decision": "approve"}),
        (f"/orter/storebro/grupp/medlem/{other.pk}/ta-bort/", {}),
        (
            f"/orter/storebro/grupp/medlem/{other.pk}/",
            {"sector": "resident", "age_band": "18_29", "role": "coordinator"},
        ),
    ]:
        assert client.post(path, data).status_code == 404
    other.refresh_from_db()
    assert (other.status, other.role) == ("pending", "member")


def test_the_last_coordinator_cannot_be_demoted_or_removed(client, coordinator):
    own = Membership.objects.get(user=coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/orter/storebro/grupp/medlem/{own.pk}/",
        {"sector": "resident", "age_band": "18_29", "role": "member"},
    )
    assert response.status_code == 200
    assert "minst en samordnare" in response.content.decode()
    response = client.post(f"/orter/storebro/grupp/medlem/{own.pk}/ta-bort/", follow=True)
    assert "enda samordnare" in response.content.decode()
    own.refresh_from_db()
    assert (own.status, own.role, own.sector) == ("active", "coordinator", "rural_council")


def test_with_two_coordinators_one_may_step_down(client, coordinator):
    second = membership(role="coordinator")
    client.force_login(coordinator)
    own = Membership.objects.get(user=coordinator)
    client.post(
        f"/orter/storebro/grupp/medlem/{own.pk}/",
        {"sector": "rural_council", "age_band": "50_64", "role": "member"},
    )
    own.refresh_from_db()
    assert own.role == "member"
    assert Membership.objects.coordinators().get() == second
    assert MembershipEvent.objects.filter(membership=own, action="unappointed").exists()


def test_a_coordinator_edits_a_member_and_the_change_is_recorded(client, coordinator, member):
    target = Membership.objects.get(user=member)
    client.force_login(coordinator)
    client.post(
        f"/orter/storebro/grupp/medlem/{target.pk}/",
        {"sector": "politician", "age_band": "65_plus", "role": "member", "is_delegate": "on"},
    )
    target.refresh_from_db()
    assert (target.sector, target.age_band, target.is_delegate) == ("politician", "65_plus", True)
    event = MembershipEvent.objects.get(membership=target)
    assert event.action == "updated" and event.actor == coordinator
    assert event.details["sector"] == ["associations", "politician"]


def test_a_coordinator_removes_a_member(client, coordinator, member):
    client.force_login(coordinator)
    target = Membership.objects.get(user=member)
    client.post(f"/orter/storebro/grupp/medlem/{target.pk}/ta-bort/")
    target.refresh_from_db()
    assert target.status == "left" and target.left_at is not None
    assert MembershipEvent.objects.get(membership=target).action == "removed"


def test_a_removed_member_may_ask_to_join_again(client, coordinator, member, storebro):
    target = Membership.objects.get(user=member)
    services.membership_remove(membership=target, by=coordinator)
    again = services.membership_request(
        user=member, group=storebro, sector="resident", age_band="18_29"
    )
    assert again.status == "pending"


def test_a_coordinator_edits_the_group_page(client, coordinator, storebro):
    client.force_login(coordinator)
    client.post(
        "/orter/storebro/grupp/redigera/",
        {
            "description": "Vi jobbar för ett levande Storebro.",
            "meeting_info": "Första måndagen i månaden kl. 18.30 i bygdegården.",
            "contact_email": "grupp@storebro.example",
        },
    )
    storebro.refresh_from_db()
    assert storebro.contact_email == "grupp@storebro.example"
    page = client.get("/orter/storebro/").content.decode()
    assert "Vi jobbar för ett levande Storebro." in page
    assert "bygdegården" in page
    assert MembershipEvent.objects.get(action="group_edited").details == {
        "fields": ["description", "meeting_info", "contact_email"]
    }


def test_a_bad_contact_email_is_refused_and_changes_nothing(client, coordinator, storebro):
    client.force_login(coordinator)
    response = client.post(
        "/orter/storebro/grupp/redigera/",
        {"description": "X", "meeting_info": "", "contact_email": "inte en adress"},
    )
    assert response.status_code == 200
    assert "Skriv en e-postadress" in response.content.decode()
    storebro.refresh_from_db()
    assert storebro.description == ""


def test_the_member_list_downloads_as_excel_friendly_csv(client, coordinator, member):
    Membership.objects.filter(user=member).update(is_delegate=True)
    member.display_name = "=Åsa Öberg"
    member.save()
    client.force_login(coordinator)
    response = client.get("/orter/storebro/grupp/medlemmar.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "medlemmar-storebro.csv" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Grupp", "Namn", "E-postadress", "Representerar"]
    by_email = {row[2]: row for row in rows[1:]}
    assert by_email[member.email][1] == "'=Åsa Öberg"  # never run as a formula
    assert by_email[member.email][3] == "Föreningslivet"
    assert by_email[member.email][7] == "Ja"
    assert len(rows) == 3  # header, coordinator, member


def test_staff_appoint_a_coordinator_in_the_admin(staff_client, staff, resident):
    storebro = DevelopmentGroup.objects.get(locality__slug="storebro")
    response = staff_client.post(
        "/admin/groups/membership/add/",
        {"user": resident.pk, "group": storebro.pk, "sector": "resident", "age_band": "18_29"},
    )
    assert response.status_code == 302
    appointed = Membership.objects.get(user=resident)
    assert appointed.is_coordinator
    assert set(
        MembershipEvent.objects.filter(membership=appointed).values_list("action", flat=True)
    ) == {"added", "appointed"}


def test_staff_remove_a_coordinator_in_the_admin_but_not_the_last(staff_client, coordinator):
    own = Membership.objects.get(user=coordinator)
    response = staff_client.post(
        "/admin/groups/membership/",
        {"action": "remove_coordinator", "_selected_action": [own.pk]},
        follow=True,
    )
    assert "minst en samordnare" in response.content.decode()
    own.refresh_from_db()
    assert own.is_coordinator
    second = membership(UserFactory())
    staff_client.post(
        "/admin/groups/membership/",
        {"action": "appoint_coordinator", "_selected_action": [second.pk]},
    )
    staff_client.post(
        "/admin/groups/membership/",
        {"action": "remove_coordinator", "_selected_action": [own.pk]},
    )
    own.refresh_from_db()
    second.refresh_from_db()
    assert (own.role, second.role) == ("member", "coordinator")


def test_staff_filter_memberships_and_export_them_as_csv(staff_client, member, other_coordinator):
    for query in [
        "group__locality__id__exact=1",
        "sector__exact=associations",
        "age_band__exact=30_49",
        "role__exact=coordinator",
        "status__exact=active",
    ]:
        assert staff_client.get(f"/admin/groups/membership/?{query}").status_code == 200
    ids = list(Membership.objects.values_list("pk", flat=True))
    response = staff_client.post(
        "/admin/groups/membership/", {"action": "export_csv", "_selected_action": ids}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + len(ids)


def test_staff_see_the_decision_record_in_the_admin(staff_client, coordinator, applicant):
    request = Membership.objects.get(user=applicant)
    services.membership_approve(membership=request, by=coordinator)
    page = staff_client.get("/admin/groups/membershipevent/").content.decode()
    assert "Ansökan godkänd" in page
    assert staff_client.get("/admin/groups/membershipevent/add/").status_code == 403
