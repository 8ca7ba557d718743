"""A small year built by hand through the services, whose every figure is worked out in
the tests: proposals answered after 2, 10 and 40 days in Storebro and 1.5 in Tuna, two
decisions 30 and 60 days after being lifted, a plan, meetings and a network meeting."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from allas.models import Locality, SlusGoal
from groups.models import DevelopmentGroup
from groups.plans import services as plan_services
from meetings.models import Invitation, NetworkMeeting
from proposals import services
from proposals.models import Committee, MunicipalCase, Proposal, Visibility
from tests.dialogue_factories import dialogue_meeting, signup
from tests.factories import UserFactory, empty_plan, membership, signed_in

# Last year: a whole year, over, and in the past for every date check.
YEAR = timezone.localdate().year - 1
ZONE = timezone.get_default_timezone()


def at(month, day, hour=10, minute=0, year=YEAR):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ZONE)


def _propose(author, slug, title, when):
    with freeze_time(when):
        return services.proposal_create(
            author=author, locality=Locality.objects.get(slug=slug), title=title, body="Text."
        )


def _answer(proposal, by, status, when):
    with freeze_time(when):
        return services.proposal_set_status(
            proposal=proposal, by=by, status=status, answer="Tack, vi har läst förslaget."
        )


def _lift_register_decide(proposal, by, staff, lifted, decided_on, outcome):
    with freeze_time(lifted):
        services.proposal_lift(proposal=proposal, by=by, motivation="Viktigt för orten.")
        services.case_register(
            proposal=proposal,
            by=staff,
            case_number=f"KS {YEAR}/{proposal.pk}",
            committee=Committee.objects.order_by("pk").first()
            or Committee.objects.create(name="Kommunstyrelsen", kind="committee"),
            contact_role="Registrator",
        )
    with freeze_time(decided_on + datetime.timedelta(days=1)):
        services.case_decide(
            proposal=proposal,
            by=staff,
            decided_on=decided_on,
            outcome=outcome,
            summary="Kommunen har beslutat.",
            decision_url="https://vimmerby.se/protokoll",
        )


@pytest.fixture
def year_data(coordinator, staff):
    """Returns the year; the personas' own names stay out of every figure."""
    staff = signed_in(staff)
    author = UserFactory(display_name="Förslags Ställare Hand")
    # Another author in Tuna: the daily limit counts every later proposal too.
    neighbour = UserFactory(display_name="Granne Grann")
    with freeze_time(at(1, 15)):
        for sector, band in [
            ("business", "30_49"),
            ("associations", "18_29"),
            ("politician", "65_plus"),
        ]:
            membership(slug="storebro", sector=sector, age_band=band)
    p1 = _propose(author, "storebro", "Belysning", at(3, 1))
    _answer(p1, coordinator, Proposal.Status.ACCEPTED, at(3, 3))  # 2 days
    p2 = _propose(author, "storebro", "Bänkar", at(3, 1, 11))
    _answer(p2, coordinator, Proposal.Status.DECLINED, at(3, 11, 11))  # 10 days
    p3 = _propose(author, "storebro", "Brygga", at(4, 1))
    _answer(p3, coordinator, Proposal.Status.UNDER_REVIEW, at(5, 11))  # 40 days
    _propose(author, "storebro", "Lekplats", at(6, 1))  # never answered
    p5 = _propose(author, "storebro", "Skatepark", at(6, 2))
    with freeze_time(at(6, 3)):
        services.proposal_withdraw(proposal=p5, by=author)
    removed = _propose(author, "storebro", "Reklam", at(6, 4))
    Proposal.objects.filter(pk=removed.pk).update(visibility=Visibility.REMOVED)
    # Just after midnight on New Year's Day, Stockholm time: still the year's.
    t2 = _propose(neighbour, "tuna", "Busstider", at(1, 1, 0, 30))
    t1 = _propose(neighbour, "tuna", "Cykelväg", at(2, 1))
    _answer(t1, staff, Proposal.Status.ACCEPTED, at(2, 2, 22))  # 1.5 days
    # The year before: not counted.
    _propose(neighbour, "tuna", "Förra året", at(12, 31, 22, year=YEAR - 1))
    _lift_register_decide(t1, staff, staff, at(2, 10), datetime.date(YEAR, 3, 12), "granted")
    _lift_register_decide(p1, coordinator, staff, at(3, 5), datetime.date(YEAR, 5, 4), "rejected")
    assert MunicipalCase.objects.filter(stage="decided").count() == 2
    assert t2.pk

    storebro = DevelopmentGroup.objects.get(locality__slug="storebro")
    with freeze_time(at(1, 20)):
        plan = empty_plan("storebro", year=YEAR)
        goals = {g.slug: g for g in SlusGoal.objects.all()}
        plan_services.action_create(
            plan=plan,
            goals=[goals["leva"], goals["trivas"]],
            by=None,
            title="Belysning",
            status="done",
        )
        plan_services.action_create(
            plan=plan, goals=[goals["leva"]], by=None, title="Bänkar", status="planned"
        )
        plan_services.plan_set_published(plan=plan, published=True, by=None)

    held = dialogue_meeting(
        group=storebro, starts_at=at(9, 10, 18, 30), status="held", attendance=12
    )
    for _ in range(3):
        signup(held)
    signup(held, status="waiting")
    dialogue_meeting(
        group=storebro,
        starts_at=at(10, 10, 18, 30),
        status="held",
        attendance=5,
        personal_data_removed_at=at(12, 1),
        kept_signup_count=7,
    )
    dialogue_meeting(group=storebro, starts_at=at(11, 10, 18, 30), status="cancelled")

    meeting = NetworkMeeting.objects.create(
        title="Nätverksträff",
        starts_at=at(11, 20, 9),
        ends_at=at(11, 20, 15),
        venue="Stadshuset",
        rsvp_deadline=at(11, 10),
        report_deadline=at(11, 5),
        status="held",
    )
    for name, represents, group, answer in [
        ("Delegat Ett", "group", storebro, "yes"),
        ("Delegat Två", "group", storebro, "no"),
        ("Tjänsteperson", "municipality", None, "yes"),
    ]:
        Invitation.objects.create(
            meeting=meeting,
            name=name,
            email=f"{name.split()[-1].lower()}@example.se",
            represents=represents,
            group=group,
            answer=answer,
            sent_at=at(10, 1),
        )
    # A draft invitation not sent yet is not an invitation.
    Invitation.objects.create(
        meeting=meeting, name="Ej skickad", email="ej@example.se", represents="guest"
    )
    return YEAR
