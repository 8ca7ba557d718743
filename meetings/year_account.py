"""The meetings' part of the year's account (allas.year_account): the groups' dialogue
meetings held in the year with how many came and had signed up, and the network
meetings' participation per body and per group. Counts only: what is kept after the
sign-ups' personal data is removed (DialogueMeeting.kept_signup_count). Seven queries
whatever the number of meetings, sign-ups and invitations."""

from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.calendar_items import MeetingStatus
from allas.models import Locality
from allas.year_account.parts import NETWORK, Row, Section, Table, network_label, year_bounds
from groups.models import DialogueMeeting

from .models import GroupReport, Invitation, NetworkMeeting, SignUp

SECTION = "meetings"
Answer = Invitation.Answer


def data_years() -> set[int]:
    years: set[int] = set()
    for model, statuses in (
        (DialogueMeeting, [MeetingStatus.HELD]),
        (NetworkMeeting, [MeetingStatus.PUBLISHED, MeetingStatus.HELD]),
    ):
        span = model.objects.filter(status__in=statuses).aggregate(
            first=Min("starts_at"), last=Max("starts_at")
        )
        if span["first"] is not None:
            first, last = timezone.localtime(span["first"]), timezone.localtime(span["last"])
            years |= set(range(first.year, last.year + 1))
    return years


def _dialogue(year) -> dict:
    """Per ort id: meetings held and cancelled, how many came, how many had signed up."""
    start, end = year_bounds(year)
    in_year = DialogueMeeting.objects.filter(starts_at__gte=start, starts_at__lt=end).order_by()
    held = Q(status=MeetingStatus.HELD)
    result = {
        row["group__locality_id"]: row
        for row in in_year.values("group__locality_id").annotate(
            held=Count("pk", filter=held),
            cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)),
            came=Sum("attendance", filter=held, default=0),
            kept=Sum(
                "kept_signup_count",
                filter=held & Q(personal_data_removed_at__isnull=False),
                default=0,
            ),
        )
    }
    # Sign-ups still kept in full: counted as the retention counts them (seated ones).
    seated = (
        SignUp.objects.seated()
        .filter(
            meeting__in=in_year.filter(held, personal_data_removed_at__isnull=True),
        )
        .order_by()
        .values("meeting__group__locality_id")
        .annotate(n=Count("pk"))
    )
    for row in seated:
        entry = result.setdefault(row["meeting__group__locality_id"], {})
        entry["kept"] = entry.get("kept", 0) + row["n"]
    return result


def _network(year):
    start, end = year_bounds(year)
    meetings = list(
        NetworkMeeting.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=[MeetingStatus.PUBLISHED, MeetingStatus.HELD, MeetingStatus.CANCELLED],
        ).order_by("starts_at")
    )
    sent = Invitation.objects.filter(meeting__in=meetings, sent_at__isnull=False).order_by()
    aggregates = {
        "invited": Count("pk"),
        **{answer: Count("pk", filter=Q(answer=answer)) for answer in Answer.values},
    }
    by_body = {
        (row["meeting_id"], row["represents"]): row
        for row in sent.values("meeting_id", "represents").annotate(**aggregates)
    }
    by_ort = {
        row["group__locality_id"]: row
        for row in sent.filter(represents=Invitation.Represents.GROUP, group__isnull=False)
        .values("group__locality_id")
        .annotate(invited=Count("pk"), yes=Count("pk", filter=Q(answer=Answer.YES)))
    }
    reports = dict(
        GroupReport.objects.filter(meeting__in=meetings)
        .order_by()
        .values("group__locality_id")
        .annotate(n=Count("pk"))
        .values_list("group__locality_id", "n")
    )
    return meetings, by_body, by_ort, reports


def part(year: int) -> Section:
    localities = list(Locality.objects.order_by("name"))
    dialogue = _dialogue(year)
    meetings, by_body, by_ort, reports = _network(year)
    rows: list[Row] = []

    def add(ort, slug, measure, label, value):
        rows.append(Row(SECTION, ort, slug, measure, label, value))

    keys = ["held", "came", "kept", "cancelled"]
    labels = {
        "held": _("Dialogue meetings held"),
        "came": _("Came"),
        "kept": _("Had signed up"),
        "cancelled": _("Dialogue meetings cancelled"),
    }
    dialogue_rows = []
    totals = dict.fromkeys(keys, 0)
    for loc in localities:
        entry = dialogue.get(loc.pk, {})
        values = [entry.get(k, 0) or 0 for k in keys]
        dialogue_rows.append([loc.name, *values])
        for k, v in zip(keys, values, strict=True):
            totals[k] += v
            add(loc.name, loc.slug, f"dialogue_{k}", labels[k], v)
    for k in keys:
        add(network_label(), NETWORK, f"dialogue_{k}", labels[k], totals[k])
    tables = [
        Table(
            caption=_("The groups' dialogue meetings in %(year)s") % {"year": year},
            columns=[_("Ort"), *[labels[k] for k in keys]],
            rows=dialogue_rows,
            footer=[network_label(), *[totals[k] for k in keys]],
        )
    ]
    answer_labels = dict(Answer.choices)
    for meeting in meetings:
        body_rows = []
        sums = {"invited": 0, **dict.fromkeys(Answer.values, 0)}
        for body, body_label in Invitation.Represents.choices:
            row = by_body.get((meeting.pk, body), {})
            counts = [row.get("invited", 0), *[row.get(a, 0) for a in Answer.values]]
            body_rows.append([str(body_label), *counts])
            for k, v in zip(sums, counts, strict=True):
                sums[k] += v
            for k, v in zip(sums, counts, strict=True):
                label = _("Invited") if k == "invited" else str(answer_labels[k])
                add(
                    meeting.dated_title,
                    "",
                    f"network_{meeting.pk}_{body}_{k}",
                    f"{body_label}: {label}",
                    v,
                )
        status = "" if meeting.status != MeetingStatus.CANCELLED else _(" (cancelled)")
        tables.append(
            Table(
                caption=_("Invitations to %(meeting)s%(status)s, by whom the invitee represents")
                % {"meeting": meeting.dated_title, "status": status},
                columns=[
                    _("Represents"),
                    _("Invited"),
                    *[str(answer_labels[a]) for a in Answer.values],
                ],
                rows=body_rows,
                footer=[_("Total"), *sums.values()],
            )
        )
    if meetings:
        ort_rows = []
        for loc in localities:
            entry = by_ort.get(loc.pk, {})
            values = [entry.get("invited", 0), entry.get("yes", 0), reports.get(loc.pk, 0)]
            ort_rows.append([loc.name, *values])
            add(loc.name, loc.slug, "network_invited", _("Delegates invited"), values[0])
            add(loc.name, loc.slug, "network_coming", _("Delegates coming"), values[1])
            add(loc.name, loc.slug, "network_reports", _("Group reports"), values[2])
        tables.append(
            Table(
                caption=_("The groups at the network meetings of %(year)s") % {"year": year},
                columns=[
                    _("Ort"),
                    _("Delegates invited"),
                    _("Delegates coming"),
                    _("Group reports"),
                ],
                rows=ort_rows,
                footer=[network_label(), *[sum(r[i] for r in ort_rows) for i in (1, 2, 3)]],
            )
        )
    has_data = bool(totals["held"] or totals["cancelled"] or meetings)
    return Section(
        key=SECTION,
        order=30,
        heading=_("Meetings"),
        intro=_(
            "The dialogue meetings the groups held with the residents in %(year)s, and the "
            "network's strategic meeting."
        )
        % {"year": year},
        has_data=has_data,
        empty_text=_("No meetings were held or planned in %(year)s.") % {"year": year},
        tables=tables,
        notes=[
            _(
                "Came: the number the group wrote down after the meeting. Had signed up: "
                "the confirmed sign-ups with a place; after the personal data is removed "
                "only this count is kept."
            ),
            _(
                "The network meeting: the invitations sent and their answers. The portal "
                "records who said they would come, not who came."
            ),
        ],
        rows=rows,
    )
