"""The admin pages of the network meeting in a real browser: every one axe-clean, the
progress block updating itself while e-mails are on their way (htmx from a static file,
under the site's CSP), and cancelling with a reason, by keyboard and without JavaScript."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from allas.models import OutboundEmail
from meetings import services
from meetings.models import NetworkMeeting
from tests.browser.conftest import admin_log_in, assert_accessible
from tests.factories import PASSWORD
from tests.meetings.conftest import make_meeting


def _network_meeting(staff) -> NetworkMeeting:
    from meetings.models import NetworkRole
    from tests.factories import UserFactory, membership

    coordinator = UserFactory(display_name="Samordnare Berg")
    membership(coordinator, role="coordinator")
    delegate = UserFactory(display_name="Ombud Olsson")
    membership(delegate, slug="tuna", is_delegate=True)
    board = UserFactory(display_name="Styr Ström")
    NetworkRole.objects.create(user=board, kind="advisory_board", role_title="Ledamot")
    meeting = make_meeting(title="Nätverksträffen")
    services.invitations_build(meeting=meeting, by=staff)
    services.invitations_send(meeting=meeting, by=staff)
    inv = meeting.invitations.get(email=delegate.email)
    services.invitation_answer(
        invitation=inv, answer="yes", dietary_needs="Glutenfri", accessibility_needs="Hörslinga"
    )
    return meeting


def test_every_admin_page_of_the_meeting_passes_axe(page: Page, staff) -> None:
    meeting = _network_meeting(staff)
    admin_log_in(page, staff.email, PASSWORD)
    base = "/admin/meetings"
    pages = [
        f"{base}/networkmeeting/",
        f"{base}/networkmeeting/add/",
        f"{base}/networkmeeting/{meeting.pk}/change/",
        f"{base}/networkmeeting/{meeting.pk}/inbjudningar/",
        f"{base}/networkmeeting/{meeting.pk}/gor/stall-in/",
        f"{base}/networkmeeting/{meeting.pk}/gor/skicka/",
        f"{base}/networkmeeting/{meeting.pk}/gor/paminn/",
        f"{base}/networkmeeting/natverket/",
        f"{base}/networkrole/",
        f"{base}/networkrole/add/",
        f"{base}/invitation/",
        f"{base}/groupreport/",
        f"{base}/calendarreply/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_accessible(page)


def test_the_progress_block_updates_itself_while_emails_are_on_their_way(page: Page, staff) -> None:
    meeting = _network_meeting(staff)
    # One more e-mail about the meeting, still waiting for a worker.
    waiting = OutboundEmail.objects.create(
        to="sen@example.se",
        subject="Inbjudan",
        body_text="Hej",
        dedup_key=f"meeting:{meeting.pk}:invitation:0",
        status=OutboundEmail.Status.choices[0][0],
        # Found by what caused it: an invitation to this meeting.
        cause=meeting.invitations.first(),
    )
    admin_log_in(page, staff.email, PASSWORD)
    page.goto(f"/admin/meetings/networkmeeting/{meeting.pk}/inbjudningar/")
    status = page.locator("#progress [role=status]")
    expect(status).to_have_text("E-post är på väg. Siffrorna uppdateras av sig själva.")
    assert_accessible(page)
    OutboundEmail.objects.filter(pk=waiting.pk).update(status="failed", last_error="550")
    # No reload: htmx fetches the block again within seconds.
    expect(status).to_contain_text("1 e-postmeddelande kunde inte levereras", timeout=10_000)
    expect(page.locator("#progress-failed a")).to_have_text("1")
    with page.expect_navigation():
        page.locator("#progress-failed a").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("sen@example.se")


def test_staff_cancel_with_a_reason_without_javascript(
    new_page: Callable[..., Page], staff
) -> None:
    meeting = _network_meeting(staff)
    page = new_page(java_script_enabled=False)
    admin_log_in(page, staff.email, PASSWORD)
    page.goto(f"/admin/meetings/networkmeeting/{meeting.pk}/inbjudningar/")
    with page.expect_navigation():
        page.get_by_role("link", name="Ställ in mötet …").click()
    expect(page.locator("#content-main")).to_contain_text("Det går inte att ångra.")
    page.locator("#id_reason").fill("Lokalen är stängd för renovering.")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, ställ in mötet och meddela de inbjudna").click()
    expect(page.locator(".messagelist")).to_contain_text("Mötet är inställt och 3 inbjudna")
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert meeting.cancel_reason == "Lokalen är stängd för renovering."
    rows = OutboundEmail.objects.filter(kind="meetings.cancelled")
    assert rows.count() == 3
    assert all("Lokalen är stängd för renovering." in row.body_text for row in rows)
