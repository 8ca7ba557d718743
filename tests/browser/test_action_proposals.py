"""Proposal and action, both ways, in a real browser: the plan lists the proposals behind
an action, each a link to the proposal, whose page links back to the action."""

from playwright.sync_api import Page, expect

from allas.models import SlusGoal
from groups.models import DevelopmentGroup
from groups.plans.services import action_create, plan_create, plan_set_published
from proposals.services import proposal_create, proposal_set_status
from tests.browser.conftest import assert_accessible
from tests.factories import UserFactory, locality, membership


def test_the_plan_page_with_the_proposals_behind_an_action_is_accessible(page: Page) -> None:
    coordinator = UserFactory(display_name="Samordnare Ek")
    membership(coordinator, role="coordinator")
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    plan = plan_create(group=group, year=2026, needs="", goals=[], copy_unfinished=False, by=None)
    plan_set_published(plan=plan, published=True, by=None)
    action = action_create(
        plan=plan, goals=[SlusGoal.objects.get(slug="kontakt")], by=None, title="Belysning"
    )
    proposal = proposal_create(
        author=UserFactory(), locality=locality("storebro"), title="Lampor vid skolan", body="Ja."
    )
    proposal_set_status(
        proposal=proposal, by=coordinator, status="accepted", answer="I planen.", action=action
    )
    page.goto(plan.get_absolute_url())
    item = page.locator(f"#atgard-{action.pk}")
    expect(item.get_by_role("heading", name="Förslag som ledde till åtgärden")).to_be_visible()
    with page.expect_navigation():
        item.get_by_role("link", name="Lampor vid skolan").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Belysning").click()
    expect(page.locator(f"#atgard-{action.pk}")).to_be_visible()
    assert_accessible(page)
