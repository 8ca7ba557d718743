"""The e-mail addresses page offers each address only what makes sense for it."""

import re

import pytest
from allauth.account.models import EmailAddress

pytestmark = pytest.mark.django_db

SPARE = "reserv@example.se"
UNCONFIRMED = "ny@example.se"


def _boxes(html):
    return {
        re.search(r"<strong[^>]*>([^<]+)</strong>", box)[1]: box
        for box in re.findall(r'<li class="border rounded p-3 mb-3">(.*?)</li>', html, re.S)
    }


def test_the_main_address_offers_neither_make_main_nor_remove(client, resident):
    EmailAddress.objects.create(user=resident, email=SPARE, verified=True, primary=False)
    EmailAddress.objects.create(user=resident, email=UNCONFIRMED, verified=False, primary=False)
    client.force_login(resident)
    html = client.get("/konto/email/").content.decode()
    boxes = _boxes(html)
    main = boxes[resident.email]
    assert "Huvudadress" in main and "Bekräftad" in main
    assert "<button" not in main  # nothing to do with the main, confirmed address
    assert "Gör den till din huvudadress" in boxes[SPARE]
    assert "Ta bort adressen" in boxes[SPARE]
    assert "Skicka bekräftelselänken igen" not in boxes[SPARE]
    assert "Skicka bekräftelselänken igen" in boxes[UNCONFIRMED]
    assert "Gör den till din huvudadress" not in boxes[UNCONFIRMED]
    # No radio buttons to choose an address first; no stock wording.
    assert 'type="radio"' not in html
    assert "Huvudsaklig" not in html


def test_each_addresss_button_acts_on_that_address(client, resident):
    EmailAddress.objects.create(user=resident, email=SPARE, verified=True, primary=False)
    client.force_login(resident)
    response = client.post("/konto/email/", {"email": SPARE, "action_primary": ""})
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=resident, primary=True).email == SPARE
