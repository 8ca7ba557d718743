"""The sign-ups as a CSV file for the group's coordinators: Excel with Swedish settings
opens it as it is (UTF-8 with a byte order mark, semicolons), no cell a person typed runs
as a formula, and every download is in the audit log."""

import csv
import io

import pytest

from allas.models import AuditEvent
from meetings.models import SignUp
from meetings.words import AuditVerb
from tests.dialogue_factories import signup
from tests.meetings.dialogue.test_manage_permissions import base, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


def download(client, world):
    response = client.get(base("published", world) + "anmalningar.csv")
    assert response.status_code == 200
    return response


def rows_of(response):
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    return list(csv.reader(io.StringIO(raw[1:]), delimiter=";"))


def test_the_csv_lists_those_signed_up_then_the_waiting_list_in_order(as_persona, world):
    meeting = world["published"]
    signup(meeting, name="Dag Dahl", status="waiting", food_needs="Laktosfri")
    signup(meeting, name="Aldrig Bekräftad", status="unconfirmed")
    signup(meeting, name="Avanmäld Person", status="cancelled")
    response = download(as_persona("coordinator"), world)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="anmalningar-storebro-{meeting.pk}.csv"'
    )
    header, *rows = rows_of(response)
    assert header == [
        "Namn",
        "E-postadress",
        "Status",
        "Plats på väntelistan",
        "Mat (allergier, specialkost)",
        "Tillgänglighetsbehov",
        "Tid för anmälan",
    ]
    assert [row[0] for row in rows] == ["Anna Andersson", "Bo Berg", "Cecilia Ceder", "Dag Dahl"]
    assert [row[3] for row in rows] == ["", "", "1", "2"]
    assert rows[0][4] == "Vegetarisk" and rows[3][4] == "Laktosfri"
    assert rows[0][1] == world["seated"].email
    assert rows[0][2] == SignUp.objects.get(pk=world["seated"].pk).get_status_display()
    # A moment in Swedish time that Excel reads as one: 2026-05-12 18:30.
    assert len(rows[0][6]) == 16 and rows[0][6][4] == "-" and rows[0][6][13] == ":"


def test_no_cell_a_person_typed_runs_as_a_formula(as_persona, world):
    meeting = world["published"]
    signup(
        meeting,
        name='=HYPERLINK("http://evil.example";"Klicka")',
        email="formel@example.se",
        status="waiting",
        food_needs="+SUM(1;2)",
        access_needs="@cmd",
    )
    signup(meeting, name="-2+3", email="minus@example.se", status="waiting")
    rows = rows_of(download(as_persona("coordinator"), world))[1:]
    by_email = {row[1]: row for row in rows}
    formula = by_email["formel@example.se"]
    assert formula[0] == '\'=HYPERLINK("http://evil.example";"Klicka")'
    assert formula[4] == "'+SUM(1;2)"
    assert formula[5] == "'@cmd"
    assert by_email["minus@example.se"][0] == "'-2+3"
    # Every cell a person typed is text or starts safely.
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_csv_never_carries_a_personal_link(as_persona, world):
    content = download(as_persona("coordinator"), world).content.decode()
    for s in SignUp.objects.all():
        assert s.token not in content
        assert s.token[:16] not in content


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_every_download_is_in_the_audit_log(as_persona, world, persona, request):
    download(as_persona(persona), world)
    event = AuditEvent.objects.get(verb=AuditVerb.DIALOGUE_SIGNUPS_EXPORTED)
    assert event.actor == request.getfixturevalue(persona)
    assert event.locality.slug == "storebro"
    assert event.object_id == world["published"].pk
    assert "3" in event.summary


def test_an_empty_meeting_gives_the_header_only(as_persona, world):
    response = as_persona("coordinator").get(base("draft", world) + "anmalningar.csv")
    assert len(rows_of(response)) == 1
