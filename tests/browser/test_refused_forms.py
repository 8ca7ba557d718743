"""A refused form in a real browser: the page comes back with the coordinator's choices and
text in place, the error next to its field and announced with it, and no axe-core
violations on the refused page."""

import re

from playwright.sync_api import Page, expect

from allas.models import SlusGoal
from groups.models import DevelopmentGroup
from groups.plans.services import action_create, plan_create, plan_set_published
from proposals.services import proposal_create
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory, locality, membership


def _coordinator():
    user = UserFactory(display_name="Samordnare Ek")
    membership(user, role="coordinator")
    return user


def _submit(page: Page, form) -> None:
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_a_status_change_without_its_answer_keeps_the_chosen_status_and_the_text(
    page: Page,
) -> None:
    coordinator = _coordinator()
    proposal = proposal_create(
        author=UserFactory(), locality=locality("storebro"), title="Parkbänkar", body="Fler."
    )
    log_in(page, coordinator.email, PASSWORD)
    page.goto(proposal.get_absolute_url())
    form = page.locator(f"form[action='/forslag/{proposal.pk}/status/']")
    form.locator("#id_status").select_option("accepted")
    # Only blanks: typed, but no answer.
    form.locator("#id_answer").fill("   ")
    _submit(page, form)

    form = page.locator(f"form[action='/forslag/{proposal.pk}/status/']")
    expect(form.locator("#id_status")).to_have_value("accepted")
    answer = form.locator("#id_answer")
    expect(answer).to_have_attribute("aria-invalid", "true")
    # The error is read out with the field, after its help text.
    expect(answer).to_have_accessible_description(
        re.compile(r"Behövs om du väljer antaget.*Skriv ett offentligt svar som berättar")
    )
    expect(page.locator("main .messages")).to_contain_text("Inget ändrades")
    assert_accessible(page)

    # Corrected, it goes through.
    answer.fill("Vi ställer ut två bänkar i vår.")
    _submit(page, form)
    expect(page.locator("main .messages")).to_contain_text("Statusen är ändrad")


def test_a_progress_note_dated_in_the_future_comes_back_open_with_its_text(page: Page) -> None:
    coordinator = _coordinator()
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    plan = plan_create(group=group, year=2026, needs="", goals=[], copy_unfinished=False, by=None)
    plan_set_published(plan=plan, published=True, by=None)
    action = action_create(
        plan=plan, goals=[SlusGoal.objects.get(slug="kontakt")], by=None, title="Belysning"
    )
    log_in(page, coordinator.email, PASSWORD)
    page.goto(plan.get_absolute_url())
    page.locator(f"#atgard-{action.pk} summary").click()
    page.locator(f"#note-date-{action.pk}").fill("2099-01-01")
    page.locator(f"#note-text-{action.pk}").fill("Lamporna är beställda")
    with page.expect_navigation():
        submit_button = page.locator(f"#atgard-{action.pk} details form button[type=submit]")
        submit_button.click()

    text = page.locator(f"#note-text-{action.pk}")
    expect(text).to_be_visible()  # the form is open again
    expect(text).to_have_value("Lamporna är beställda")
    date = page.locator(f"#note-date-{action.pk}")
    expect(date).to_have_value("2099-01-01")
    expect(date).to_have_attribute("aria-invalid", "true")
    expect(date).to_have_accessible_description(
        "En lägesanteckning kan inte ha ett datum i framtiden."
    )
    assert_accessible(page)
