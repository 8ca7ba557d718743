"""The poster's QR code, made on the server as SVG and put inline in the page: it prints
sharp at any size, needs no image request and no script, and carries no inline style, so
the portal's Content-Security-Policy holds."""

import xml.etree.ElementTree as ET  # noqa: S405 (writes our own SVG, parses nothing)

import qrcode
import qrcode.constants
from django.utils.safestring import SafeString, mark_safe
from qrcode.image.svg import SvgPathFillImage

# M restores 15 % of the code: enough for a poster that is folded, taped or a little
# faded, while the modules stay large enough for an old phone's camera across a room.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
# The quiet zone the standard asks for, in modules: scanners find the code by it.
QUIET_ZONE = 4


def qr_svg(data: str, *, label: str) -> SafeString:
    """`data` as a QR code: an <svg> element for an HTML page, black on white, sized by
    the page's CSS (it has a viewBox and no width or height), with `label` as the
    accessible name a screen reader gives it."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECTION, border=QUIET_ZONE, image_factory=SvgPathFillImage
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().get_image()
    # The size comes from the stylesheet; SVG 1.1's version is no attribute of HTML's <svg>.
    for name in ("width", "height", "version"):
        svg.attrib.pop(name, None)
    svg.set("class", "poster-qr-code")
    svg.set("role", "img")
    svg.set("aria-label", label)
    svg.set("preserveAspectRatio", "xMidYMid meet")
    path = svg.find("path")
    # One code per page, and nothing refers to it: an id could only clash.
    path.attrib.pop("id", None)
    # Without anti-aliasing the modules meet without hairline gaps between them.
    path.set("shape-rendering", "crispEdges")
    # ElementTree escapes the label and the data, which the code itself never contains
    # as text (the path holds only numbers).
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308
