"""Light on a phone: the first view of /, /forslag/ and a proposal page weighs at most
45 KiB compressed in all (HTML, CSS, JavaScript, icons), with nothing from elsewhere."""

import gzip
import re

import brotli
import pytest
from django.contrib.staticfiles import finders

from proposals import services
from tests.factories import UserFactory
from tests.proposals.conftest import make_proposal

pytestmark = pytest.mark.django_db

BUDGET = 45 * 1024
ASSET = re.compile(r'<(?:link|script)\b[^>]*?(?:href|src)="([^"]+)"')


@pytest.fixture
def proposal(db):
    author = UserFactory(display_name="Förslags Ställare")
    others = UserFactory.create_batch(5)
    for n in range(12):
        proposal = make_proposal(
            author if n < 4 else others[n % 5],
            title=f"Belysning längs cykelvägen mot skolan, del {n}",
            body="Det är mörkt på kvällarna och barnen cyklar hem från träningen. " * 5,
        )
    for person in others:
        services.comment_create(
            proposal=proposal, author=person, body="Bra förslag, jag håller med. " * 3
        )
    return proposal


def compressed_html(response) -> int:
    assert response["Content-Encoding"] == "gzip"
    return len(response.content)


def static_size(url: str) -> int:
    """What WhiteNoise sends for the file: its brotli version (made by the `brotli`
    package at collectstatic), as every current browser asks for it."""
    assert url.startswith("/static/"), f"a request elsewhere: {url}"
    path = finders.find(url.removeprefix("/static/").split("?")[0])
    with open(path, "rb") as handle:
        data = handle.read()
    return min(len(data), len(brotli.compress(data)))


def test_first_view_of_three_pages_is_at_most_45_kib_compressed(client, proposal):
    total, assets, report = 0, set(), []
    for path in ["/", "/forslag/", f"/forslag/{proposal.pk}/"]:
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200
        size = compressed_html(response)
        total += size
        report.append((path, size))
        html = gzip.decompress(response.content).decode()
        assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]
        for url in ASSET.findall(html):
            if url.startswith("/static/"):
                assets.add(url)
            else:
                assert not url.startswith(("http:", "https:", "//")), url
    for url in sorted(assets):
        size = static_size(url)
        total += size
        report.append((url, size))
    assert total <= BUDGET, report


def test_html_is_compressed_and_only_for_those_who_ask(client):
    assert client.get("/", HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
    assert not client.get("/").has_header("Content-Encoding")


def test_static_files_are_precompressed_with_brotli_too():
    from whitenoise.compress import Compressor

    assert Compressor(quiet=True).use_brotli


def test_no_page_loads_bootstraps_javascript(client, proposal):
    for path in ["/", "/forslag/", f"/forslag/{proposal.pk}/", "/orter/storebro/", "/sok/"]:
        assert "bootstrap.bundle" not in client.get(path).content.decode()
