"""Two-step verification (allauth.mfa) in the portal's Swedish: every page, form error, message
and e-mail, for a resident and for staff; a refused code changes nothing."""

import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import polib
import pytest
from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import PASSWORD, UserFactory, give_second_factor, totp_code, totp_code_for
from tests.glossary import NEVER

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


class _VisibleText(HTMLParser):
    """The text a reader meets: text nodes and the attributes read out instead of text."""

    SPOKEN = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        self.parts.extend(value for name, value in attrs if name in self.SPOKEN and value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _english_msgids() -> list[str]:
    """The English source texts that must never show on a Swedish page: the portal's own for
    these pages and allauth.mfa's (whose Swedish says "tvåfaktorsautentisering")."""
    ours = polib.pofile(str(ROOT / "locale/sv/LC_MESSAGES/django.po"))
    theirs = polib.pofile(str(Path(allauth.__file__).parent / "locale/sv/LC_MESSAGES/django.po"))
    texts = set()
    for entry in ours:
        if any(
            "mfa" in path or "reauthenticate" in path for path, _line in entry.occurrences
        ) and entry.msgstr not in ("", entry.msgid):
            texts.add(entry.msgid)
    for entry in theirs:
        if any("mfa" in path for path, _line in entry.occurrences):
            texts.add(entry.msgid)
    # Text with placeholders is checked by its words elsewhere; a brand name stays a name.
    return sorted(t for t in texts if "%" not in t and "{" not in t and t not in {"QR"})


ENGLISH = _english_msgids()


def assert_swedish(response, *, status=200) -> str:
    assert response.status_code == status, response
    html = response.content.decode()
    assert '<html lang="sv">' in html
    text = visible_text(html)
    assert "tvåstegsverifiering" in text.lower(), text
    for word in NEVER:
        assert not re.search(word, text, flags=re.IGNORECASE), (word, text)
    left = [t for t in ENGLISH if re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", text)]
    assert left == [], f"English left on {response.request['PATH_INFO']}: {left}"
    return text


def staff_member(**fields):
    """A staff member of Utvecklingsavdelningen, as the lead creates them: no second factor yet."""
    user = UserFactory(is_staff=True, display_name="Handläggare Ek", **fields)
    user.groups.add(Group.objects.get(name="Utvecklingsavdelningen"))
    return user


@pytest.fixture(params=["resident", "staff"])
def person(request):
    """Each test runs for a resident and for a staff member, both without a second factor."""
    return UserFactory() if request.param == "resident" else staff_member()


def log_in_with_password(client, user):
    """allauth's own login, as a person does."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def log_in_with_code(client, user):
    response = log_in_with_password(client, user)
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code_for(user)})
    assert response.status_code == 302
    return response


def confirm_password(client):
    """Changing the second factor later asks for the password again."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_the_pages_of_an_account_without_a_second_factor_are_swedish(client, person):
    response = log_in_with_password(client, person)
    if person.is_staff:
        # Staff are sent to set it up at once.
        assert response.url == reverse("mfa_index")
    text = assert_swedish(client.get(reverse("mfa_index")))
    assert "Tvåstegsverifiering är av." in text
    assert ("Du arbetar i administrationen." in text) is person.is_staff

    # Right after logging in, the password is not asked for again (WCAG 3.3.7).
    text = assert_swedish(client.get(reverse("mfa_activate_totp")))
    assert "Slå på tvåstegsverifiering" in text and "QR-kod" in text


def test_the_password_asked_again_later_is_swedish(client, person, settings):
    log_in_with_password(client, person)
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0  # the login is no longer recent
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    text = assert_swedish(client.get(response.url))
    assert "Bekräfta att det är du" in text and "Lösenord" in text


def test_the_pages_of_an_account_with_a_second_factor_are_swedish(client, person):
    give_second_factor(person)
    log_in_with_password(client, person)
    text = assert_swedish(client.get(reverse("mfa_authenticate")))
    assert "Skriv koden som din autentiseringsapp visar nu." in text

    # A wrong code is refused in Swedish and logs nobody in.
    text = assert_swedish(client.post(reverse("mfa_authenticate"), {"code": "000000"}))
    assert "Koden är fel." in text
    assert client.get(reverse("profile")).status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code_for(person)})
    assert response.status_code == 302 and client.get(reverse("profile")).status_code == 200

    text = assert_swedish(client.get(reverse("mfa_index")))
    assert "Tvåstegsverifiering är på." in text and "Du har 10 av 10 reservkoder kvar." in text
    text = assert_swedish(client.get(reverse("mfa_reauthenticate")))
    assert "Bekräfta att det är du" in text and "Använd ditt lösenord i stället" in text
    confirm_password(client)
    text = assert_swedish(client.get(reverse("mfa_view_recovery_codes")))
    assert "Dina reservkoder" in text
    assert_swedish(client.get(reverse("mfa_generate_recovery_codes")))
    text = assert_swedish(client.get(reverse("mfa_deactivate_totp")))
    if person.is_staff:
        assert "Du kan inte stänga av den." in text and "Ja, stäng av" not in text
    else:
        assert "Vill du stänga av tvåstegsverifiering?" in text

    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download["Content-Type"].startswith("text/plain")
    lines = download.content.decode().splitlines()
    assert lines[0] == "Reservkoder för Allas Vimmerby"
    assert len([line for line in lines if re.fullmatch(r"[A-Za-z0-9]{8}", line)]) == 10


def test_a_wrong_code_turns_nothing_on_and_the_right_one_shows_the_recovery_codes(
    client, person, django_capture_on_commit_callbacks
):
    log_in_with_password(client, person)
    confirm_password(client)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]

    text = assert_swedish(client.post(reverse("mfa_activate_totp"), {"code": "123 456"}))
    assert "Koden är fel." in text
    assert not Authenticator.objects.filter(user=person).exists()
    # The same secret is kept, so the person can try again with the app already set up.
    assert client.session["mfa.totp.secret"] == secret

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.url == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=person).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    # (The "it is on" message comes after the commit: the browser test sees it.)
    text = assert_swedish(client.get(response.url))
    assert "Dina reservkoder" in text


def test_right_after_logging_in_turning_it_on_does_not_ask_for_the_password_again(client):
    # WCAG 3.3.7: the password typed seconds ago is not asked for again in the same process.
    resident = UserFactory()
    log_in_with_password(client, resident)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=resident, type=Authenticator.Type.TOTP).exists()


def test_turning_it_on_later_asks_for_the_password_again_and_a_wrong_one_is_refused(
    client, settings
):
    resident = UserFactory()
    log_in_with_password(client, resident)
    # The login is older than the reauthentication timeout: someone else may sit there now.
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert_swedish(client.get(response.url))

    wrong = client.post(response.url, {"password": "fel-losenord-123"})
    assert "lösenord." in assert_swedish(wrong) and "is-invalid" in wrong.content.decode()
    right = client.post(response.url, {"password": PASSWORD})
    assert right.status_code == 302 and right.url == reverse("mfa_activate_totp")
    assert not Authenticator.objects.filter(user=resident).exists()


def test_staff_cannot_turn_off_their_second_factor_but_a_resident_can(client):
    staff = staff_member()
    give_second_factor(staff)
    log_in_with_code(client, staff)
    confirm_password(client)
    text = assert_swedish(client.post(reverse("mfa_deactivate_totp")))
    assert "Du kan inte stänga av den." in text
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()

    client.logout()
    resident = UserFactory()
    give_second_factor(resident)
    log_in_with_code(client, resident)
    confirm_password(client)
    response = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert "Tvåstegsverifiering är av." in assert_swedish(response)
    assert not Authenticator.objects.filter(user=resident).exists()


@pytest.mark.parametrize(
    ("template", "subject", "sentence"),
    [
        ("mfa/email/totp_activated", "Tvåstegsverifiering är på", "Nu är tvåstegsverifiering på"),
        ("mfa/email/totp_deactivated", "Tvåstegsverifiering är av", "Nu är tvåstegsverifiering av"),
        ("mfa/email/recovery_codes_generated", "Nya reservkoder", "Nya reservkoder har skapats"),
    ],
)
def test_the_notification_emails_are_swedish(rf, template, subject, sentence):
    request = rf.get("/")
    context = {"ip": "192.0.2.1", "user_agent": "Firefox", "timestamp": timezone.now()}
    with translation.override("sv"):
        message = get_adapter(request).render_mail(template, "a@example.se", context)
    assert message.subject == "Allas Vimmerby: " + subject
    body = message.body
    assert sentence in body and "IP-adress: 192.0.2.1" in body and "Webbläsare: Firefox" in body
    for word in NEVER:
        assert not re.search(word, message.subject + body, flags=re.IGNORECASE), word


def test_the_pages_stay_english_for_someone_who_chose_english(client):
    """The portal's English catalogue keeps its own English source texts."""
    resident = UserFactory()
    give_second_factor(resident)
    log_in_with_code(client, resident)
    client.post("/sprak/", {"language": "en", "next": "/"})
    html = client.get(reverse("mfa_index")).content.decode()
    assert '<html lang="en">' in html
    text = visible_text(html)
    assert "Two-step verification is on." in text
    assert "You have 10 of 10 recovery codes left." in text
    assert "Tvåstegsverifiering" not in text


@pytest.mark.parametrize(
    "name",
    [
        "mfa_index",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
    ],
)
def test_a_visitor_is_sent_to_log_in_and_a_post_changes_nothing(client, name):
    assert client.get(reverse(name)).url.startswith(reverse("account_login"))
    response = client.post(reverse(name), {"code": "123456"})
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not Authenticator.objects.exists()
