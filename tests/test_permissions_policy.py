"""Every response tells the browser to keep the features the portal never uses off:
camera, microphone, location, payment and the like, on the portal's pages, in the admin
and on static files and error pages."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

OFF = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]


def policy(response) -> list[str]:
    return [part.strip() for part in response.headers.get("Permissions-Policy", "").split(",")]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/forslag/", 200),
        ("/konto/login/", 200),
        ("/admin/login/", 302),
        ("/finns-inte/", 404),
        ("/admin/finns-inte/", 302),
    ],
)
def test_pages_admin_and_errors_turn_unused_browser_features_off(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    for feature in OFF:
        assert feature in policy(response), (path, feature)


def test_the_admin_carries_the_policy_for_staff(staff_client):
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    for feature in OFF:
        assert feature in policy(response)


def test_a_static_file_carries_the_policy_too(client):
    assert finders.find("vendor/htmx/htmx.min.js"), "the file this test fetches"
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
    response.close()  # the file WhiteNoise opened
    for feature in OFF:
        assert feature in policy(response)


def test_passkeys_stay_allowed(client):
    # Sign-in with a passkey uses the Web Authentication API, which the policy would block.
    assert not [part for part in policy(client.get("/")) if "publickey-credentials" in part]
