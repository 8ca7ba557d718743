"""The audit log in a real browser: the staff's list, one entry and the filtered list in
the admin, and the coordinators' page with its latest changes, all axe-clean."""

from playwright.sync_api import Page, expect

from allas.models import AuditEvent
from groups import services as group_services
from groups.models import DevelopmentGroup, Membership
from tests.browser.conftest import admin_log_in, assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, membership


def _some_acts(coordinator) -> None:
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    group_services.group_update(
        group=group, by=coordinator, description="Ny text", meeting_info="", contact_email=""
    )
    applicant = membership(UserFactory(display_name="Sökande Svensson"), status="pending")
    group_services.membership_approve(membership=applicant, by=coordinator)


def test_staff_read_the_audit_log_in_an_axe_clean_admin(page: Page, staff) -> None:
    coordinator = UserFactory(display_name="Samordnare Berg")
    membership(coordinator, role="coordinator")
    _some_acts(coordinator)
    admin_log_in(page, staff.email, PASSWORD)
    event = AuditEvent.objects.filter(object_type__model="membership").get()
    for path in (
        "/admin/allas/auditevent/",
        f"/admin/allas/auditevent/?actor__id__exact={coordinator.pk}",
        "/admin/allas/auditevent/?q=ans%C3%B6kan",
        f"/admin/allas/auditevent/{event.pk}/change/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)
    page.goto("/admin/allas/auditevent/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("Godkände ansökan om medlemskap")


def test_a_coordinator_sees_the_groups_latest_changes_on_an_axe_clean_page(page: Page) -> None:
    coordinator = UserFactory(display_name="Samordnare Berg")
    membership(coordinator, role="coordinator")
    _some_acts(coordinator)
    log_in(page, coordinator.email, PASSWORD)
    page.goto("/orter/storebro/grupp/")
    changes = page.locator("section[aria-labelledby=audit-heading]")
    expect(changes.locator("li")).to_have_count(2)
    expect(changes).to_contain_text("Ansökan godkänd")
    assert Membership.objects.filter(status="active").count() == 2
    assert_accessible(page)
