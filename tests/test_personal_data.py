"""The register extract (registerutdrag) and deleting an account: personal data goes,
public records stay. The extract is a file with Swedish keys and every stored word in
Swedish beside its code, and a page with the same content in the person's language."""

import datetime
import json
import re

import pytest
from django.utils.html import escape

from allas import views
from allas.models import AgeBand, Locality, OutboundEmail, User
from groups.models import Membership
from meetings import services as meeting_services
from meetings.models import Invitation, NetworkRole
from notifications import follows, preferences
from proposals import services as proposal_services
from proposals.models import Comment, Proposal
from tests.dialogue_factories import dialogue_meeting, signup
from tests.factories import PASSWORD, UserFactory, membership
from tests.meetings.conftest import make_meeting
from tests.proposals.conftest import make_proposal
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

FILE = "/konto/mina-data/"
PAGE = "/konto/mina-data/visa/"
# Every part of the file, in order: the core's, then each app's (PERSONAL_DATA_MODULES).
PARTS = [
    "om_uttaget",
    "profil",
    "e-post_till_dig",
    "medlemskap",
    "förslag",
    "kommentarer",
    "stöd",
    "förslag_du_följer",
    "anmälningar_till_moderatorerna",
    "inbjudningar_till_nätverksträffar",
    "roller_i_nätverket",
    "anmälningar_till_gruppernas_möten",
    "orter_du_följer",
    "notisinställningar",
    "notiser_som_väntar",
]
# Lower case Swedish words joined by "_" ("e-post" is one word).
KEY = re.compile(r"^[a-zåäö]+(?:[_-][a-zåäö]+)*$")


@pytest.fixture
def active_resident(coordinator, staff):
    """A resident with something kept in every app: a membership with sector and role, a
    proposal, a comment, a support, follows, a report, notification settings, an invitation
    to the network meeting with an answer, a role in the network and a sign-up to a
    group's meeting."""
    person = UserFactory(display_name="Aktiv Andersson", age_band=AgeBand.AGE_30_49)
    membership(person, slug="storebro", is_delegate=True, sector="business")
    own = make_proposal(person, title="Mitt förslag")
    other = make_proposal(UserFactory(display_name="Annan Person"), title="Någon annans förslag")
    proposal_services.support_toggle(proposal=other, user=person)
    proposal_services.comment_create(proposal=other, author=person, body="Min kommentar")
    proposal_services.report_create(
        reporter=person, reason="spam", details="Ser ut som reklam", proposal=other
    )
    follows.follow_toggle(user=person, locality=Locality.objects.get(slug="tuna"))
    preferences.settings_save(user=person, choices={"meetings": "never"})
    meeting = make_meeting()
    meeting_services.invitations_build(meeting=meeting, by=staff)
    invitation = meeting.invitations.get(email=person.email)
    meeting_services.invitation_answer(invitation=invitation, answer="yes", dietary_needs="Vegan")
    NetworkRole.objects.create(user=person, kind="advisory_board", role_title="Ledamot")
    signup(dialogue_meeting(), user=person, food_needs="Glutenfritt")
    return {"person": person, "own": own, "other": other, "invitation": invitation}


def _walk(value, path=""):
    """Every (path, key, value) of the file."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key, inner
            yield from _walk(inner, f"{path}/{key}")
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _walk(inner, f"{path}/{n}")


def _coded(data):
    return [v for _p, _k, v in _walk(data) if isinstance(v, dict) and "kod" in v]


def test_a_visitor_is_sent_to_login(client):
    for path in [FILE, PAGE, "/konto/radera/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_register_extract_has_everything_kept_about_the_person(client, active_resident):
    person = active_resident["person"]
    client.force_login(person)
    response = client.get(FILE)
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert list(data) == PARTS
    assert data["profil"]["e-postadress"] == person.email
    assert data["profil"]["åldersgrupp"] == {"kod": "30_49", "text": "30–49"}
    [member] = data["medlemskap"]
    assert member["grupp"] == "Utvecklingsgruppen i Storebro"
    assert member["roll"] == {"kod": "member", "text": "Medlem"}
    assert member["status"] == {"kod": "active", "text": "Aktiv"}
    assert member["representerar"] == {"kod": "business", "text": "Näringslivet"}
    assert member["nätverksombud"] is True
    [own] = data["förslag"]
    assert own["rubrik"] == "Mitt förslag" and own["ort"] == "Storebro"
    assert own["status"] == {"kod": "submitted", "text": "Inkommet"}
    assert own["adress"].endswith(f"/forslag/{active_resident['own'].pk}/")
    [comment] = data["kommentarer"]
    assert comment["text"] == "Min kommentar" and comment["borttagen_av_dig"] is False
    assert [s["förslag_nummer"] for s in data["stöd"]] == [active_resident["other"].pk]
    assert data["anmälningar_till_moderatorerna"][0]["skäl"] == {
        "kod": "spam",
        "text": "Det är reklam eller skräp",
    }
    [invitation] = data["inbjudningar_till_nätverksträffar"]
    assert invitation["svar"] == {"kod": "yes", "text": "Kommer"}
    assert invitation["kost"] == "Vegan"
    assert data["roller_i_nätverket"][0]["representerar"]["kod"] == "advisory_board"
    [mine] = data["anmälningar_till_gruppernas_möten"]
    assert mine["mat"] == "Glutenfritt" and mine["status"]["kod"] == "signed_up"
    assert [f["ort"] for f in data["orter_du_följer"]] == ["Tuna"]
    assert data["notisinställningar"] == [
        {
            "typ": {"kod": "meetings", "text": "Nätverksmöten"},
            "hur": {"kod": "never", "text": "Aldrig"},
            "ändrad": data["notisinställningar"][0]["ändrad"],
        }
    ]


def test_every_key_is_swedish_and_every_stored_word_is_in_words_beside_its_code(
    client, active_resident
):
    client.force_login(active_resident["person"])
    data = json.loads(client.get(FILE).content)
    keys = {key for _path, key, _value in _walk(data) if not _path.endswith("/delar")}
    assert {key for key in keys if not KEY.match(key)} == set()
    coded = _coded(data)
    # A membership, a proposal, a report, an invitation, a sign-up, a setting at least.
    assert len(coded) > 15
    for value in coded:
        assert set(value) == {"kod", "text"}
        assert value["text"] and value["text"] != value["kod"], value
    # No English word of the old file is left as a key.
    assert keys.isdisjoint({"profile", "memberships", "proposals", "status_code", "title"})


def test_times_are_iso_8601_in_swedish_time(client, active_resident):
    client.force_login(active_resident["person"])
    data = json.loads(client.get(FILE).content)
    made = datetime.datetime.fromisoformat(data["om_uttaget"]["gjort"])
    assert made.utcoffset() in (datetime.timedelta(hours=1), datetime.timedelta(hours=2))
    submitted = data["förslag"][0]["inkommet"]
    assert datetime.datetime.fromisoformat(submitted).tzinfo is not None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", submitted)


def test_the_file_says_whom_it_is_about_when_and_who_is_responsible(
    client, settings, active_resident
):
    person = active_resident["person"]
    client.force_login(person)
    about = json.loads(client.get(FILE).content)["om_uttaget"]
    assert about["gäller"] == {"namn": "Aktiv Andersson", "e-postadress": person.email}
    assert about["personuppgiftsansvarig"] == settings.MUNICIPALITY["name"]
    assert about["dataskyddsombud"] == settings.MUNICIPALITY["dpo_email"]
    assert list(about["delar"]) == PARTS[1:]
    assert about["delar"]["medlemskap"].startswith("Medlemskap: Dina medlemskap")
    assert "kod" in about["koder"] and "ISO 8601" in about["tider"]


def test_nothing_about_anyone_else_is_in_the_file_or_on_the_page(
    client, coordinator, active_resident
):
    client.force_login(active_resident["person"])
    for path in [FILE, PAGE]:
        content = client.get(path).content.decode()
        for other in ["Någon annans förslag", "Annan Person", coordinator.email]:
            assert other not in content, (path, other)
        assert coordinator.display_name not in content


def test_the_file_and_the_page_are_private_and_never_cached(client, active_resident):
    client.force_login(active_resident["person"])
    for path in [FILE, PAGE]:
        response = client.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    # The page cache keeps only views that opt in, and never a signed-in person's page.
    for view in [views.my_data, views.my_data_page]:
        assert not getattr(view, "cached_for_visitors", False)


def test_the_page_shows_the_same_items_as_the_file(client, active_resident):
    client.force_login(active_resident["person"])
    data = json.loads(client.get(FILE).content)
    response = client.get(PAGE)
    page = response.content.decode()
    assert response["Content-Language"] == "sv"
    assert "<h1>Allt vi sparar om dig</h1>" in page
    assert f'href="{FILE}"' in page
    for part in data["om_uttaget"]["delar"].values():
        title = part.split(": ", 1)[0]
        assert f">{escape(title)}</h2>" in page, title
    for value in _coded(data):
        assert escape(value["text"]) in page, value
    for text in ["Mitt förslag", "Min kommentar", "Ser ut som reklam", "Vegan", "Glutenfritt"]:
        assert text in page
    assert data["förslag"][0]["adress"] in page
    assert_valid_html(response.content)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for stamp in re.findall(r'<time datetime="([^"]+)"', page):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp), stamp
    # A part with nothing kept says so: here only the news waiting for the digest.
    assert page.count("Inget sparat.") == 1


def test_the_page_follows_the_persons_language_and_the_file_stays_swedish(client, active_resident):
    person = active_resident["person"]
    person.language = "en"
    person.save()
    client.force_login(person)
    page = client.get(PAGE).content.decode()
    assert "<h1>Everything we keep about you</h1>" in page
    assert ">Memberships</h2>" in page and "Business" in page and "Coming" in page
    data = json.loads(client.get(FILE).content)
    assert data["medlemskap"][0]["representerar"]["text"] == "Näringslivet"
    assert data["profil"]["språk"] == {"kod": "en", "text": "Engelska"}


def test_the_profile_links_to_the_page_and_the_file(client, resident):
    client.force_login(resident)
    page = client.get("/konto/profil/").content.decode()
    assert f'href="{PAGE}"' in page and f'href="{FILE}"' in page


def test_the_page_costs_the_same_queries_with_more_data(
    client, active_resident, django_assert_max_num_queries
):
    person = active_resident["person"]
    client.force_login(person)
    with django_assert_max_num_queries(40) as few:
        client.get(PAGE)
    for n in range(10):
        other = make_proposal(UserFactory(), title=f"Fler {n}")
        if n < 4:  # at most five proposals a day
            make_proposal(person, title=f"Mitt {n}")
        proposal_services.support_toggle(proposal=other, user=person)
        proposal_services.comment_create(proposal=other, author=person, body=f"Kommentar {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)


def test_deleting_an_account_keeps_public_records_as_former_user(client, active_resident):
    person = active_resident["person"]
    email = person.email
    client.force_login(person)
    assert client.get("/konto/radera/").status_code == 200
    response = client.post("/konto/radera/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(email=email).exists()
    assert not Membership.objects.filter(user_id=person.pk).exists()
    own = Proposal.objects.get(pk=active_resident["own"].pk)
    assert own.author is None and own.title == "Mitt förslag"
    assert Comment.objects.get(body="Min kommentar").author is None
    assert Proposal.objects.get(pk=active_resident["other"].pk).support_count == 0
    invitation = Invitation.objects.get(pk=active_resident["invitation"].pk)
    assert (invitation.name, invitation.dietary_needs, invitation.user) == (
        "Tidigare användare",
        "",
        None,
    )
    assert email not in invitation.email
    assert not OutboundEmail.objects.filter(to=email).exists()
    page = client.get(f"/forslag/{own.pk}/").content.decode()
    assert "Tidigare användare" in page and "Aktiv Andersson" not in page
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "fel", "confirm": "on"}, "Lösenordet är fel."),
        ({"password": PASSWORD}, "Fyll i fältet."),
    ],
)
def test_a_wrong_password_or_no_confirmation_deletes_nothing(client, resident, data, message):
    client.force_login(resident)
    response = client.post("/konto/radera/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert User.objects.filter(pk=resident.pk).exists()


def test_the_only_coordinator_of_a_group_cannot_delete_the_account(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/konto/radera/", {"password": PASSWORD, "confirm": "on"})
    assert "enda samordnare för Utvecklingsgruppen i Storebro" in response.content.decode()
    assert User.objects.filter(pk=coordinator.pk).exists()
    assert Membership.objects.filter(user=coordinator).exists()
