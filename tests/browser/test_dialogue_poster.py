"""The poster of a group's dialogue meeting in Chromium: printed, it is exactly one A4
page in black on large type with the code whole at its foot; the code as the browser
draws it reads (zbarimg) as the meeting's absolute short address, which leads to the
meeting's page; and the page passes axe at 320, 375 and 1280 px without sideways scroll."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from allas.services import absolute_url
from groups.models import DevelopmentGroup, DialogueMeeting
from tests.browser.conftest import assert_accessible, log_in
from tests.dialogue_factories import dialogue_meeting
from tests.factories import PASSWORD
from tests.meetings.dialogue.test_poster_qr import decode, zbarimg_path

# A4 in PDF points (1/72 inch): 210 x 297 mm.
A4_POINTS = (595.28, 841.89)
# Chromium writes A4 as 595.92 x 842.88: it rounds the page to whole CSS pixels.
A4_TOLERANCE = 1.5
# CSS pixels per millimetre and per point.
PX_PER_MM = 96 / 25.4
PX_PER_PT = 96 / 72
# Read from a few steps away, and by weak eyes: nothing smaller than this on the sheet
# but the one line at its foot that names the portal.
MIN_PRINTED_TEXT_PT = 16
# The code at least this wide on paper, so that a phone finds it at arm's length.
MIN_PRINTED_CODE_MM = 50
WIDTHS = (320, 375, 1280)


def a_meeting(**fields) -> DialogueMeeting:
    group = DevelopmentGroup.objects.get(locality__slug="storebro")
    group.contact_email = "utvecklingsgruppen@storebro.example.se"
    group.save()
    start = timezone.localtime() + datetime.timedelta(days=20)
    defaults = {
        "title": "Hur vill vi ha det i Storebro?",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "signup_deadline": start - datetime.timedelta(days=3),
        "venue": "Bygdegården",
        "address": "Storgatan 1, Storebro",
        "description": (
            "Välkommen till bygdemöte! Vi pratar om vad som behövs i orten: lekplatsen, "
            "belysningen vid ån och midsommarfirandet.\n\nKaffe och fika finns. Alla är "
            "välkomna, unga som gamla."
        ),
    }
    return dialogue_meeting(**{**defaults, **fields})


def the_longest_meeting() -> DialogueMeeting:
    """Every field as long as the model lets it be, and an online link besides."""
    words = "Ett möte om framtiden med många ord i varje mening som aldrig tar slut "
    return a_meeting(
        title=(words * 4)[:200],
        venue=("Bygdegården vid ån bakom kyrkan " * 10)[:200],
        address=("Storgatan 1 B, andra våningen, 598 73 Storebro " * 10)[:300],
        description=((words + ". ") * 60)[:3000],
        online_link="https://moten.example.se/storebro",
    )


def a_busy_meeting() -> DialogueMeeting:
    """A long title, a long place, a link to follow it online and a long description."""
    return a_meeting(
        title="Hur ska vi använda den gamla skolan? Ett samtal om framtiden i Storebro",
        venue="Församlingshemmet, stora salen en trappa upp",
        address="Kyrkogatan 12, 598 40 Storebro",
        online_link="https://moten.example.se/storebro",
        description="\n".join(
            f"{i}. Vi pratar om vad skolan kan bli: bibliotek, mötesplats eller företag."
            for i in range(1, 30)
        ),
    )


MEETINGS = {
    "an ordinary meeting": a_meeting,
    "a busy meeting": a_busy_meeting,
    "the longest meeting the form allows": the_longest_meeting,
    "a cancelled meeting": lambda: a_meeting(status=DialogueMeeting.Status.CANCELLED),
    "a meeting without description, deadline or e-mail": lambda: a_meeting(
        description="", signup_deadline=None
    ),
}


def pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """The width and height in points of each page of a PDF that Chromium wrote: its page
    objects stand uncompressed, each with its own MediaBox."""
    assert pdf.startswith(b"%PDF")
    assert b"/ObjStm" not in pdf, "the page objects are compressed: read the PDF another way"
    pages = re.findall(rb"/Type\s*/Page\b(?!s).*?endobj", pdf, flags=re.S)
    sizes = []
    for page in pages:
        box = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", page)
        assert box, f"a page without its own MediaBox: {page[:200]!r}"
        x0, y0, x1, y1 = (float(value) for value in box.groups())
        sizes.append((x1 - x0, y1 - y0))
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", pdf, flags=re.S)]
    assert counts == [len(sizes)], (counts, len(sizes))
    return sizes


def assert_one_a4_page(pdf: bytes) -> None:
    sizes = pdf_page_sizes(pdf)
    assert len(sizes) == 1, f"{len(sizes)} pages"
    (width, height) = sizes[0]
    assert abs(width - A4_POINTS[0]) <= A4_TOLERANCE, width
    assert abs(height - A4_POINTS[1]) <= A4_TOLERANCE, height


# What printing shows of the sheet: the code's box and the sheet's, how much of what stands
# above the sign-up block is cut off, the smallest text, and any text that is not black.
PRINTED = """() => {
  const about = document.querySelector(".poster-about");
  const sheet = document.querySelector(".poster").getBoundingClientRect();
  const signup = document.querySelector(".poster-signup").getBoundingClientRect();
  const code = document.querySelector(".poster-qr-code").getBoundingClientRect();
  const texts = [...document.querySelectorAll(".poster :is(p, dt, dd, h1, h2, a)")]
    .filter((el) => !el.closest(".poster-footer") && el.innerText.trim());
  return {
    sheetBottom: sheet.bottom, signupBottom: signup.bottom, codeWidth: code.width,
    hidden: about.scrollHeight - about.clientHeight,
    toolbar: getComputedStyle(document.querySelector(".poster-toolbar")).display,
    smallest: Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize))),
    colours: [...new Set(texts.map((el) => getComputedStyle(el).color))],
  };
}"""


@pytest.mark.parametrize("make", MEETINGS.values(), ids=MEETINGS.keys())
def test_the_poster_prints_on_exactly_one_a4_page_with_the_code_whole(page: Page, make) -> None:
    meeting = make()
    response = page.goto(f"/moten/{meeting.pk}/affisch/")
    assert response is not None and response.status == 200
    page.emulate_media(media="print")
    # Laid out as on the paper: A4 less the margins of @page (12 mm each side).
    page.set_viewport_size({"width": round(186 * PX_PER_MM), "height": round(273 * PX_PER_MM)})
    printed = page.evaluate(PRINTED)
    assert printed["toolbar"] == "none"
    assert printed["signupBottom"] <= printed["sheetBottom"] + 0.5, "the code is cut off"
    # The view planned the sheet so that nothing above the code needs cutting off either.
    assert printed["hidden"] <= 1, f"{printed['hidden']} px cut off above the code"
    assert printed["codeWidth"] >= MIN_PRINTED_CODE_MM * PX_PER_MM
    assert printed["smallest"] >= MIN_PRINTED_TEXT_PT * PX_PER_PT - 0.01, printed["smallest"]
    assert printed["colours"] == ["rgb(0, 0, 0)"], printed["colours"]
    assert_one_a4_page(page.pdf(format="A4"))


def test_a_drafts_poster_prints_on_one_page_for_its_coordinator(page: Page, coordinator) -> None:
    draft = a_meeting(status=DialogueMeeting.Status.DRAFT)
    log_in(page, coordinator.email, PASSWORD)
    page.goto(f"/moten/{draft.pk}/affisch/")
    expect(page.locator(".poster-notice")).to_be_visible()
    page.emulate_media(media="print")
    assert_one_a4_page(page.pdf(format="A4"))


def test_the_poster_prints_on_one_page_without_javascript(new_page) -> None:
    page = new_page(java_script_enabled=False)
    meeting = a_meeting()
    response = page.goto(f"/moten/{meeting.pk}/affisch/")
    assert response is not None and response.status == 200
    page.emulate_media(media="print")
    assert_one_a4_page(page.pdf(format="A4"))


def test_the_code_as_drawn_reads_as_the_short_address_that_leads_to_the_meeting(
    page: Page, live_server, settings, tmp_path: Path
) -> None:
    zbarimg_path()
    # The address on the poster is this server's, so that following it can be tried.
    settings.SITE_URL = live_server.url
    meeting = a_meeting()
    address = absolute_url(meeting.get_short_url())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/moten/{meeting.pk}/affisch/")
    on_screen = page.locator(".poster-qr-code").screenshot(path=tmp_path / "screen.png")
    assert on_screen.startswith(b"\x89PNG")
    assert decode(tmp_path / "screen.png") == address
    # And as it is printed.
    page.emulate_media(media="print")
    page.locator(".poster-qr-code").screenshot(path=tmp_path / "print.png")
    assert decode(tmp_path / "print.png") == address
    # The short address written out is the same one, as a person types it.
    typed = address.split("://", 1)[1].rstrip("/")
    expect(page.locator(".poster-address")).to_have_text(typed)
    page.emulate_media(media="screen")
    page.goto(address)
    expect(page).to_have_url(f"{live_server.url}/moten/{meeting.pk}/")


@pytest.mark.parametrize("make", [a_meeting, the_longest_meeting], ids=["ordinary", "longest"])
def test_the_poster_page_passes_axe_and_fits_every_width(page: Page, make) -> None:
    meeting = make()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(f"/moten/{meeting.pk}/affisch/")
        assert response is not None and response.status == 200
        scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll[0] <= scroll[1], f"scrolls sideways at {width} px: {scroll[0]} px wide"
        assert_accessible(page)
        expect(page.get_by_role("img", name=re.compile(meeting.short_code))).to_be_visible()
        expect(page.locator(f"header a[href='/moten/{meeting.pk}/']")).to_be_visible()
