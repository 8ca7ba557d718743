"""The groups' reports to the network meeting, which together make its booklet."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from groups.models import Plan

from .. import guards
from ..models import GroupReport
from ..words import AuditVerb as Verb
from .common import lock_meeting, record_audit, refuse_unless_possible


def report_prefill(group) -> str:
    """The group's current plan actions, as a starting point for the report."""
    plan = Plan.objects.filter(group=group).order_by("-year").first()
    if plan is None:
        return ""
    lines = [
        f"- {a.title} ({a.get_status_display().lower()}, {a.progress} %)"
        for a in plan.actions.all()
    ]
    return "\n".join(lines)


@transaction.atomic
def report_submit(*, meeting, group, by, experiences: str, plans: str, wishes: str = ""):
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guards.why_not_submit_report, meeting)
    now = timezone.now()
    report, created = GroupReport.objects.get_or_create(
        meeting=meeting,
        group=group,
        defaults={
            "experiences": experiences.strip(),
            "plans": plans.strip(),
            "wishes": wishes.strip(),
            "submitted_by": by,
            "submitted_at": now,
            "updated_at": now,
        },
    )
    if not created:
        report.experiences, report.plans, report.wishes = (
            experiences.strip(),
            plans.strip(),
            wishes.strip(),
        )
        report.submitted_by, report.updated_at = by, now
        report.save()
    changed = (
        None if created else gettext_lazy("Changed the group's report to the network meeting.")
    )
    record_audit(by, Verb.GROUP_REPORT_SUBMITTED, report, group=group, summary=changed)
    return report
