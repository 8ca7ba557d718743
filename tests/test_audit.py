"""The audit log: every act of a coordinator or staff member leaves one entry, written in
the transaction of the change, readable after the actor and the object are gone."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from freezegun import freeze_time

from allas import audit, tasks
from allas import services as core_services
from allas.models import AuditEvent, PeriodicJobRun
from allas.staff import STAFF_GROUP
from groups import message_services, views
from groups import services as group_services
from groups.models import DevelopmentGroup, Membership
from groups.plans import services as plan_services
from meetings import services as meeting_services
from meetings.models import NetworkMeeting, NetworkRole
from proposals import services as proposal_services
from tests.factories import UserFactory, give_second_factor, membership
from tests.meetings.conftest import make_meeting
from tests.proposals.conftest import make_proposal
from tests.test_production_safety import user_change_post
from tests.words import Verb

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return UserFactory(display_name="Förslags Ställare")


def storebro():
    return DevelopmentGroup.objects.get(locality__slug="storebro")


def the_event(verb):
    """The one entry of this kind."""
    events = list(AuditEvent.objects.filter(verb=verb))
    assert len(events) == 1, events
    return events[0]


def assert_events(actor, group, expected):
    """The entries written, oldest first: each with its actor, group, object (by type, id
    and the name kept, in Swedish) and Swedish summary."""
    events = list(AuditEvent.objects.order_by("id"))
    with translation.override("sv"):
        wanted = [
            (verb, ContentType.objects.get_for_model(obj), obj.pk, str(obj), summary)
            for verb, obj, summary in expected
        ]
    assert [
        (e.verb, e.object_type, e.object_id, e.object_label, e.summary) for e in events
    ] == wanted
    locality = group.locality if group is not None else None
    assert {(e.actor, e.locality) for e in events} == {(actor, locality)}


# -- groups -------------------------------------------------------------------------


def test_a_coordinators_decisions_on_members_are_recorded(coordinator, applicant, member):
    group = storebro()
    request = Membership.objects.get(user=applicant)
    group_services.membership_approve(membership=request, by=coordinator)
    other = membership(UserFactory(), status="pending")
    group_services.membership_decline(membership=other, by=coordinator, message="Nej tack")
    leaver = membership(UserFactory())
    group_services.membership_leave(membership=leaver, by=leaver.user)  # their own act
    removed = Membership.objects.get(user=member)
    group_services.membership_remove(membership=removed, by=coordinator)
    group_services.group_update(
        group=group, by=coordinator, description="Ny text", meeting_info="", contact_email=""
    )
    message = message_services.group_message_send(
        group=group, by=coordinator, subject="Möte", body="Välkomna på tisdag."
    )
    assert_events(
        coordinator,
        group,
        [
            (Verb.MEMBERSHIP_APPROVED, request, "Godkände ansökan om medlemskap i gruppen."),
            (Verb.MEMBERSHIP_DECLINED, other, "Avslog ansökan om medlemskap i gruppen."),
            (Verb.MEMBERSHIP_REMOVED, removed, "Tog bort medlemmen ur gruppen."),
            (Verb.GROUP_EDITED, group, "Ändrade gruppens sida: om gruppen."),
            # Two members, the sender left out.
            (
                Verb.GROUP_MESSAGE_SENT,
                message,
                "Skickade ett meddelande till gruppen; mottagare: 1.",
            ),
        ],
    )


def test_member_details_and_role_changes_are_recorded_with_the_fields(coordinator, member):
    m = Membership.objects.get(user=member)
    fields = {"sector": "business", "age_band": m.age_band, "role": "member", "is_delegate": True}
    group_services.membership_update(membership=m, by=coordinator, **fields)
    fields["role"] = "coordinator"
    group_services.membership_update(membership=m, by=coordinator, **fields)
    group_services.membership_update(membership=m, by=coordinator, **fields)  # no change
    assert_events(
        coordinator,
        storebro(),
        [
            (Verb.MEMBERSHIP_UPDATED, m, "Ändrade medlemskapet: representerar, nätverksombud."),
            (Verb.COORDINATOR_APPOINTED, m, "Ändrade medlemskapet: roll."),
        ],
    )


def test_staff_appointing_and_unappointing_coordinators_is_recorded(staff, coordinator, member):
    group_services.coordinator_appoint(
        user=member, group=storebro(), by=staff, sector="associations", age_band="30_49"
    )
    m = Membership.objects.get(user=member)
    group_services.coordinator_unappoint(membership=m, by=staff)
    assert_events(
        staff,
        storebro(),
        [
            (Verb.COORDINATOR_APPOINTED, m, "Utsåg medlemmen till samordnare."),
            (
                Verb.COORDINATOR_UNAPPOINTED,
                m,
                "Avslutade uppdraget som samordnare; personen är kvar som medlem.",
            ),
        ],
    )


# -- plans --------------------------------------------------------------------------


def test_every_plan_and_action_change_of_a_coordinator_is_recorded(coordinator):
    group = storebro()
    year = timezone.localdate().year
    plan = plan_services.plan_create(
        group=group,
        year=year,
        needs="Trygga vägar",
        goals=[],
        copy_unfinished=False,
        by=coordinator,
    )
    plan_services.plan_update(plan=plan, needs="Trygga vägar och bad", goals=[], by=coordinator)
    plan_services.plan_set_published(plan=plan, published=True, by=coordinator)
    new = {"goals": [], "by": coordinator, "status": "planned", "progress": 0}
    first = plan_services.action_create(plan=plan, title="Belysning", **new)
    second = plan_services.action_create(plan=plan, title="Badplats", **new)
    plan_services.action_update(action=first, title="Belysning", **{**new, "progress": 40})
    plan_services.action_move(action=second, up=True, by=coordinator)
    plan_services.action_add_note(
        action=first, text="Offert kom", date=datetime.date(2026, 3, 1), by=coordinator
    )
    plan_services.action_close(action=first, by=coordinator)
    plan_services.plan_set_published(plan=plan, published=False, by=coordinator)
    plan.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert_events(
        coordinator,
        group,
        [
            (Verb.PLAN_CREATED, plan, f"Påbörjade planen för {year}."),
            (Verb.PLAN_UPDATED, plan, "Ändrade planens behov och SLUS-områden."),
            (Verb.PLAN_PUBLISHED, plan, "Publicerade planen."),
            (Verb.ACTION_CREATED, first, "Lade till åtgärden i planen."),
            (Verb.ACTION_CREATED, second, "Lade till åtgärden i planen."),
            (Verb.ACTION_UPDATED, first, "Ändrade åtgärden (status: Planerad, 40 % klart)."),
            (Verb.ACTION_MOVED, second, "Flyttade åtgärden upp i planen."),
            (
                Verb.ACTION_NOTE_ADDED,
                first,
                "Lade till en anteckning daterad 2026-03-01 på åtgärden.",
            ),
            (Verb.ACTION_CLOSED, first, "Markerade åtgärden som klar."),
            (
                Verb.PLAN_UNPUBLISHED,
                plan,
                "Gjorde planen till utkast igen; den är inte längre publik.",
            ),
        ],
    )


# -- proposals ----------------------------------------------------------------------


def test_answering_and_moderating_proposals_is_recorded(coordinator, author):
    proposal = make_proposal(author)
    proposal_services.proposal_set_status(
        proposal=proposal, by=coordinator, status="under_review", answer=""
    )
    comment = proposal_services.comment_create(proposal=proposal, author=author, body="Bra!")
    proposal_services.moderate(by=coordinator, decision="remove", reason="Spam", comment=comment)
    assert_events(
        coordinator,
        storebro(),
        [
            (
                Verb.PROPOSAL_STATUS_CHANGED,
                proposal,
                "Flyttade förslaget från ”Inkommet” till ”Behandlas”.",
            ),
            (Verb.PROPOSAL_MODERATED, comment, "Beslut efter anmälningar: Borttagen. Skäl: Spam"),
        ],
    )


def test_an_authors_own_acts_are_not_audited(author):
    proposal = make_proposal(author)
    proposal_services.proposal_withdraw(proposal=proposal, by=author)
    assert not AuditEvent.objects.exists()


# -- meetings -----------------------------------------------------------------------


def test_every_step_staff_take_with_a_meeting_is_recorded(staff, coordinator):
    meeting = make_meeting(status="draft")
    meeting_services.meeting_publish(meeting=meeting, by=staff)
    meeting_services.invitations_build(meeting=meeting, by=staff)
    guest = meeting_services.invitation_add_guest(
        meeting=meeting, name="Gäst Gustafsson", email="gast@example.se", by=staff
    )
    meeting_services.invitations_send(meeting=meeting, by=staff)
    meeting_services.remind_unanswered_now(meeting=meeting, by=staff)
    meeting.refresh_from_db()
    before = {name: getattr(meeting, name) for name in meeting_services.TIME_AND_PLACE}
    meeting.venue = "Folkets hus"
    meeting.save()
    meeting_services.meeting_changed(meeting=meeting, before=before, by=staff)
    role = NetworkRole.objects.create(user=UserFactory(), kind="municipality", role_title="Chef")
    roles = NetworkRole.objects.filter(pk=role.pk)
    meeting_services.network_roles_set_active(roles=roles, active=False, by=staff)
    meeting.refresh_from_db()
    assert_events(
        staff,
        None,
        [
            (Verb.MEETING_PUBLISHED, meeting, "Publicerade mötet."),
            (
                Verb.INVITATIONS_BUILT,
                meeting,
                "Lade till personer från nätverket i inbjudningslistan: 1.",
            ),
            (Verb.GUEST_INVITED, guest, "Lade till en gäst i inbjudningarna till Nätverksträff."),
            (Verb.INVITATIONS_SENT, meeting, "Skickade inbjudningarna som inte skickats förut: 2."),
            (
                Verb.REMINDERS_SENT,
                meeting,
                "Skickade en påminnelse till alla som inte har svarat: 2.",
            ),
            (Verb.MEETING_CHANGED, meeting, "Ändrade det publicerade mötet: plats."),
            (Verb.NETWORK_ROLES_CHANGED, role, "Avslutade nätverksrollen."),
        ],
    )
    AuditEvent.objects.all().delete()
    report = meeting_services.report_submit(
        meeting=meeting, group=storebro(), by=coordinator, experiences="Bra år", plans="Mer"
    )
    meeting_services.report_submit(
        meeting=meeting, group=storebro(), by=coordinator, experiences="Bra år", plans="Mer!"
    )
    assert_events(
        coordinator,
        storebro(),
        [
            (Verb.GROUP_REPORT_SUBMITTED, report, "Skickade gruppens rapport till nätverksmötet."),
            (Verb.GROUP_REPORT_SUBMITTED, report, "Ändrade gruppens rapport till nätverksmötet."),
        ],
    )


def test_held_minutes_and_cancelled_are_recorded(staff):
    held = make_meeting(days_ahead=-1)
    meeting_services.meeting_mark_held(meeting=held, by=staff)
    NetworkMeeting.objects.filter(pk=held.pk).update(minutes="Vi ses nästa år.")
    meeting_services.minutes_publish(meeting=held, by=staff)
    cancelled = make_meeting(title="Extra träff")
    meeting_services.meeting_cancel(meeting=cancelled, reason="För få anmälda", by=staff)
    held.refresh_from_db()
    cancelled.refresh_from_db()
    assert_events(
        staff,
        None,
        [
            (Verb.MEETING_HELD, held, "Markerade mötet som genomfört."),
            (
                Verb.MINUTES_PUBLISHED,
                held,
                "Publicerade protokollet och meddelade deltagarna: 0.",
            ),
            (Verb.MEETING_CANCELLED, cancelled, "Ställde in mötet. Skäl: För få anmälda"),
        ],
    )


# -- one transaction ----------------------------------------------------------------


def test_the_entry_rolls_back_with_a_change_that_fails(coordinator, applicant, monkeypatch):
    """The e-mail is written after the entry; when it fails, neither the decision nor its
    entry is kept."""

    def broken(**kwargs):
        raise RuntimeError("the outbox is full")

    monkeypatch.setattr(group_services, "email_send_templated", broken)
    request = Membership.objects.get(user=applicant)
    with pytest.raises(RuntimeError):
        group_services.membership_approve(membership=request, by=coordinator)
    request.refresh_from_db()
    assert request.status == "pending"
    assert not AuditEvent.objects.exists()


def test_the_entry_is_part_of_the_callers_transaction(staff):
    meeting = make_meeting(status="draft")
    with pytest.raises(RuntimeError), transaction.atomic():
        meeting_services.meeting_publish(meeting=meeting, by=staff)
        assert AuditEvent.objects.filter(verb=Verb.MEETING_PUBLISHED).exists()
        raise RuntimeError("the admin's save failed later")
    meeting.refresh_from_db()
    assert meeting.status == "draft"
    assert not AuditEvent.objects.exists()


def test_a_summary_is_kept_in_swedish_whatever_language_the_actor_uses(staff):
    meeting = make_meeting(status="draft")
    with translation.override("en"):
        meeting_services.meeting_publish(meeting=meeting, by=staff)
    assert the_event(Verb.MEETING_PUBLISHED).summary == "Publicerade mötet."


def test_no_actor_no_entry():
    assert audit.record(actor=None, verb=Verb.PLAN_CREATED, obj=None, summary="x") is None
    assert not AuditEvent.objects.exists()


# -- after deletion -----------------------------------------------------------------


def test_a_deleted_actor_reads_as_former_user_and_a_deleted_object_by_its_name(coordinator, member):
    m = Membership.objects.get(user=member)
    group_services.membership_remove(membership=m, by=coordinator)
    with translation.override("sv"):
        label = str(m)
    coordinator.delete()
    Membership.objects.filter(pk=m.pk).delete()
    event = the_event(Verb.MEMBERSHIP_REMOVED)
    assert event.actor is None
    with translation.override("sv"):
        assert event.actor_name == "Tidigare användare"
    assert event.object_label == label
    assert event.object is None


# -- accounts and rights in the admin -------------------------------------------------


@pytest.fixture
def superuser(db):
    user = UserFactory(is_staff=True, is_superuser=True, display_name="Super Användare")
    give_second_factor(user)
    return user


def local_joined(user):
    # The form shows whole seconds; a stored fraction would count as a change.
    type(user).objects.filter(pk=user.pk).update(
        date_joined=user.date_joined.replace(microsecond=0)
    )
    joined = timezone.localtime(user.date_joined)
    return {"date_joined_0": f"{joined:%Y-%m-%d}", "date_joined_1": f"{joined:%H:%M:%S}"}


def test_rights_given_in_the_admin_are_recorded_as_rights(client, superuser, resident):
    client.force_login(superuser)
    data = user_change_post(resident, is_staff="on", **local_joined(resident))
    data["groups"] = [str(Group.objects.get(name=STAFF_GROUP).pk)]
    response = client.post(f"/admin/allas/user/{resident.pk}/change/", data)
    assert response.status_code == 302
    event = the_event(Verb.ACCOUNT_RIGHTS_CHANGED)
    assert (event.actor, event.object_id) == (superuser, resident.pk)
    assert event.summary == "Ändrade: personalstatus, grupper."


def test_staff_changing_an_account_or_its_password_is_recorded(client, staff, resident):
    client.force_login(staff)
    data = user_change_post(resident, display_name="Nytt Namn", **local_joined(resident))
    assert client.post(f"/admin/allas/user/{resident.pk}/change/", data).status_code == 302
    new_password = {"password1": "Ett-nytt-losenord-2026", "password2": "Ett-nytt-losenord-2026"}
    response = client.post(f"/admin/allas/user/{resident.pk}/password/", new_password)
    assert response.status_code == 302
    summaries = list(
        AuditEvent.objects.filter(verb=Verb.ACCOUNT_CHANGED, actor=staff)
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert summaries == ["Ändrade: visningsnamn.", "Ändrade: lösenord."]


def test_deleting_an_account_is_recorded_and_the_name_kept(client, superuser, resident):
    client.force_login(superuser)
    name = str(resident)
    response = client.post(f"/admin/allas/user/{resident.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    event = the_event(Verb.ACCOUNT_DELETED)
    assert (event.actor, event.object_label, event.summary) == (superuser, name, "Tog bort kontot.")


# -- staff read the log in the admin --------------------------------------------------


def test_staff_read_filter_search_and_export_the_log(client, staff, coordinator, member):
    m = Membership.objects.get(user=member)
    group_services.membership_remove(membership=m, by=coordinator)
    group_services.group_update(
        group=storebro(), by=coordinator, description="Ny", meeting_info="", contact_email=""
    )
    client.force_login(staff)
    page = client.get("/admin/allas/auditevent/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tog bort medlemmen ur gruppen." in text and "Samordnare Berg" in text
    membership_type = ContentType.objects.get_for_model(Membership)
    filtered = client.get(f"/admin/allas/auditevent/?object_type__id__exact={membership_type.pk}")
    assert "Tog bort medlemmen" in filtered.content.decode()
    assert "Ändrade gruppens sida" not in filtered.content.decode()
    by_actor = client.get(f"/admin/allas/auditevent/?actor__id__exact={staff.pk}")
    assert "Tog bort medlemmen" not in by_actor.content.decode()
    searched = client.get("/admin/allas/auditevent/?q=gruppens+sida")
    assert "Ändrade gruppens sida" in searched.content.decode()
    assert "Tog bort medlemmen" not in searched.content.decode()
    today = timezone.localdate()
    dated = client.get(
        f"/admin/allas/auditevent/?created_at__year={today.year}&created_at__month={today.month}"
    )
    assert "Tog bort medlemmen" in dated.content.decode()
    ids = [str(pk) for pk in AuditEvent.objects.values_list("pk", flat=True)]
    export = client.post(
        "/admin/allas/auditevent/", {"action": "export_csv", "_selected_action": ids}
    )
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["När", "Vem", "Vad", "Typ av objekt", "Objekt", "Grupp", "Sammanfattning"]
    assert rows[2][1:4] == ["Samordnare Berg", "Medlem borttagen", "medlemskap"]


def test_the_log_is_read_only_and_for_staff_of_the_department_only(client, staff, coordinator):
    group_services.group_update(
        group=storebro(), by=coordinator, description="Ny", meeting_info="", contact_email=""
    )
    event = AuditEvent.objects.get()
    client.force_login(staff)
    assert client.get("/admin/allas/auditevent/add/").status_code == 403
    assert client.get(f"/admin/allas/auditevent/{event.pk}/change/").status_code == 200
    client.post(f"/admin/allas/auditevent/{event.pk}/change/", {"summary": "Ändrad"})
    assert (
        client.post(f"/admin/allas/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.summary == "Ändrade gruppens sida: om gruppen."
    # Django's is_staff alone, outside the department, opens neither the admin nor the log.
    outsider = UserFactory(is_staff=True)
    give_second_factor(outsider)
    client.force_login(outsider)
    assert client.get("/admin/allas/auditevent/").status_code in (302, 403)


def test_a_deleted_actor_reads_as_former_user_in_the_admin(client, staff, coordinator):
    group_services.group_update(
        group=storebro(), by=coordinator, description="Ny", meeting_info="", contact_email=""
    )
    coordinator.delete()
    client.force_login(staff)
    page = client.get("/admin/allas/auditevent/").content.decode()
    assert "Tidigare användare" in page and "Samordnare Berg" not in page


# -- the coordinators' page -----------------------------------------------------------


def test_coordinators_see_their_own_groups_entries_only(client, coordinator, other_coordinator):
    group_services.group_update(
        group=storebro(), by=coordinator, description="Ny", meeting_info="", contact_email=""
    )
    sodra_vi = DevelopmentGroup.objects.get(locality__slug="sodra-vi")
    group_services.group_update(
        group=sodra_vi, by=other_coordinator, description="Annan", meeting_info="", contact_email=""
    )
    client.force_login(coordinator)
    page = client.get("/orter/storebro/grupp/").content.decode()
    assert "Senaste ändringarna" in page
    assert "Samordnare Berg" in page and "Samordnare Vik" not in page


def test_the_coordinators_page_lists_the_latest_entries_at_the_same_cost(
    client, coordinator, django_assert_max_num_queries
):
    """Session, user, group, viewer's membership, members, 2 aggregates, the messages sent
    and the entries with their actors: the same for 2 entries as for 200."""
    group = storebro()

    def entries(n):
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=coordinator,
                verb=Verb.GROUP_EDITED,
                locality=group.locality,
                summary=f"Nr {i}",
            )
            for i in range(n)
        )

    client.force_login(coordinator)
    entries(2)
    with django_assert_max_num_queries(10):
        assert client.get("/orter/storebro/grupp/").status_code == 200
    entries(198)
    with django_assert_max_num_queries(10):
        page = client.get("/orter/storebro/grupp/").content.decode()
    assert page.count("Gruppens sida ändrad") == views.AUDIT_EVENTS_SHOWN


# -- retention ------------------------------------------------------------------------


def test_entries_older_than_three_years_are_removed_by_the_periodic_job(coordinator):
    with freeze_time("2023-01-10 12:00"):
        old = audit.record(actor=coordinator, verb=Verb.GROUP_EDITED, obj=None, summary="Gammal")
    with freeze_time("2024-06-01 12:00"):
        kept = audit.record(actor=coordinator, verb=Verb.GROUP_EDITED, obj=None, summary="Kvar")
    with freeze_time("2026-01-11 12:00"):
        assert tasks.remove_expired_audit_events.apply().get() == 1
        assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
        assert PeriodicJobRun.objects.get(job=audit.RETENTION_JOB).finished_at == timezone.now()
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert "audit-retention" in settings.CELERY_BEAT_SCHEDULE


def test_the_retention_comes_from_the_setting_and_the_privacy_notice_says_it(
    client, coordinator, settings
):
    with freeze_time("2026-01-01"):
        audit.record(actor=coordinator, verb=Verb.GROUP_EDITED, obj=None, summary="x")
    settings.AUDIT_RETENTION_DAYS = 30
    with freeze_time("2026-01-30"):
        assert audit.remove_expired() == 0
    with freeze_time("2026-02-01"):
        assert audit.remove_expired() == 1
    assert "sparas i 30 dagar" in client.get("/personuppgifter/").content.decode()
    settings.AUDIT_RETENTION_DAYS = 3 * 365
    assert "sparas i 3 år" in client.get("/personuppgifter/").content.decode()


def test_an_erased_accounts_name_leaves_the_log_and_the_acts_stay(coordinator, member, staff):
    m = Membership.objects.get(user=member)
    group_services.membership_update(
        membership=m,
        by=coordinator,
        sector="business",
        age_band=m.age_band,
        role="member",
        is_delegate=False,
    )
    audit.record_account_change(by=staff, account=member, fields=["display_name"], created=False)
    core_services.account_delete(user=member)
    labels = set(AuditEvent.objects.values_list("object_label", flat=True))
    assert labels == {"Tidigare användare"}
    assert AuditEvent.objects.count() == 2
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {coordinator.pk, staff.pk}


def test_the_admin_list_costs_the_same_for_3_and_100_entries(
    client, staff, coordinator, django_assert_max_num_queries
):
    group = storebro()

    def entries(n):
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=coordinator,
                verb=Verb.GROUP_EDITED,
                locality=group.locality,
                object_type=ContentType.objects.get_for_model(group),
                object_id=group.pk,
                object_label=str(group),
                summary=f"Nr {i}",
            )
            for i in range(n)
        )

    # Session, user, the department check, the counts, one page of entries with their
    # actors, groups and kinds, the actors and kinds the filters offer, the date levels.
    client.force_login(staff)
    entries(3)
    with django_assert_max_num_queries(16) as small:
        assert client.get("/admin/allas/auditevent/").status_code == 200
    entries(97)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/admin/allas/auditevent/").status_code == 200
