"""Following Storebro, done with the keyboard: a resident follows the ort and wants new
proposals at once; a neighbour proposes; the coordinator answers; the weekly digest (with
the clock moved a week) holds the answer and not the proposal already sent; one click in
that e-mail stops the digest, and the next answer sends them nothing. Every page is
axe-clean."""

import re
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allas.models import OutboundEmail, User
from notifications.digest import digest_send_due
from notifications.follows import is_following
from notifications.models import Notice
from notifications.preferences import settings_for, settings_save
from proposals.models import Proposal, ProposalFollow
from tests.browser.conftest import assert_accessible, delivered
from tests.browser.test_proposals_flow import (
    answer,
    log_in_as,
    main_message,
    press_enter_and_wait,
    tab_to,
    type_into,
)
from tests.factories import UserFactory, membership

TITLE = "Fler bänkar längs Storebroån"
BODY = "Det finns nästan inga bänkar längs ån. Äldre som går där behöver kunna vila."
ANSWER = "Gruppen ställer ut fyra bänkar i vår, tillsammans med hembygdsföreningen."
LAST_ANSWER = "Nu står bänkarna på plats. Tack för förslaget!"


def on_live_server(link: str, live_server_url: str) -> str:
    server = urlsplit(live_server_url)
    return urlsplit(link)._replace(scheme=server.scheme, netloc=server.netloc).geturl()


def emails_to(user: User):
    return OutboundEmail.objects.filter(to=user.email).order_by("id")


@pytest.fixture
def storebro_coordinator() -> User:
    coordinator = UserFactory(display_name="Samordnare Berg")
    membership(coordinator, role="coordinator")
    return coordinator


def follow_storebro_and_choose_direct(page: Page) -> None:
    page.goto("/orter/storebro/")
    assert_accessible(page)
    tab_to(page, page.get_by_role("button", name="Följ Storebro"))
    press_enter_and_wait(page)
    expect(main_message(page)).to_contain_text("Nu följer du Storebro")
    expect(page.get_by_role("button", name="Sluta följa Storebro")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Välj hur ofta du får e-post").focus()
    press_enter_and_wait(page)
    expect(page).to_have_url(re.compile(r"/konto/notiser/$"))
    assert_accessible(page)
    group = page.get_by_role("group", name="Nya förslag i orter du följer")
    # Tab reaches the group's chosen radio; the arrow keys choose within the group.
    tab_to(page, group.get_by_role("radio", name="Veckosammanfattning"))
    page.keyboard.press("ArrowLeft")
    expect(group.get_by_role("radio", name="Direkt")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Spara"))
    press_enter_and_wait(page)
    expect(main_message(page)).to_contain_text("Dina notisinställningar är sparade.")
    expect(group.get_by_role("radio", name="Direkt")).to_be_checked()
    assert_accessible(page)


def propose_in_storebro(page: Page) -> Proposal:
    page.goto("/forslag/nytt/?ort=storebro")
    assert_accessible(page)
    type_into(page, page.locator("#id_title"), TITLE)
    page.keyboard.press("Tab")
    page.keyboard.type(BODY)
    tab_to(page, page.get_by_role("button", name="Skicka förslaget"))
    press_enter_and_wait(page)
    expect(main_message(page)).to_contain_text("Tack! Ditt förslag är publicerat.")
    return Proposal.objects.get(title=TITLE)


def test_a_storebro_follower_hears_at_once_then_in_the_digest_and_stops_it_with_one_click(
    page, new_page, live_server, settings, storebro_coordinator
) -> None:
    settings.SITE_URL = live_server.url
    follower = UserFactory(display_name="Följare Falk")
    neighbour = UserFactory(display_name="Granne Ek")

    log_in_as(page, follower)
    follow_storebro_and_choose_direct(page)

    # A neighbour proposes in Storebro: the follower gets exactly one e-mail, with the title.
    neighbours_page = new_page()
    log_in_as(neighbours_page, neighbour)
    proposal = propose_in_storebro(neighbours_page)
    [direct] = emails_to(follower)
    assert direct.status == OutboundEmail.Status.SENT, direct.last_error
    assert direct.subject == f"Nytt förslag i Storebro: {TITLE}"
    assert BODY in direct.body_text

    # The coordinator answers: the follower's answers go to the weekly digest.
    group_page = new_page()
    log_in_as(group_page, storebro_coordinator)
    group_page.goto(proposal.get_absolute_url())
    assert_accessible(group_page)
    answer(group_page, "Antaget", text=ANSWER)
    assert emails_to(follower).count() == 1

    # A week later the digest holds the answer, not the new-proposal item already sent.
    digest_send_due(now=timezone.now() + timedelta(days=7))
    digest = emails_to(follower).get(kind="notifications.digest")
    assert digest.status == OutboundEmail.Status.SENT, digest.last_error
    assert TITLE in digest.body_text and ANSWER in digest.body_text
    assert "Status: Antaget" in digest.body_text
    assert "Nytt förslag" not in digest.body_text and BODY not in digest.body_text
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest.headers["Precedence"] == "bulk"
    assert digest.headers["Auto-Submitted"] == "auto-generated"
    body = delivered(digest).body
    link = re.search(r"^(\S+/konto/notiser/avsluta/\S+/)$", body, re.M).group(1)
    link = on_live_server(link, live_server.url)

    # The link opens a page to confirm, without logging in.
    mail_reader = new_page()
    mail_reader.goto(link)
    expect(mail_reader.locator("main h1")).to_have_text("Stoppa e-post")
    expect(mail_reader.locator("main")).to_contain_text("veckosammanfattningen")
    assert_accessible(mail_reader)
    # The mail program's one click: a POST with no cookies and no CSRF token.
    request = urllib.request.Request(link, data=b"List-Unsubscribe=One-Click", method="POST")  # noqa: S310
    with urllib.request.urlopen(request) as response:  # noqa: S310
        assert response.status == 200
    mail_reader.goto(link)
    expect(mail_reader.locator("main")).to_contain_text("Du får redan ingen e-post om")
    assert_accessible(mail_reader)

    # The next answer sends the follower nothing, now or in a digest.
    group_page.goto(proposal.get_absolute_url())
    answer(group_page, "Genomfört", text=LAST_ANSWER)
    assert emails_to(follower).count() == 2
    assert not Notice.objects.filter(user=follower, digest_key__isnull=True).exists()
    digest_send_due(now=timezone.now() + timedelta(days=14))
    assert emails_to(follower).count() == 2
    # New proposals still come at once: only the digest was stopped.
    assert settings_for(follower)["new_proposals"] == "direct"


NARROW = {"width": 320, "height": 720}


def assert_fits_320(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide"


def test_a_coordinator_writes_to_the_group_sees_the_recipients_and_sends_it(
    page, storebro_coordinator
) -> None:
    member = UserFactory(display_name="Medlem Karlsson")
    membership(member)
    settings_save(user=member, choices={"group_messages": "direct"})
    page.set_viewport_size(NARROW)
    log_in_as(page, storebro_coordinator)
    page.goto("/orter/storebro/grupp/")
    page.get_by_role("link", name="Skriv till gruppen").first.focus()
    press_enter_and_wait(page)
    assert_accessible(page)
    assert_fits_320(page)
    type_into(page, page.get_by_label("Ämne"), "Städdag på lördag")
    type_into(page, page.get_by_label("Meddelande"), "Vi ses vid skolan kl. 10.")
    tab_to(page, page.get_by_role("button", name="Visa mottagarna och en förhandsvisning"))
    press_enter_and_wait(page)
    expect(page.locator("#recipients")).to_contain_text("1 person får meddelandet")
    expect(page.locator("#recipients")).to_contain_text("1 direkt och 0 i sin veckosammanfattning")
    assert_accessible(page)
    assert_fits_320(page)
    tab_to(page, page.get_by_role("button", name="Skicka meddelandet"))
    press_enter_and_wait(page)
    expect(main_message(page)).to_contain_text("1 person får meddelandet med e-post nu.")
    expect(page.get_by_role("region", name="Meddelanden till gruppen")).to_contain_text(
        "Städdag på lördag"
    )
    assert_accessible(page)
    [email] = emails_to(member)
    assert email.status == OutboundEmail.Status.SENT, email.last_error
    assert email.subject == "Meddelande från gruppen i Storebro: Städdag på lördag"


def test_the_notification_settings_fit_320_px(page) -> None:
    page.set_viewport_size(NARROW)
    log_in_as(page, UserFactory())
    page.goto("/konto/notiser/")
    assert_accessible(page)
    assert_fits_320(page)
    page.goto("/orter/storebro/")
    assert_fits_320(page)


def test_the_follow_buttons_work_without_javascript(new_page, storebro_coordinator) -> None:
    from tests.browser.conftest import log_in
    from tests.factories import PASSWORD
    from tests.notifications.conftest import propose

    proposal = propose(UserFactory(), title=TITLE)
    person = UserFactory()
    page = new_page(java_script_enabled=False)
    log_in(page, person.email, PASSWORD)
    page.goto("/orter/storebro/")
    with page.expect_navigation():
        page.get_by_role("button", name="Följ Storebro").click()
    expect(page.get_by_role("button", name="Sluta följa Storebro")).to_be_visible()
    page.goto(proposal.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Följ förslaget").click()
    expect(page).to_have_url(re.compile(rf"/forslag/{proposal.pk}/$"))
    expect(page.get_by_role("button", name="Sluta följa förslaget")).to_be_visible()
    assert is_following(person, model=ProposalFollow, proposal=proposal)
