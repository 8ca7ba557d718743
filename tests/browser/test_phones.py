"""Every page fits a phone and a desktop, and reads at a glance.

For each role (visitor, resident, coordinator, staff with the admin pages they use) one
browser context logs in once and opens every page that role sees. Each page is laid out at
320, 375 and 1280 px wide, and at each width:

- the page does not scroll sideways (`scrollWidth <= innerWidth`);
- every visible button and link-button lies inside the viewport and inside any box that
  scrolls or clips it (nothing cut off);
- at 320 and 375 px axe-core finds no WCAG 2.2 A/AA violation nor a best-practice one;
- at 375 px (a touch width) buttons, nav links, pagination and form controls are at least
  44 x 44 px (links inside running text are excepted, as WCAG 2.5.8 allows), and body text
  and paragraphs are at least 16 px;
- at 1280 px a line of running text holds at most about 75 characters (80 at most), and
  the header's links stay on one row;
- no word or date in a table is broken across lines and no cell is clipped (an e-mail
  address may break at its @ and dots); Django's own change lists are excepted.

The admin's pages are Django's own: they are checked for sideways scroll, cut-off buttons
and axe, not for the portal's type, line length and tap-target sizes; there a wide table may
scroll inside its own box (which must lie in the viewport), never the page.

Every problem on every page is collected and reported together, so one run shows them all.
"""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import Page, expect

from proposals import services
from proposals.models import Committee
from tests.browser.conftest import AXE, AXE_OPTIONS, assert_accessible, log_in
from tests.browser.layout_checks import broken_words
from tests.browser.test_accessibility_apps import YEAR, world  # noqa: F401 (a fixture)
from tests.factories import PASSWORD, UserFactory, membership, signed_in, totp_code_for

WIDTHS = (320, 375, 1280)
NARROW_WIDTHS = (320, 375)
TOUCH_WIDTH = 375
WIDE_WIDTH = 1280
HEIGHT = 800
MIN_TARGET = 44
MIN_FONT = 16
# "About 75 characters": a line of running text may hold up to 80.
MAX_LINE_CHARS = 80

MEASURE = """({touch, wide, maxChars, scrollBoxes}) => {
  const iw = window.innerWidth;
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    const cls = [...el.classList].slice(0, 3).join(".");
    return `<${el.tagName.toLowerCase()}${cls ? "." + cls : ""}> "${text}"`;
  };
  const shown = (el) => {
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    if (el.closest(".visually-hidden, .skip-link")) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const clippedBy = (el, r) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === "visible") continue;
      const b = a.getBoundingClientRect();
      if (r.left >= b.left - 1 && r.right <= b.right + 1) continue;
      // In the admin a wide table may scroll in its own box: what is in it is reached by
      // scrolling that box, which itself must lie inside the viewport.
      if (scrollBoxes && (overflow === "auto" || overflow === "scroll")) {
        r = b;
        continue;
      }
      return describe(a);
    }
    if (r.left < -1 || r.right > iw + 1) return "the viewport";
    return null;
  };
  const out = {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: iw, widest: "",
    cutOff: [], small: [], fonts: [], long: [],
  };
  const buttons = "button, input[type=submit], input[type=button], input[type=reset], " +
    "a.btn, [role=button], summary";
  for (const el of document.querySelectorAll(buttons)) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    const by = clippedBy(el, r);
    const at = `x ${Math.round(r.left)}-${Math.round(r.right)}`;
    if (by) out.cutOff.push(`${describe(el)} at ${at}, cut off by ${by}`);
  }
  if (touch) {
    const targets = buttons + ", .nav-link, .page-link, select, textarea, " +
      "input:not([type=hidden]):not([type=checkbox]):not([type=radio])";
    const tooSmall = (el, r) => {
      if (r.width < 44 - 0.5 || r.height < 44 - 0.5)
        out.small.push(`${describe(el)} is ${Math.round(r.width)} x ${Math.round(r.height)} px`);
    };
    for (const el of document.querySelectorAll(targets)) {
      if (shown(el)) tooSmall(el, el.getBoundingClientRect());
    }
    // A checkbox or radio button is tapped together with its label.
    for (const el of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
      if (!shown(el)) continue;
      const boxes = [el, ...el.labels].map((e) => e.getBoundingClientRect());
      const span = (low, high) =>
        Math.max(...boxes.map((b) => b[high])) - Math.min(...boxes.map((b) => b[low]));
      tooSmall(el, {width: span("left", "right"), height: span("top", "bottom")});
    }
    const bodySize = parseFloat(getComputedStyle(document.body).fontSize);
    if (bodySize < 16) out.fonts.push(`<body> is ${bodySize} px`);
    for (const el of document.querySelectorAll("main p")) {
      if (!shown(el) || el.closest("small, .small, .form-text, .badge")) continue;
      if (el.classList.contains("small")) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 16) out.fonts.push(`${describe(el)} is ${size} px`);
    }
  }
  if (wide) {
    // Running text: a paragraph, list item or description whose content is all inline.
    const blocks = "p, div, ul, ol, dl, table, form, h1, h2, h3, h4, h5, h6, section, fieldset";
    for (const el of document.querySelectorAll("main p, main li, main dd")) {
      if (!shown(el) || el.querySelector(blocks)) continue;
      const text = el.innerText.trim().replace(/\\s+/g, " ");
      if (text.length < 80) continue;
      // The average width of this text's characters, laid out on one line in its own font.
      const probe = document.createElement("span");
      probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;";
      probe.textContent = text;
      el.appendChild(probe);
      const perChar = probe.getBoundingClientRect().width / text.length;
      probe.remove();
      const s = getComputedStyle(el);
      const width = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      const chars = Math.round(width / perChar);
      if (chars > maxChars) out.long.push(`${describe(el)} holds ${chars} characters a line`);
    }
  }
  if (out.scrollWidth > iw) {
    // Names the deepest elements that reach past the right edge, to say what to fix.
    const past = [...document.querySelectorAll("body *")].filter(
      (el) => el.getBoundingClientRect().right > iw + 1 && ![...el.children].some(
        (c) => c.getBoundingClientRect().right > iw + 1));
    out.widest = past.slice(0, 3).map(describe).join(", ");
  }
  return out;
}"""


def axe_violations(page: Page) -> list[str]:
    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"axe {v['id']}: {v['help']} at "
        + ", ".join(" ".join(str(p) for p in n["target"]) for n in v["nodes"][:3])
        for v in violations
    ]


# The header's links, on one row at a desktop's width: each starts at the same height.
HEADER_ROWS = """() => new Set(
  [...document.querySelectorAll("header .site-links > li, header .site-account > li")]
    .filter((li) => li.getClientRects().length)
    .map((li) => Math.round(li.getBoundingClientRect().top))
).size"""


def check_pages(page: Page, paths: list[str], lists: frozenset[str] = frozenset()) -> None:
    """Opens each path and lays it out at every width; fails once with every problem.
    `lists` are Django's own change lists, whose cells may wrap anywhere."""
    problems: list[str] = []
    for path in paths:
        page.set_viewport_size({"width": WIDE_WIDTH, "height": HEIGHT})
        response = page.goto(path)
        if response is None or not response.ok:
            problems.append(f"{path}: answered {response and response.status}")
            continue
        is_admin = path.startswith("/admin/")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            found = page.evaluate(
                MEASURE,
                {
                    "touch": width == TOUCH_WIDTH and not is_admin,
                    "wide": width == WIDE_WIDTH and not is_admin,
                    "maxChars": MAX_LINE_CHARS,
                    "scrollBoxes": is_admin,
                },
            )
            here = f"{path} at {width} px"
            if found["scrollWidth"] > found["innerWidth"]:
                problems.append(
                    f"{here}: scrolls sideways, {found['scrollWidth']} px wide: {found['widest']}"
                )
            problems += [f"{here}: cut off: {item}" for item in found["cutOff"]]
            problems += [f"{here}: tap target too small: {item}" for item in found["small"]]
            problems += [f"{here}: text too small: {item}" for item in found["fonts"]]
            problems += [f"{here}: line too long: {item}" for item in found["long"]]
            if path not in lists:
                problems += [f"{here}: broken across lines: {w}" for w in broken_words(page)]
            if width == WIDE_WIDTH and not is_admin and page.evaluate(HEADER_ROWS) > 1:
                problems.append(f"{here}: the header's links wrap onto a second row")
            if width in NARROW_WIDTHS:
                problems += [f"{here}: {item}" for item in axe_violations(page)]
    if problems:
        pytest.fail(
            f"{len(problems)} problem(s) on {len(paths)} pages:\n" + "\n".join(problems),
            pytrace=False,
        )


def paths_for(data, template_paths: list[str]) -> list[str]:
    proposal = data["proposal"]
    values = {
        "year": YEAR,
        "proposal": proposal.pk,
        "action": data["action"].pk,
        "meeting": data["meeting"].pk,
        "token": data["invitation"].token,
        "member_id": data["member"].memberships.get().pk,
        "comment": proposal.comments.filter(author=proposal.author).first().pk,
    }
    return [path.format(**values) for path in template_paths]


VISITOR_PAGES = [
    "/",
    "/orter/",
    "/orter/storebro/",
    "/orter/djursdala/",
    "/orter/storebro/plan/",
    "/mal/",
    "/mal/leva/",
    "/mal/kontakt/",
    "/forslag/",
    "/forslag/?q=bänkar&ort=storebro&sort=supported",
    "/forslag/{proposal}/",
    "/forslag/regler/",
    "/natverksmoten/",
    "/natverksmoten/{meeting}/",
    "/natverksmoten/svar/{token}/",
    "/sok/?q=storebro",
    "/tillganglighet/",
    "/personuppgifter/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]

# The proposal's author: the resident's own pages and the proposal they may still edit.
RESIDENT_PAGES = [
    "/konto/profil/",
    "/konto/notiser/",
    "/konto/email/",
    "/konto/password/change/",
    "/konto/2fa/",
    "/konto/radera/",
    "/orter/tuna/bli-medlem/",
    "/forslag/nytt/",
    "/forslag/{proposal}/",
    "/forslag/{proposal}/redigera/",
    "/forslag/{proposal}/anmal/",
    "/forslag/kommentar/{comment}/redigera/",
]

COORDINATOR_PAGES = [
    "/orter/storebro/",
    "/orter/storebro/grupp/",
    "/orter/storebro/grupp/redigera/",
    "/orter/storebro/grupp/meddelande/",
    "/orter/storebro/grupp/medlem/{member_id}/",
    "/orter/storebro/plan/{year}/",
    "/orter/storebro/plan/{year}/redigera/",
    "/orter/storebro/plan/ny/",
    "/orter/storebro/plan/{year}/atgard/ny/",
    "/orter/storebro/plan/{year}/atgard/{action}/",
    "/forslag/att-besvara/",
    "/forslag/{proposal}/",
    "/natverksmoten/{meeting}/",
    "/natverksmoten/{meeting}/rapport/storebro/",
]

STAFF_PAGES = [
    "/orter/",
    "/uppfoljning/",
    "/uppfoljning/{year}/",
    "/forslag/kommunen/",
    "/forslag/{proposal}/",
    "/forslag/{proposal}/kommunen/",
    "/natverksmoten/{meeting}/hafte/",
    "/admin/",
    "/admin/meetings/networkmeeting/add/",
    "/admin/meetings/networkmeeting/{meeting}/change/",
    "/admin/meetings/networkmeeting/{meeting}/inbjudningar/",
    "/admin/meetings/networkmeeting/{meeting}/gor/stall-in/",
    "/admin/meetings/networkmeeting/{meeting}/gor/skicka/",
    "/admin/meetings/networkmeeting/natverket/",
    "/admin/groups/plan/add/",
]


def admin_changelists(staff) -> list[str]:
    """Every changelist of the admin that the development department may see."""
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if staff.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    )


def test_every_public_page_fits_at_320_375_and_1280_px(page: Page, world) -> None:  # noqa: F811
    check_pages(page, paths_for(world, VISITOR_PAGES))


def test_every_page_of_a_resident_fits(page: Page, world) -> None:  # noqa: F811
    log_in(page, world["proposal"].author.email, PASSWORD)
    check_pages(page, paths_for(world, RESIDENT_PAGES))


def test_every_page_of_a_coordinator_fits(page: Page, request, world) -> None:  # noqa: F811
    # The long name and address that made the member table cut off its buttons at 1280 px.
    membership(
        UserFactory(
            display_name="Anna-Karin Johansson-Öberg Lindqvist",
            email="anna-karin.johansson-oberg@landsbygdsradet-i-norra-vimmerby.example.se",
        ),
        sector="rural_council",
        age_band="65_plus",
        is_delegate=True,
    )
    log_in(page, request.getfixturevalue("coordinator").email, PASSWORD)
    check_pages(page, paths_for(world, COORDINATOR_PAGES))


def test_every_page_the_staff_use_fits_admin_included(page: Page, request, world) -> None:  # noqa: F811
    staff = request.getfixturevalue("staff")
    # The proposal on its way through the municipality: its staff page and its timeline.
    proposal = world["proposal"]
    services.proposal_lift(
        proposal=proposal, by=request.getfixturevalue("coordinator"), motivation="Kommunens väg."
    )
    services.case_register(
        proposal=proposal,
        by=signed_in(staff),
        case_number="KS 2026/123",
        committee=Committee.objects.create(name="Samhällsbyggnadsnämnden", kind="committee"),
        contact_role="Gatuchef",
    )
    log_in(page, staff.email, PASSWORD)
    lists = admin_changelists(staff)
    check_pages(page, paths_for(world, STAFF_PAGES) + lists, lists=frozenset(lists))


# -- the menu on phones ------------------------------------------------------------------

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 800}


def test_on_a_phone_the_links_fold_into_one_menu_opened_by_keyboard(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/mal/")
    header = page.locator("header")
    menu = header.locator("summary", has_text="Meny")
    expect(menu).to_be_visible()
    expect(header.get_by_role("link", name="Förslag")).to_be_hidden()
    # The brand and the menu on one line, the account and the language on the next: not
    # the three lines the wrapped links took.
    box = header.bounding_box()
    assert box is not None and box["height"] <= 2 * 44 + 3 * 16, box
    # "Logga in" and the language switch are one tap away, outside the menu.
    for control in [
        header.get_by_role("link", name="Logga in"),
        header.get_by_role("button", name="English"),
    ]:
        expect(control).to_be_visible()
        assert control.evaluate("e => !e.closest('details')")

    for _ in range(10):
        page.keyboard.press("Tab")
        if menu.evaluate("e => e === document.activeElement"):
            break
    expect(menu).to_be_focused()
    assert menu.evaluate("e => parseFloat(getComputedStyle(e).outlineWidth) >= 2")
    page.keyboard.press("Enter")
    expect(page.locator("header details")).to_have_attribute("open", "")
    link = header.get_by_role("link", name="Förslag")
    expect(link).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Tab")  # the first link in the menu
    expect(header.get_by_role("link", name="Orter")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/forslag/$"))
    expect(page.locator("h1")).to_contain_text("Förslag")


def test_the_menu_opens_without_javascript_and_shows_the_staff_links(new_page, staff) -> None:
    page = new_page(java_script_enabled=False, viewport=PHONE)
    page.goto("/konto/login/")
    page.locator("#id_login").fill(staff.email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.locator("#id_code").fill(totp_code_for(staff))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    header = page.locator("header")
    menu = header.locator(".site-menu")
    expect(header.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(menu.get_by_role("link", name="Administration")).to_be_hidden()
    menu.locator("summary").click()
    expect(menu.get_by_role("link", name="Administration")).to_be_visible()
    with page.expect_navigation():
        menu.get_by_role("link", name="Uppföljning").click()
    expect(page).to_have_url(re.compile("/uppfoljning/$"))

    # At a desktop's width the staff's links fold into one control in the one-row header,
    # opened without JavaScript too.
    page.set_viewport_size(DESKTOP)
    staff_menu = header.locator(".staff-menu")
    expect(staff_menu.get_by_role("link", name="Hos kommunen")).to_be_hidden()
    staff_menu.locator("summary").click()
    with page.expect_navigation():
        staff_menu.get_by_role("link", name="Hos kommunen").click()
    expect(page).to_have_url(re.compile("/forslag/kommunen/$"))


def test_at_desktop_width_the_links_stand_inline_without_the_menu(page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    header = page.locator("header")
    expect(header.locator("summary")).to_be_hidden()
    links = [header.get_by_role("link", name=name) for name in ["Orter", "Förslag", "Sök"]]
    tops = set()
    for link in links:
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None
        tops.add(round(box["y"]))
    assert len(tops) == 1, f"the links stand on {len(tops)} lines"
    login = header.get_by_role("link", name="Logga in").bounding_box()
    assert login is not None and round(login["y"]) in tops


def test_focus_is_visible_on_every_control_of_a_busy_page(page: Page, request, world) -> None:  # noqa: F811
    """Tab through the coordinator's page at a touch width: every element that takes focus
    shows the portal's focus ring (a 3 px outline)."""
    log_in(page, request.getfixturevalue("coordinator").email, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto("/orter/storebro/grupp/")
    seen, missing = 0, []
    for _ in range(60):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body) return null;
                const s = getComputedStyle(e);
                return {ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
                        what: e.tagName + " " + (e.innerText || e.name || "").trim().slice(0, 30)};
            }"""
        )
        if found is None:
            break
        seen += 1
        if not found["ring"]:
            missing.append(found["what"])
    assert seen >= 20, f"only {seen} elements took focus"
    assert not missing, f"no visible focus on: {missing}"
