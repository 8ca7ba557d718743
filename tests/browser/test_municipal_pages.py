"""The pages of the path to the municipality's decision in a browser: the group's lift
page, the staff's case page and their list pass axe-core and fit a phone from 320 px, a
refused form too; staff register a case and record its decision with the keyboard alone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allas.models import Locality
from proposals import services
from proposals.models import Committee, MunicipalCase
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_keyboard import tab_to
from tests.browser.test_phones import check_pages
from tests.factories import PASSWORD, UserFactory, signed_in


@pytest.fixture
def path_world(coordinator, staff):
    """Three proposals in Storebro: one waiting to be lifted, one lifted and registered,
    one decided with a corrected decision; and the committees staff keep."""
    storebro = Locality.objects.get(slug="storebro")
    author = UserFactory(display_name="Förslags Ställare")
    committee = Committee.objects.create(name="Kommunstyrelsen", kind="committee")
    Committee.objects.create(name="Samhällsbyggnadsförvaltningen", kind="office")
    by_staff = signed_in(staff)

    def propose(title):
        return services.proposal_create(
            author=author,
            locality=storebro,
            title=title,
            body="Det är mörkt längs vägen till skolan på vinterkvällarna.",
        )

    waiting = propose("Belysning vid busshållplatsen")
    registered = propose("Gångbana längs Storgatan")
    decided = propose("Badplats vid sjön")
    for proposal in (registered, decided):
        services.proposal_set_status(
            proposal=proposal, by=coordinator, status="accepted", answer="Gruppen står bakom."
        )
        services.proposal_lift(
            proposal=proposal, by=coordinator, motivation="Vägen och marken är kommunens."
        )
        services.case_register(
            proposal=proposal,
            by=by_staff,
            case_number=f"KS 2026/{proposal.pk}",
            committee=committee,
            contact_role="Handläggare, samhällsbyggnadskontoret",
        )
    decision = {
        "proposal": decided,
        "by": by_staff,
        "decided_on": timezone.localdate(),
        "summary": "Kommunstyrelsen biföll förslaget delvis.",
        "decision_url": "https://vimmerby.se/protokoll.pdf",
    }
    services.case_decide(outcome="granted", **decision)
    services.case_decide(outcome="partly_granted", reason="Protokollet justerat.", **decision)
    return {"waiting": waiting, "registered": registered, "decided": decided}


def test_the_lift_page_is_accessible_and_fits_a_phone(page: Page, path_world, coordinator):
    log_in(page, coordinator.email, PASSWORD)
    waiting, registered = path_world["waiting"], path_world["registered"]
    check_pages(page, [f"/forslag/{waiting.pk}/lyft/", f"/forslag/{registered.pk}/lyft/"])
    # A refused lift: the error next to the field, still accessible.
    page.goto(f"/forslag/{waiting.pk}/lyft/")
    page.locator("#id_motivation").fill("   ")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_motivation")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)


def test_the_staff_pages_are_accessible_and_fit_a_phone(page: Page, path_world, staff):
    log_in(page, staff.email, PASSWORD)
    registered, decided = path_world["registered"], path_world["decided"]
    check_pages(
        page,
        [
            "/forslag/kommunen/",
            "/forslag/kommunen/?ort=storebro",
            f"/forslag/{registered.pk}/kommunen/",
            f"/forslag/{decided.pk}/kommunen/",
        ],
    )
    # A refused decision: the outcome's error tied to its group of radios.
    page.goto(f"/forslag/{registered.pk}/kommunen/")
    form = page.locator("form:has(input[name=step][value=decide])")
    form.locator("#id_summary").fill("Beslut i KS.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("fieldset[aria-describedby]")).to_be_visible()
    assert_accessible(page)


def test_staff_register_a_case_and_record_its_decision_with_the_keyboard(
    page: Page, path_world, staff
):
    waiting = path_world["waiting"]
    services.proposal_lift(proposal=waiting, by=signed_in(staff), motivation="Säkerheten.")
    log_in(page, staff.email, PASSWORD)
    page.goto("/forslag/kommunen/")
    link = tab_to(page, f"main a[href='/forslag/{waiting.pk}/kommunen/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/forslag/{waiting.pk}/kommunen/$"))
    assert link

    tab_to(page, "#id_case_number")
    page.keyboard.type("ks 2026/901")
    tab_to(page, "#id_committee")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_committee")).not_to_have_value("")
    tab_to(page, "form:has(input[name=step][value=register]) button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case = MunicipalCase.objects.get(proposal=waiting)
    assert case.case_number == "KS 2026/901" and case.committee is not None

    tab_to(page, "#id_decided_on")
    today = timezone.localdate()
    # The order of a date field's parts follows the browser's own language, not the
    # page's: the date is entered whole into the field the keyboard reached.
    page.locator("#id_decided_on:focus").fill(today.isoformat())
    expect(page.locator("#id_decided_on")).to_have_value(today.isoformat())
    tab_to(page, "#id_outcome_0")
    page.keyboard.press("ArrowDown")  # to "delvis bifall"
    expect(page.locator("#id_outcome_1")).to_be_checked()
    tab_to(page, "#id_summary")
    page.keyboard.type("Nämnden biföll delvis.")
    tab_to(page, "form:has(input[name=step][value=decide]) button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case.refresh_from_db()
    assert (case.stage, case.outcome, case.decided_on) == ("decided", "partly_granted", today)
    expect(page.locator(".messages")).to_be_visible()
