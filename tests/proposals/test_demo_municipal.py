"""`make run` shows a proposal's whole way to the municipality's decision, and an account
of this year with something in every chart; loading it again makes nothing new."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from allas.demo_days import is_workday
from groups.models import Action, DialogueMeeting, Plan
from meetings.models import GroupReport
from proposals.models import (
    CaseCorrection,
    Committee,
    MunicipalCase,
    Proposal,
    StatusChange,
)

pytestmark = pytest.mark.django_db

COMMANDS = ("load_demo", "load_demo_groups", "load_demo_meetings", "load_demo_proposals")


def load() -> str:
    out = io.StringIO()
    for command in COMMANDS:
        call_command(command, stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Proposal,
            StatusChange,
            MunicipalCase,
            CaseCorrection,
            Committee,
            Plan,
            Action,
            DialogueMeeting,
            GroupReport,
        )
    }


def local_day(moment):
    return timezone.localtime(moment).date()


def test_the_demo_has_each_step_a_decision_with_its_minutes_and_loads_once():
    load()
    stages = set(Proposal.objects.values_list("municipal_stage", flat=True))
    assert {"lifted", "registered", "decided"} <= stages
    registered = MunicipalCase.objects.get(stage="registered")
    assert registered.case_number.startswith("KS ") and registered.committee
    assert registered.contact_role
    assert registered.corrections.count() == 1  # the wrong committee, put right
    decided = MunicipalCase.objects.filter(stage="decided")
    for case in decided:
        assert case.decision_url.startswith("https://www.vimmerby.se/")
        assert case.decision_url.endswith(".pdf") and case.summary
    assert Committee.objects.filter(kind="committee").count() >= 4
    assert Committee.objects.filter(kind="office").count() >= 3
    before = counts()
    second = io.StringIO()
    call_command("load_demo_proposals", stdout=second)
    assert counts() == before
    assert "0 new, 11 already there" in second.getvalue()
    assert "1 lifted, 1 registered, 4 decided" in second.getvalue()
    load()
    assert counts() == before


def test_the_years_account_has_data_for_every_chart_on_working_days():
    load()
    year = timezone.localdate().year
    proposals = Proposal.objects.filter(created_at__year=year)
    assert proposals.values("locality").distinct().count() >= 3
    answered = proposals.exclude(answered_at=None)
    assert answered.values("locality").distinct().count() >= 3
    delays = [(p.answered_at - p.created_at).days for p in answered]
    assert min(delays) <= 30 < max(delays)  # some answered in time, some late
    assert proposals.filter(answered_at=None).exists()  # and some still waiting
    decided = MunicipalCase.objects.filter(decided_on__year=year)
    assert decided.values("outcome").distinct().count() >= 2
    assert decided.values("proposal__locality").distinct().count() >= 2
    actions = Action.objects.published().filter(plan__year=year)
    assert actions.values("goals").distinct().count() >= 3
    assert actions.values("plan__group").distinct().count() >= 3
    assert set(actions.values_list("status", flat=True)) >= {"done", "ongoing", "planned"}
    assert DialogueMeeting.objects.filter(status="held", attendance__gt=0).exists()
    assert GroupReport.objects.filter(submitted_at__year=year).count() >= 3
    days = [local_day(p.created_at) for p in proposals]
    days += [local_day(c.created_at) for c in StatusChange.objects.all()]
    for case in MunicipalCase.objects.all():
        days += [local_day(case.lifted_at), case.decided_on]
        days += [local_day(case.registered_at)] if case.registered_at else []
    days += [d for d in actions.values_list("start_date", flat=True) if d]
    days += [d for d in actions.values_list("end_date", flat=True) if d]
    days += [local_day(m.starts_at) for m in DialogueMeeting.objects.all()]
    days += [local_day(r.submitted_at) for r in GroupReport.objects.all()]
    assert all(is_workday(day) for day in days if day)
    assert all(day.year == year for day in days if day)


@freeze_time("2027-02-16 10:00")
def test_loaded_early_in_the_year_the_demo_keeps_to_this_years_working_days():
    load()
    cases = MunicipalCase.objects.all()
    assert {case.stage for case in cases} == {"lifted", "registered", "decided"}
    days = [local_day(p.created_at) for p in Proposal.objects.all()]
    days += [case.decided_on for case in cases if case.decided_on]
    assert all(is_workday(day) and day.year == 2027 for day in days)
    assert MunicipalCase.objects.filter(decided_on__year=2027).values("outcome").count() >= 2


def test_the_demos_working_days_leave_out_weekends_and_swedish_holidays():
    import datetime

    for day in ["2026-04-03", "2026-04-06", "2026-05-14", "2026-06-19", "2026-12-24"]:
        assert not is_workday(datetime.date.fromisoformat(day))  # långfredag … julafton
    assert not is_workday(datetime.date(2026, 12, 5))  # a Saturday
    assert is_workday(datetime.date(2026, 12, 4))
