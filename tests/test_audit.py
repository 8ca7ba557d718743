"""The audit log: every act of a coordinator or staff member leaves one entry, written in
the transaction of the change, readable after the actor and the object are gone."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation

from allas import audit
from allas.models import AuditEvent
from groups import message_services
from groups import services as group_services
from groups.models import DevelopmentGroup, Membership
from groups.plans import services as plan_services
from meetings import services as meeting_services
from meetings.models import NetworkMeeting, NetworkRole
from proposals import services as proposal_services
from tests.factories import UserFactory, membership
from tests.meetings.conftest import make_meeting
from tests.proposals.conftest import make_proposal

pytestmark = pytest.mark.django_db

Verb = AuditEvent.Verb


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
    and the name kept) and Swedish summary."""
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.verb, e.object_type, e.object_id, e.object_label, e.summary) for e in events] == [
        (verb, ContentType.objects.get_for_model(obj), obj.pk, str(obj), summary)
        for verb, obj, summary in expected
    ]
    assert {(e.actor, e.group) for e in events} == {(actor, group)}


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
    label = str(m)
    coordinator.delete()
    Membership.objects.filter(pk=m.pk).delete()
    event = the_event(Verb.MEMBERSHIP_REMOVED)
    assert event.actor is None
    with translation.override("sv"):
        assert event.actor_name == "Tidigare användare"
    assert event.object_label == label
    assert event.object is None
