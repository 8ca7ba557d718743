"""Confirmations of answers, the update and cancellation e-mails, the guards, the booklet
notice, the network roles and the demo roster, and the staff page's progress block."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar

from allas.models import OutboundEmail
from meetings import services
from meetings.models import Invitation, NetworkMeeting, NetworkRole, ReminderSent
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def partstat(row: OutboundEmail) -> str:
    [attachment] = row.attachments
    [event] = Calendar.from_ical(attachment["content"]).walk("VEVENT")
    return str(event["ATTENDEE"].params["PARTSTAT"])


# -- confirmations -------------------------------------------------------------------


def test_an_answer_on_the_page_is_confirmed_and_a_change_sends_an_updated_confirmation(
    client, invited, network
):
    inv = invited.invitations.get(email=network["delegate"].email)
    path = f"/natverksmoten/svar/{inv.token}/"
    response = client.post(path, {"answer": "yes", "dietary_needs": "Vegetarisk"}, follow=True)
    assert "En bekräftelse är på väg till din e-post." in response.content.decode()
    again = client.post(path, {"answer": "yes", "dietary_needs": "Vegetarisk"}, follow=True)
    assert "Ditt svar är detsamma som förut." in again.content.decode()
    client.post(path, {"answer": "no"})
    rows = list(OutboundEmail.objects.filter(kind="meetings.confirmation").order_by("id"))
    assert [r.to for r in rows] == [inv.email, inv.email]
    assert [partstat(r) for r in rows] == ["ACCEPTED", "DECLINED"]
    assert rows[0].subject == "Du kommer: Nätverksträff"
    assert "Mat: Vegetarisk" in rows[0].body_text
    assert rows[1].subject == "Du kommer inte: Nätverksträff"
    [attachment] = rows[0].attachments
    assert "method=REQUEST" in attachment["mimetype"]


# -- what changed, and why it is cancelled ------------------------------------------


def test_the_update_email_says_what_changed(invited, network, staff):
    before = {f: getattr(invited, f) for f in services.TIME_AND_PLACE}
    invited.venue = "Bygdegården"
    invited.starts_at += datetime.timedelta(hours=1)
    invited.save()
    assert services.meeting_changed(meeting=invited, before=before, by=staff) == 5
    row = OutboundEmail.objects.filter(kind="meetings.update").first()
    assert "Plats: Bygdegården\n  (tidigare: Stadshuset)" in row.body_text
    assert "Tid: " in row.body_text and "kl. 10.00–16.00" in row.body_text
    assert "kl. 09.00–16.00)" in row.body_text  # what it was
    assert "Adress" not in row.body_text.split("Det här gäller nu:")[0]
    assert "<strong>Plats:</strong> Bygdegården (tidigare: Stadshuset)" in row.body_html


def test_cancelling_in_the_admin_asks_for_a_reason_confirms_and_sends_it(
    staff_client, invited, network
):
    path = f"/admin/meetings/networkmeeting/{invited.pk}/gor/stall-in/"
    page = staff_client.get(path).content.decode()
    assert "Varför ställs mötet in?" in page and "Det går inte att ångra." in page
    assert "till de 5 personer som är inbjudna" in page
    before = (NetworkMeeting.objects.get().status, OutboundEmail.objects.count())
    # Without a reason: asked again, nothing changes.
    response = staff_client.post(path, {"confirmed": "1", "reason": "  "})
    assert response.status_code == 200
    assert "Skriv varför mötet ställs in." in response.content.decode()
    assert (NetworkMeeting.objects.get().status, OutboundEmail.objects.count()) == before
    # A POST without "confirmed" (not from the question page) only asks.
    staff_client.post(path, {"reason": "Lokalen är stängd."})
    assert NetworkMeeting.objects.get().status == "published"
    response = staff_client.post(path, {"confirmed": "1", "reason": "Lokalen är stängd."})
    assert response.status_code == 302
    meeting = NetworkMeeting.objects.get()
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "Lokalen är stängd.")
    rows = OutboundEmail.objects.filter(kind="meetings.cancelled")
    assert rows.count() == 5
    assert all("Därför är mötet inställt:\nLokalen är stängd." in r.body_text for r in rows)


@pytest.mark.parametrize("what", ["publicera", "skicka", "paminn", "genomfort", "protokoll"])
def test_an_irreversible_action_is_asked_about_first(staff_client, what):
    meeting = make_meeting(status="draft" if what == "publicera" else "published")
    path = f"/admin/meetings/networkmeeting/{meeting.pk}/gor/{what}/"
    before = (NetworkMeeting.objects.values_list("status", "minutes_published_at").get(), 0)
    response = staff_client.get(path)
    assert response.status_code == 200
    # A plain POST (no "confirmed") shows the question too and changes nothing.
    assert staff_client.post(path).status_code == 200
    assert (
        NetworkMeeting.objects.values_list("status", "minutes_published_at").get(),
        OutboundEmail.objects.count(),
    ) == before


def test_held_only_from_the_start_and_minutes_only_after_held(meeting, staff):
    with pytest.raises(services.MeetingError, match="Mötet har inte börjat än"):
        services.meeting_mark_held(meeting=meeting, by=staff)
    with pytest.raises(services.MeetingError, match="Markera mötet som genomfört"):
        NetworkMeeting.objects.filter(pk=meeting.pk).update(minutes="Text")
        services.minutes_publish(meeting=meeting, by=staff)
    with freeze_time(meeting.starts_at):
        services.meeting_mark_held(meeting=meeting, by=staff)
    assert NetworkMeeting.objects.get().status == "held"
    services.minutes_publish(meeting=meeting, by=staff)
    assert NetworkMeeting.objects.get().minutes_published_at is not None


def test_the_admin_form_refuses_minutes_before_the_meeting_is_held(staff_client, meeting):
    from tests.meetings.test_pages_and_admin import meeting_form

    data = meeting_form(minutes="Vi beslutade allt.")
    response = staff_client.post(f"/admin/meetings/networkmeeting/{meeting.pk}/change/", data)
    assert response.status_code == 200
    assert "Protokollet kan skrivas när mötet är markerat som genomfört." in (
        response.content.decode()
    )
    assert NetworkMeeting.objects.get().minutes == ""


# -- the booklet notice --------------------------------------------------------------


def test_the_coordinators_are_told_once_when_the_booklet_opens(invited, network):
    with freeze_time(invited.report_deadline - datetime.timedelta(minutes=1)):
        services.send_due_reminders()
    assert not OutboundEmail.objects.filter(dedup_key__endswith=":booklet").exists()
    with freeze_time(invited.report_deadline + datetime.timedelta(minutes=1)):
        services.send_due_reminders()
        services.send_due_reminders()
    rows = OutboundEmail.objects.filter(dedup_key__endswith=":booklet")
    assert sorted(rows.values_list("to", flat=True)) == sorted(
        [network["coordinator"].email, network["other_coordinator"].email]
    )
    row = rows.get(to=network["coordinator"].email)
    inv = invited.invitations.get(email=network["coordinator"].email)
    assert row.subject == "Häftet till Nätverksträff går att läsa"
    assert f"/natverksmoten/svar/{inv.token}/hafte/" in row.body_text
    assert NetworkMeeting.objects.get().booklet_notice_at is not None
    assert ReminderSent.objects.filter(kind="booklet").count() == 2


# -- the network ---------------------------------------------------------------------


def test_staff_retire_and_reinstate_a_network_role_in_the_admin(staff_client, network, meeting):
    role = NetworkRole.objects.get(user=network["board"])
    changelist = "/admin/meetings/networkrole/"
    response = staff_client.post(
        changelist, {"action": "action_retire", "_selected_action": [role.pk]}
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.active is False
    services.invitations_build(meeting=meeting, by=None)
    assert not meeting.invitations.filter(email=network["board"].email).exists()
    staff_client.post(changelist, {"action": "action_reinstate", "_selected_action": [role.pk]})
    role.refresh_from_db()
    assert role.active is True


def test_staff_add_a_network_role_in_the_admin(staff_client, resident):
    response = staff_client.post(
        "/admin/meetings/networkrole/add/",
        {
            "user": resident.pk,
            "kind": "municipality",
            "organisation": "Kultur och fritid",
            "role_title": "Fritidschef",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert NetworkRole.objects.get().description == "Fritidschef, Kommunen, Kultur och fritid"


def test_the_demo_roster_is_the_whole_network_and_loading_it_twice_changes_nothing():
    for command in ["load_demo", "load_demo_groups", "load_demo_meetings"]:
        call_command(command, stdout=io.StringIO())
    meeting = NetworkMeeting.objects.get(status="published")
    counts = dict(
        (body, meeting.invitations.filter(represents=body).count())
        for body in ["group", "municipality", "advisory_board"]
    )
    assert counts == {"group": 20, "municipality": 3, "advisory_board": 4}
    roles = set(meeting.invitations.values_list("role_description", flat=True))
    assert "Samordnare, Utvecklingsgruppen i Storebro" in roles
    assert "Nätverksombud, Utvecklingsgruppen i Storebro" in roles
    assert "Ledamot, Styrgruppen, Näringslivet" in roles
    before = Invitation.objects.count(), NetworkRole.objects.count()
    call_command("load_demo_meetings", stdout=io.StringIO())
    assert (Invitation.objects.count(), NetworkRole.objects.count()) == before


# -- the staff page's progress block -------------------------------------------------


def test_the_progress_block_polls_while_sending_and_links_failed_rows_to_the_outbox(
    staff_client, invited
):
    fragment = f"/admin/meetings/networkmeeting/{invited.pk}/framsteg/"
    content = staff_client.get(fragment).content.decode()
    # Five invitations on their way: the block asks for itself again in three seconds.
    assert f'hx-get="{fragment}"' in content and 'hx-trigger="every 3s"' in content
    assert "5 e-postmeddelanden totalt" in content
    rows = OutboundEmail.objects.filter(dedup_key__startswith=f"meeting:{invited.pk}:")
    first = rows.first()
    rows.exclude(pk=first.pk).update(status="sent", sent_at=timezone.now())
    rows.filter(pk=first.pk).update(status="failed", last_error="550 no such user")
    content = staff_client.get(fragment).content.decode()
    assert "hx-trigger" not in content  # all done: it stops polling
    assert '<td id="progress-sent">4</td>' in content
    link = (
        f"/admin/allas/outboundemail/?status=failed&amp;dedup_key__startswith=meeting:{invited.pk}:"
    )
    assert f'<td id="progress-failed"><a href="{link}">1</a></td>' in content
    outbox = staff_client.get(link.replace("&amp;", "&"))
    assert outbox.status_code == 200
    assert first.to in outbox.content.decode()
    page = staff_client.get(f"/admin/meetings/networkmeeting/{invited.pk}/inbjudningar/")
    assert page["Content-Security-Policy"].startswith("default-src 'self'")
    content = page.content.decode()
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in content
    assert f'href="/admin/allas/outboundemail/{first.pk}/change/"' in content
    # Without JavaScript: a link that reloads the page at the block.
    assert f'href="/admin/meetings/networkmeeting/{invited.pk}/inbjudningar/#progress"' in content


def test_the_staff_page_groups_the_actions_by_stage_each_with_one_sentence(staff_client, invited):
    content = staff_client.get(
        f"/admin/meetings/networkmeeting/{invited.pk}/inbjudningar/"
    ).content.decode()
    stages = ["1. Före inbjudningarna", "2. Utskick", "3. Före mötet", "4. Efter mötet"]
    positions = [content.index(s) for s in stages]
    assert positions == sorted(positions)
    assert "Alla på listan har fått inbjudan." in content
    assert (
        "Skickar en påminnelse med svarslänken till de 5 personer som inte har svarat." in content
    )
    assert "Går från mötets start" in content
    # Irreversible ones lead to a question page; nothing there is a bare POST button.
    assert f'href="/admin/meetings/networkmeeting/{invited.pk}/gor/stall-in/"' in content


# -- query budgets -------------------------------------------------------------------


def _grow(meeting, n):
    from tests.meetings.test_pages_and_admin import grow_invitations

    grow_invitations(meeting, n)


def test_the_booklet_and_the_progress_block_use_the_same_queries_for_10_and_100_invitations(
    client, staff, member, invited, django_assert_max_num_queries
):
    from groups.models import DevelopmentGroup
    from meetings.models import GroupReport
    from tests.factories import Client

    staff_client = Client()
    staff_client.force_login(staff)
    NetworkMeeting.objects.filter(pk=invited.pk).update(
        report_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    for group in DevelopmentGroup.objects.all()[:3]:
        GroupReport.objects.create(meeting=invited, group=group, experiences="x", plans="y")
    client.force_login(member)
    booklet = f"/natverksmoten/{invited.pk}/hafte/"
    progress = f"/admin/meetings/networkmeeting/{invited.pk}/framsteg/"
    detail = f"/natverksmoten/{invited.pk}/"
    for size in (10, 90):
        _grow(invited, size)
        # session, user, the meeting, may read (membership), reports, groups, agenda
        with django_assert_max_num_queries(7):
            assert client.get(booklet).status_code == 200
        # session, user, the meeting, the coordinator's groups, may read, agenda
        with django_assert_max_num_queries(9):
            assert client.get(detail).status_code == 200
        # session, user, second factor, the meeting, the outbox per status
        with django_assert_max_num_queries(7):
            assert staff_client.get(progress).status_code == 200
