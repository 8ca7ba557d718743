"""Who sees which meeting page, group reports and the booklet, and the admin that runs it."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from freezegun import freeze_time

from allas.models import OutboundEmail
from groups.models import DevelopmentGroup
from meetings import services
from meetings.models import GroupReport, Invitation, NetworkMeeting
from tests.meetings.conftest import make_meeting
from tests.personas import NO_SECOND_FACTOR_PERSONAS
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

PERSONAS = ["visitor", "resident", "coordinator", "staff", *NO_SECOND_FACTOR_PERSONAS]


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_meetings_are_public_and_drafts_are_staffs_only(as_persona, persona):
    published = make_meeting(title="Öppen träff")
    draft = make_meeting(status="draft", title="Hemligt utkast")
    client = as_persona(persona)
    listing = client.get("/natverksmoten/").content.decode()
    assert "Öppen träff" in listing and "Hemligt utkast" not in listing
    assert client.get(f"/natverksmoten/{published.pk}/").status_code == 200
    assert client.get(f"/natverksmoten/{draft.pk}/").status_code == (
        200 if persona == "staff" else 404
    )
    assert client.get(f"/natverksmoten/{draft.pk}/kalender.ics").status_code == 404
    assert_valid_html(client.get(f"/natverksmoten/{published.pk}/").content)


def test_an_invitee_token_for_a_draft_meeting_is_404(client, invited, network):
    NetworkMeeting.objects.filter(pk=invited.pk).update(status="draft")
    token = invited.invitations.first().token
    assert client.get(f"/natverksmoten/svar/{token}/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("visitor", 302),
        ("resident", 403),
        ("other_coordinator", 403),
        ("coordinator", 200),
        ("staff", 200),
        ("staff_without_second_factor", 403),
        ("staff_session_without_second_factor", 403),
    ],
)
def test_only_the_groups_coordinators_and_staff_write_its_report(
    as_persona, meeting, persona, status
):
    client = as_persona(persona)
    path = f"/natverksmoten/{meeting.pk}/rapport/storebro/"
    assert client.get(path).status_code == status
    response = client.post(path, {"experiences": "Vi lärde oss", "plans": "Mer", "wishes": ""})
    assert GroupReport.objects.exists() is (status == 200)
    if status != 200:
        assert response.status_code == status


def test_the_report_form_is_prefilled_with_the_plans_actions(client, coordinator, meeting):
    from allas.models import SlusGoal
    from groups.plans import services as plan_services

    plan = plan_services.plan_create(
        group=DevelopmentGroup.objects.get(locality__slug="storebro"),
        year=2026,
        needs="",
        goals=[],
        copy_unfinished=False,
        by=None,
    )
    plan_services.action_create(
        plan=plan,
        goals=[SlusGoal.objects.first()],
        by=None,
        title="Ny lekplats",
        status="ongoing",
        progress=30,
    )
    client.force_login(coordinator)
    content = client.get(f"/natverksmoten/{meeting.pk}/rapport/storebro/").content.decode()
    assert "- Ny lekplats (pågår, 30 %)" in content
    assert_valid_html(content.encode())


def test_a_bad_report_is_refused_and_changes_nothing(client, coordinator, meeting):
    client.force_login(coordinator)
    response = client.post(
        f"/natverksmoten/{meeting.pk}/rapport/storebro/", {"experiences": "", "plans": ""}
    )
    assert response.status_code == 200
    assert "Fyll i fältet." in response.content.decode()
    assert not GroupReport.objects.exists()


def test_the_booklet_opens_to_the_network_at_the_report_deadline_and_always_for_staff(
    client,
    invited,
    network,
    staff,
    resident,
    member,
    staff_without_second_factor,
    staff_session_without_second_factor,
):
    for slug, text in [("storebro", "Storebros erfarenheter"), ("tuna", "Tunas planer")]:
        GroupReport.objects.create(
            meeting=invited,
            group=DevelopmentGroup.objects.get(locality__slug=slug),
            experiences=text,
            plans="Planer",
        )
    guest = services.invitation_add_guest(
        meeting=invited, name="Gäst", email="gast@example.se", by=staff
    )
    path = f"/natverksmoten/{invited.pk}/hafte/"
    by_link = f"/natverksmoten/svar/{guest.token}/hafte/"
    before, after = (
        invited.report_deadline - datetime.timedelta(minutes=1),
        invited.report_deadline + datetime.timedelta(minutes=1),
    )
    with freeze_time(before):
        for person in (network["delegate"], member):
            client.force_login(person)
            assert client.get(path).status_code == 403
        assert client.get(by_link).status_code == 403
        # Staff only past the second factor.
        client.force_login(staff_without_second_factor)
        assert client.get(path).status_code == 403
        client.force_login(staff_session_without_second_factor, second_factor=False)
        assert client.get(path).status_code == 403
        client.force_login(staff)
        assert client.get(path).status_code == 200
        client.logout()
    with freeze_time(after):
        # A member of any group and anyone invited, before the meeting.
        for person in (network["delegate"], network["municipal"], member):
            client.force_login(person)
            response = client.get(path)
            assert response.status_code == 200, person
        content = response.content.decode()
        assert_valid_html(response.content)
        assert "Storebros erfarenheter" in content and "Tunas planer" in content
        assert (
            "Utvecklingsgruppen i Djursdala" in content
            and "Gruppen har inte skickat någon rapport." in content
        )
        # The groups without a report are named at the top.
        assert "8 grupper har inte skickat någon rapport:" in content
        assert 'href="/static/css/booklet.css"' in content
        client.force_login(resident)
        assert client.get(path).status_code == 403
        client.logout()
        assert client.get(path).status_code == 302
        assert client.get(by_link).status_code == 200
    services.meeting_cancel(meeting=invited, reason="Inställt", by=staff)
    with freeze_time(after):
        assert client.get(by_link).status_code == 403


# -- the admin ---------------------------------------------------------------------


def meeting_form(**changes):
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=40))
    data = {
        "title": "Nätverksträff 2026",
        "theme": "",
        "purpose": "Inspiration",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "09:00",
        "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "16:00",
        "venue": "Stadshuset",
        "address": "",
        "online_link": "",
        "rsvp_deadline_0": (start - datetime.timedelta(days=7)).strftime("%Y-%m-%d"),
        "rsvp_deadline_1": "12:00",
        "report_deadline_0": (start - datetime.timedelta(days=10)).strftime("%Y-%m-%d"),
        "report_deadline_1": "12:00",
        "capacity": "",
        "minutes": "",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_staff_create_a_meeting_in_the_admin(staff_client):
    response = staff_client.post("/admin/meetings/networkmeeting/add/", meeting_form())
    assert response.status_code == 302
    meeting = NetworkMeeting.objects.get()
    assert (meeting.status, timezone.localtime(meeting.starts_at).hour) == ("draft", 9)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at_1": "08:00"}, "Mötet måste sluta efter att det har börjat."),
        ({"rsvp_deadline_0": "2099-01-01"}, "Sista dagen måste vara innan mötet börjar."),
        ({"report_deadline_0": "2099-01-01"}, "Sista dagen måste vara innan mötet börjar."),
        (
            {"online_link": "inte en länk"},
            "Skriv en hel webbadress, till exempel https://www.vimmerby.se.",
        ),
    ],
)
def test_bad_meeting_times_get_a_swedish_error_and_change_nothing(staff_client, changes, message):
    response = staff_client.post("/admin/meetings/networkmeeting/add/", meeting_form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NetworkMeeting.objects.exists()


@pytest.mark.parametrize(
    "persona", ["visitor", "resident", "coordinator", *NO_SECOND_FACTOR_PERSONAS]
)
def test_no_one_but_staff_runs_the_meeting(as_persona, invited, persona):
    # Staff without the second factor are sent to set it up or type its code.
    refused = "/konto/2fa/" if persona in NO_SECOND_FACTOR_PERSONAS else "/admin/login/"
    client = as_persona(persona)
    before = (
        Invitation.objects.count(),
        OutboundEmail.objects.count(),
        NetworkMeeting.objects.get().status,
    )
    for what in ["bygg", "skicka", "paminn", "genomfort", "stall-in"]:
        response = client.post(f"/admin/meetings/networkmeeting/{invited.pk}/gor/{what}/")
        assert response.status_code == 302 and response["Location"].startswith(refused)
    assert (
        client.get(f"/admin/meetings/networkmeeting/{invited.pk}/inbjudningar/").status_code == 302
    )
    assert (
        Invitation.objects.count(),
        OutboundEmail.objects.count(),
        NetworkMeeting.objects.get().status,
    ) == before


def test_the_admin_page_shows_answers_needs_counts_and_email_status(staff_client, invited, network):
    inv = invited.invitations.get(email=network["delegate"].email)
    services.invitation_answer(invitation=inv, answer="yes", dietary_needs="Glutenfri")
    services.invitation_answer(
        invitation=invited.invitations.get(email=network["board"].email), answer="no"
    )
    response = staff_client.get(f"/admin/meetings/networkmeeting/{invited.pk}/inbjudningar/")
    content = response.content.decode()
    assert '<td id="count-invited">5</td>' in content and '<td id="count-yes">1</td>' in content
    assert '<td id="count-no">1</td>' in content and '<td id="count-pending">3</td>' in content
    assert '<td id="count-maybe">0</td>' in content
    assert "Glutenfri" in content and "Inbjudan: " in content
    # Answers per body, and the needs summed up.
    assert (
        '<tr id="body-group"><th scope="row">En lokal utvecklingsgrupp</th><td>3</td><td>1</td>'
        in content
    )
    assert (
        '<tr id="body-advisory_board"><th scope="row">Styrgruppen</th>'
        "<td>1</td><td>0</td><td>0</td><td>1</td>" in content
    )
    assert "Mat: 1 person har ett behov" in content and "<li>Glutenfri (1)</li>" in content
    # The list in sections per body, with counts.
    assert "De lokala utvecklingsgrupperna (3)" in content and "Kommunen (1)" in content


def test_staff_add_a_guest_and_a_bad_address_is_refused(staff_client, meeting):
    base = f"/admin/meetings/networkmeeting/{meeting.pk}/gor/gast/"
    response = staff_client.post(base, {"name": "Gäst", "email": "fel@"}, follow=True)
    assert (
        "Skriv en e-postadress" in response.content.decode()
        or "giltig" in response.content.decode()
    )
    assert not meeting.invitations.exists()
    staff_client.post(base, {"name": "Gäst Gustafsson", "email": "gast@example.se"})
    assert meeting.invitations.get().represents == "guest"


def test_sending_for_a_cancelled_meeting_shows_an_error_and_sends_nothing(
    staff_client, invited, staff
):
    services.meeting_cancel(meeting=invited, reason="Sjukdom", by=staff)
    before = OutboundEmail.objects.count()
    path = f"/admin/meetings/networkmeeting/{invited.pk}/gor/skicka/"
    # The question page says why it cannot be done and offers no button.
    page = staff_client.get(path).content.decode()
    assert "Mötet är inställt eller redan genomfört." in page
    assert 'name="confirmed"' not in page
    response = staff_client.post(path, {"confirmed": "1"}, follow=True)
    assert "Mötet är inställt. Inget skickades." in response.content.decode()
    assert OutboundEmail.objects.count() == before


def test_attendees_csv_has_their_needs(staff_client, invited, network):
    inv = invited.invitations.get(email=network["delegate"].email)
    services.invitation_answer(
        invitation=inv, answer="yes", dietary_needs="Vegan", accessibility_needs="Rullstol"
    )
    response = staff_client.get(f"/admin/meetings/networkmeeting/{invited.pk}/deltagare.csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Namn",
        "E-postadress",
        "Representerar",
        "Roll",
        "Svar",
        "Kost",
        "Tillgänglighetsbehov",
    ]
    assert rows[1][0] == "Ombud Olsson" and rows[1][5:] == ["Vegan", "Rullstol"]
    assert len(rows) == 2


def test_marking_held_and_publishing_minutes_tells_the_attendees(
    staff_client, invited, network, client
):
    inv = invited.invitations.get(email=network["delegate"].email)
    services.invitation_answer(invitation=inv, answer="yes")
    base = f"/admin/meetings/networkmeeting/{invited.pk}/gor/"
    yes = {"confirmed": "1"}
    response = staff_client.post(base + "protokoll/", yes, follow=True)
    assert "Markera mötet som genomfört" in response.content.decode()
    # Not before the meeting has started.
    response = staff_client.post(base + "genomfort/", yes, follow=True)
    assert "Mötet har inte börjat än." in response.content.decode()
    assert NetworkMeeting.objects.get().status == "published"
    # The meeting began five minutes ago.
    shift = invited.starts_at - timezone.now() + datetime.timedelta(minutes=5)
    NetworkMeeting.objects.filter(pk=invited.pk).update(
        starts_at=invited.starts_at - shift,
        ends_at=invited.ends_at - shift,
        rsvp_deadline=invited.rsvp_deadline - shift,
        report_deadline=invited.report_deadline - shift,
    )
    staff_client.post(base + "genomfort/", yes)
    assert NetworkMeeting.objects.get().status == "held"
    response = staff_client.post(base + "protokoll/", yes, follow=True)
    assert "Skriv protokollet först." in response.content.decode()
    NetworkMeeting.objects.filter(pk=invited.pk).update(minutes="Vi beslutade att träffas igen.")
    staff_client.post(base + "protokoll/", yes)
    assert list(
        OutboundEmail.objects.filter(kind="meetings.minutes").values_list("to", flat=True)
    ) == [network["delegate"].email]
    assert (
        "Vi beslutade att träffas igen."
        in client.get(f"/natverksmoten/{invited.pk}/").content.decode()
    )


def test_the_staff_start_page_warns_when_no_meeting_is_planned_this_year(staff_client):
    with freeze_time("2026-03-01 12:00"):
        content = staff_client.get("/admin/").content.decode()
        assert "Inget nätverksmöte är planerat för 2026." in content
        make_meeting(days_ahead=30)
        assert "Inget nätverksmöte är planerat" not in staff_client.get("/admin/").content.decode()


def test_staff_see_the_whole_roster(staff_client, network):
    content = staff_client.get("/admin/meetings/networkmeeting/natverket/").content.decode()
    for person in network.values():
        # An address may break only after its @ and before its dots.
        assert person.email.replace("@", "@<wbr>").replace(".", "<wbr>.") in content
    assert "Ledamot, Styrgruppen, Näringslivet" in content


def grow_invitations(meeting, n):
    start = meeting.invitations.count()
    Invitation.objects.bulk_create(
        Invitation(
            meeting=meeting,
            name=f"Person {i}",
            email=f"p{i}@example.se",
            represents="guest",
            answer=["pending", "yes", "no"][i % 3],
            dietary_needs="Vegetarisk" if i % 2 else "",
        )
        for i in range(start, start + n)
    )
    services.invitations_send(meeting=meeting, by=None)


def test_the_admin_meeting_page_uses_the_same_queries_for_10_and_1000_invitations(
    staff_client, meeting, django_assert_max_num_queries
):
    path = f"/admin/meetings/networkmeeting/{meeting.pk}/inbjudningar/"
    grow_invitations(meeting, 10)
    # session, user, second factor, the meeting, invitations with groups, their
    # reminders, the outbox rows, the counts per body, the progress per status, calendar
    # replies, the reports (and the admin's own sidebar apps).
    with django_assert_max_num_queries(14):
        assert staff_client.get(path).status_code == 200
    grow_invitations(meeting, 990)
    with django_assert_max_num_queries(14):
        response = staff_client.get(path)
    assert response.content.decode().count("Inbjudan: ") == 1000
