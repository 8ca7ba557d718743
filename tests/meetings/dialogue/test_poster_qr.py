"""The poster's QR code decodes to the meeting's absolute short address."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from allas.services import absolute_url
from meetings.dialogue.qr import QUIET_ZONE, qr_svg
from tests.dialogue_factories import dialogue_meeting

ZBARIMG = "/usr/bin/zbarimg"
# A module of the code as a square of this many pixels in the test image.
PIXELS = 8


def zbarimg_path() -> str:
    """Debian's zbar-tools reads the codes; without it the decoding tests are skipped,
    unless REQUIRE_BROWSER=1 (CI, which installs it with Chromium) says it must be there."""
    path = ZBARIMG if os.path.exists(ZBARIMG) else shutil.which("zbarimg")
    if path:
        return path
    reason = "zbarimg is not installed (apt-get install zbar-tools)"
    if os.environ.get("REQUIRE_BROWSER", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 says it must be there)", pytrace=False)
    pytest.skip(reason)


def decode(image: Path) -> str:
    """What zbarimg reads in the image: the code's text, or "" when it finds none."""
    result = subprocess.run(
        [zbarimg_path(), "--raw", "-q", str(image)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return result.stdout.strip()


def svg_as_bitmap(svg: str, target: Path) -> Path:
    """The SVG's dark squares drawn as a black-and-white PBM image (a format every image
    reader knows), so the test reads the code as it is drawn, not as it was meant."""
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    dark = {
        (int(x), int(y))
        for x, y, right, bottom in re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\1z", path)
        if int(right) == int(x) + 1 and int(bottom) == int(y) + 1
    }
    assert len(dark) == path.count("M"), "every square is one module"
    rows = []
    for y in range(size):
        line = " ".join("1" if (x, y) in dark else "0" for x in range(size) for _ in range(PIXELS))
        rows += [line] * PIXELS
    target.write_text(f"P1\n{size * PIXELS} {size * PIXELS}\n" + "\n".join(rows) + "\n")
    return target


@pytest.mark.django_db
def test_the_code_decodes_to_the_absolute_short_address_of_the_meeting(settings, tmp_path):
    settings.SITE_URL = "https://allas.vimmerby.se"
    meeting = dialogue_meeting()
    address = absolute_url(meeting.get_short_url())
    assert address == f"https://allas.vimmerby.se/m/{meeting.short_code}/"
    svg = qr_svg(address, label="QR-kod")
    assert decode(svg_as_bitmap(svg, tmp_path / "code.pbm")) == address


def test_the_code_keeps_its_quiet_zone_and_is_sized_by_the_stylesheet():
    svg = qr_svg("https://allas.vimmerby.se/m/abc234/", label="QR-kod")
    assert re.match(r'<svg viewBox="0 0 \d+ \d+" xmlns="http://www.w3.org/2000/svg"', svg)
    assert " width=" not in svg.split("<rect")[0] and " height=" not in svg.split("<rect")[0]
    first = re.search(r'<path d="M(\d+),(\d+)', svg)
    assert (int(first.group(1)), int(first.group(2))) == (QUIET_ZONE, QUIET_ZONE)
    # Black on a white ground, drawn by attributes: the CSP allows no inline style.
    assert 'fill="white"' in svg and 'fill="#000000"' in svg
    assert "style=" not in svg


def test_the_accessible_name_is_escaped():
    svg = qr_svg("https://allas.vimmerby.se/m/abc234/", label='Kod "till" <mötet> & mer')
    assert 'aria-label="Kod &quot;till&quot; &lt;mötet&gt; &amp; mer"' in svg
