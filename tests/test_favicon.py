"""The portal's icon shows in every tab, the admin's included: each page links an SVG and
an ICO, and /favicon.ico, where browsers look on their own, answers with the ICO."""

import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

ICO = Path(__file__).resolve().parent.parent / "static" / "img" / "favicon.ico"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class _IconLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.icons = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "icon" in (attrs.get("rel") or "").split():
            self.icons.append(attrs)


def icon_links(html: str) -> list[dict]:
    parser = _IconLinks()
    parser.feed(html)
    return parser.icons


def assert_links_both_icons(html: str) -> None:
    icons = icon_links(html)
    svg = [icon for icon in icons if icon["href"].endswith(".svg")]
    ico = [icon for icon in icons if icon["href"].endswith(".ico")]
    assert len(svg) == 1 and svg[0].get("type") == "image/svg+xml", icons
    assert len(ico) == 1, icons


@pytest.mark.django_db
def test_favicon_ico_answers_a_visitor_with_the_icon_without_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content == ICO.read_bytes()
    # Browsers keep it instead of asking on every page.
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_favicon_ico_answers_a_head_request(client):
    response = client.head("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "proposal_list", "account_login", "account_reset_password"]
)
def test_pages_link_both_icons_for_a_visitor(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_links_both_icons(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/", "/admin/allas/outboundemail/"])
def test_admin_pages_link_both_icons_for_staff(staff_client, url):
    response = staff_client.get(url)

    assert response.status_code == 200
    assert_links_both_icons(response.content.decode())


def test_the_error_page_links_both_icons():
    # 500.html is a page of its own: it does not extend base.html.
    assert_links_both_icons(render_to_string("500.html"))


@pytest.mark.django_db
def test_the_linked_icons_are_served(client):
    for icon in icon_links(client.get(reverse("home")).content.decode()):
        response = client.get(icon["href"])
        assert response.status_code == 200, icon["href"]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, icon["href"]


def test_the_ico_holds_16_32_and_48_pixel_images():
    data = ICO.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1)

    sizes = set()
    for index in range(count):
        width, height, _, _, _, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        image = data[offset : offset + length]
        assert len(image) == length
        # Each image is a PNG of the size its entry announces.
        assert image[:8] == PNG_SIGNATURE
        assert image[12:16] == b"IHDR"
        assert struct.unpack_from(">II", image, 16) == (width, height)
        assert bits == 32
        sizes.add((width, height))

    assert sizes == {(16, 16), (32, 32), (48, 48)}
