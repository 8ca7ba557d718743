"""axe-core finds no WCAG 2.1 A or AA violation on the pages of the groups, plans,
proposals and network meetings, filled with data and seen by the people who use them."""

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from allas.models import Locality, SlusGoal
from groups.models import DevelopmentGroup
from groups.plans import services as plan_services
from meetings import services as meeting_services
from proposals import services as proposal_services
from tests.browser.conftest import assert_accessible, log_in, submit_main_form
from tests.factories import PASSWORD, UserFactory
from tests.meetings.conftest import make_meeting

YEAR = timezone.localdate().year


@pytest.fixture
def world(coordinator, member, applicant, staff):
    """Storebro's group with members and a request, a published plan, proposals with
    comments and a hidden one, and a published meeting with its invitations sent."""
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    plan = plan_services.plan_create(
        group=group,
        year=YEAR,
        needs="Belysning och mötesplatser.",
        goals=SlusGoal.objects.filter(slug__in=["leva", "kontakt"]),
        copy_unfinished=False,
        by=None,
    )
    action = plan_services.action_create(
        plan=plan,
        goals=SlusGoal.objects.filter(slug="kontakt"),
        by=None,
        title="Belysning längs cykelvägen",
        status="ongoing",
        progress=40,
        responsible="Gatukontoret",
    )
    plan_services.action_add_note(
        action=action, text="Offert begärd", date=timezone.localdate(), by=None
    )
    plan_services.plan_set_published(plan=plan, published=True, by=None)
    author, supporter = UserFactory(), UserFactory()
    proposal = proposal_services.proposal_create(
        author=author,
        locality=Locality.objects.get(slug="storebro"),
        title="Fler bänkar i parken",
        body="Det behövs fler bänkar.\nhttps://vimmerby.se",
        goals=SlusGoal.objects.filter(slug="trivas"),
    )
    proposal_services.support_toggle(proposal=proposal, user=supporter)
    top = proposal_services.comment_create(proposal=proposal, author=supporter, body="Bra idé!")
    proposal_services.comment_create(proposal=proposal, author=author, body="Tack!", parent=top)
    hidden = proposal_services.comment_create(proposal=proposal, author=supporter, body="Olämpligt")
    for reporter in UserFactory.create_batch(3):
        proposal_services.report_create(reporter=reporter, comment=hidden, reason="offensive")
    proposal_services.proposal_set_status(
        proposal=proposal_services.proposal_create(
            author=author,
            locality=Locality.objects.get(slug="storebro"),
            title="Ny lekplats",
            body="Vid skolan.",
        ),
        by=coordinator,
        status="accepted",
        answer="Vi tar med den i planen.",
        action=action,
    )
    meeting = make_meeting()
    meeting_services.invitations_build(meeting=meeting, by=staff)
    meeting_services.invitations_send(meeting=meeting, by=staff)
    return {
        "plan": plan,
        "action": action,
        "proposal": proposal,
        "meeting": meeting,
        "invitation": meeting.invitations.first(),
        "member": member,
    }


def as_user(fixture: str, path: str, then: Callable[[Page], None] | None = None):
    def open_page(page: Page, request, world) -> None:
        if fixture != "visitor":
            log_in(page, request.getfixturevalue(fixture).email, PASSWORD)
        response = page.goto(
            path.format(
                **{k: getattr(v, "pk", v) for k, v in world.items()},
                year=YEAR,
                token=world["invitation"].token,
                member_id=world["member"].memberships.get().pk,
            )
        )
        assert response is not None and response.ok, (
            f"{path} answered {response and response.status}"
        )
        if then:
            then(page)

    return open_page


def submit_empty(page: Page) -> None:
    submit_main_form(page)


PAGES = {
    "the ort page seen by a member": as_user("member", "/orter/storebro/"),
    "the ort page seen by the coordinator": as_user("coordinator", "/orter/storebro/"),
    "the list of orter with the network overview seen by staff": as_user("staff", "/orter/"),
    "the join form": as_user("resident", "/orter/tuna/bli-medlem/"),
    "the join form with errors": as_user("resident", "/orter/tuna/bli-medlem/", submit_empty),
    "the coordinator's page with a request": as_user("coordinator", "/orter/storebro/grupp/"),
    "editing a member": as_user("coordinator", "/orter/storebro/grupp/medlem/{member_id}/"),
    "editing the group's page": as_user("coordinator", "/orter/storebro/grupp/redigera/"),
    "the plan seen by a visitor": as_user("visitor", "/orter/storebro/plan/"),
    "the plan seen by the coordinator": as_user("coordinator", "/orter/storebro/plan/{year}/"),
    "a new plan with errors": as_user("coordinator", "/orter/storebro/plan/ny/", submit_empty),
    "a new action with errors": as_user(
        "coordinator", "/orter/storebro/plan/{year}/atgard/ny/", submit_empty
    ),
    "the SLUS matrix with actions": as_user("visitor", "/mal/"),
    "a SLUS goal with actions": as_user("visitor", "/mal/kontakt/"),
    "the staff follow-up": as_user("staff", "/uppfoljning/"),
    "the proposals list": as_user("visitor", "/forslag/"),
    "the proposals list filtered and searched": as_user(
        "visitor", "/forslag/?q=bänkar&ort=storebro&sort=supported"
    ),
    "a proposal seen by a visitor": as_user("visitor", "/forslag/{proposal}/"),
    "a proposal seen by a resident": as_user("resident", "/forslag/{proposal}/"),
    "a proposal seen by the coordinator, with a hidden comment": as_user(
        "coordinator", "/forslag/{proposal}/"
    ),
    "the new proposal form with errors": as_user("resident", "/forslag/nytt/", submit_empty),
    "the report form": as_user("resident", "/forslag/{proposal}/anmal/"),
    "the rules": as_user("visitor", "/forslag/regler/"),
    "the whole portal's search with results of every kind": as_user("visitor", "/sok/?q=storebro"),
    "the whole portal's search for proposals": as_user("visitor", "/sok/?q=bänkar"),
    "the whole portal's search with nothing found": as_user("visitor", "/sok/?q=xyzzy"),
    "proposals to answer": as_user("coordinator", "/forslag/att-besvara/"),
    "the network meetings": as_user("visitor", "/natverksmoten/"),
    "a network meeting": as_user("visitor", "/natverksmoten/{meeting}/"),
    "a network meeting seen by a coordinator": as_user("coordinator", "/natverksmoten/{meeting}/"),
    "the answer page of an invitation": as_user("visitor", "/natverksmoten/svar/{token}/"),
    "the answer page sent empty": as_user("visitor", "/natverksmoten/svar/{token}/", submit_empty),
    "the group report form": as_user("coordinator", "/natverksmoten/{meeting}/rapport/storebro/"),
    "the meeting booklet seen by staff": as_user("staff", "/natverksmoten/{meeting}/hafte/"),
    "deleting an account": as_user("resident", "/konto/radera/"),
    "deleting an account sent empty": as_user("resident", "/konto/radera/", submit_empty),
}


@pytest.mark.parametrize("open_page", PAGES.values(), ids=PAGES.keys())
def test_app_page_has_no_accessibility_violations(page: Page, request, world, open_page) -> None:
    open_page(page, request, world)
    assert_accessible(page)


def test_the_meeting_booklet_prints_one_group_per_a4_page(page: Page, request, world) -> None:
    log_in(page, request.getfixturevalue("staff").email, PASSWORD)
    page.goto(f"/natverksmoten/{world['meeting'].pk}/hafte/")
    page.emulate_media(media="print")
    breaks = page.locator(".booklet-group").first.evaluate("e => getComputedStyle(e).breakBefore")
    assert breaks == "page"
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).display") == "none"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 11  # the cover and ten groups
