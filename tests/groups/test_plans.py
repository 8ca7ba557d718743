"""Development plans: who may read and write them, the goal pages, exports and follow-up."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from allas.models import SlusGoal
from groups.models import Action, ActionNote, DevelopmentGroup, Plan
from groups.plans import services as plan_services
from tests.personas import NO_SECOND_FACTOR_PERSONAS
from tests.test_pages import assert_valid_html

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def group(slug="storebro"):
    return DevelopmentGroup.objects.select_related("locality").get(locality__slug=slug)


def goals(*slugs):
    return list(SlusGoal.objects.filter(slug__in=slugs))


def make_plan(slug="storebro", year=YEAR, published=True, actions=1, goal="kontakt"):
    plan = plan_services.plan_create(
        group=group(slug),
        year=year,
        needs="Trygga vägar",
        goals=goals(goal),
        copy_unfinished=False,
        by=None,
    )
    for n in range(actions):
        plan_services.action_create(
            plan=plan,
            goals=goals(goal),
            by=None,
            title=f"Åtgärd {n} i {slug}",
            status="ongoing",
            progress=40,
        )
    if published:
        plan_services.plan_set_published(plan=plan, published=True, by=None)
    return plan


def plan_state():
    return (
        sorted(Plan.objects.values_list("id", "year", "needs", "status")),
        sorted(
            Action.objects.values_list("id", "plan_id", "title", "status", "progress", "position")
        ),
        ActionNote.objects.count(),
    )


# -- permission matrix -------------------------------------------------------------

PERSONAS = [
    "visitor",
    "resident",
    "member",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]


@pytest.fixture
def draft():
    plan = make_plan(published=False, actions=2)
    return plan, list(plan.actions.all())


EDITOR_GETS = [
    "/orter/storebro/plan/ny/",
    "/orter/storebro/plan/{year}/redigera/",
    "/orter/storebro/plan/{year}/atgard/ny/",
    "/orter/storebro/plan/{year}/atgard/{a}/",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("path", EDITOR_GETS)
def test_only_coordinators_and_staff_open_the_editing_pages(as_persona, draft, persona, path):
    plan, actions = draft
    response = as_persona(persona).get(path.format(year=plan.year, a=actions[0].pk))
    if persona == "visitor":
        assert response.status_code == 302 and "/konto/login/" in response["Location"]
    elif persona in ("coordinator", "staff"):
        assert response.status_code == 200
        assert_valid_html(response.content)
    else:
        assert response.status_code == 403


def editor_posts(plan, action):
    base = f"/orter/storebro/plan/{plan.year}"
    kontakt = str(goals("kontakt")[0].pk)
    return [
        ("/orter/storebro/plan/ny/", {"year": plan.year + 1, "needs": "x", "goals": [kontakt]}),
        (f"{base}/redigera/", {"needs": "Ändrat", "goals": [kontakt]}),
        (f"{base}/publicera/", {"publish": "yes"}),
        (
            f"{base}/atgard/ny/",
            {"title": "Ny", "goals": [kontakt], "status": "planned", "progress": 0},
        ),
        (
            f"{base}/atgard/{action.pk}/",
            {"title": "Ändrad", "goals": [kontakt], "status": "planned", "progress": 5},
        ),
        (f"{base}/atgard/{action.pk}/klar/", {}),
        (f"{base}/atgard/{action.pk}/flytta/", {"direction": "down"}),
        (f"{base}/atgard/{action.pk}/anteckning/", {"date": "2026-01-02", "text": "Beställt"}),
    ]


@pytest.mark.parametrize(
    "persona", ["visitor", "resident", "member", "other_coordinator", *NO_SECOND_FACTOR_PERSONAS]
)
def test_refused_plan_writes_change_nothing(as_persona, draft, persona):
    plan, actions = draft
    client = as_persona(persona)
    before = plan_state()
    for path, data in editor_posts(plan, actions[0]):
        response = client.post(path, data)
        expected = 302 if persona == "visitor" else 403
        assert response.status_code == expected, path
    assert plan_state() == before


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_coordinators_and_staff_write_plans(as_persona, draft, persona):
    plan, actions = draft
    client = as_persona(persona)
    for path, data in editor_posts(plan, actions[0]):
        before = plan_state()
        response = client.post(path, data)
        assert response.status_code == 302, (path, response.content[:2000])
        assert plan_state() != before, path


@pytest.mark.parametrize(
    ("persona", "sees_draft"),
    [
        ("visitor", False),
        ("resident", False),
        ("other_coordinator", False),
        ("member", True),
        ("coordinator", True),
        ("staff", True),
        ("staff_without_second_factor", False),
        ("staff_session_without_second_factor", False),
    ],
)
def test_drafts_are_read_by_members_and_staff_only(as_persona, draft, persona, sees_draft):
    plan, actions = draft
    client = as_persona(persona)
    response = client.get(f"/orter/storebro/plan/{plan.year}/")
    assert response.status_code == (200 if sees_draft else 404)
    current = client.get("/orter/storebro/plan/").content.decode()
    ort = client.get("/orter/storebro/").content.decode()
    for content in (current, ort):
        assert (actions[0].title in content) is sees_draft


def test_drafts_never_reach_goal_pages_matrix_or_exports(client, draft):
    plan, actions = draft
    make_plan("tuna", actions=1)
    for path in ["/mal/", "/mal/kontakt/", "/mal/export.csv", "/mal/export.json"]:
        content = client.get(path).content.decode()
        assert actions[0].title not in content, path
    matrix = client.get("/mal/").content.decode()
    storebro_row = matrix.split('<th scope="row"><a href="/orter/storebro/">')[1].split("</tr>")[0]
    assert '<span class="cell-total">0</span>' in storebro_row
    assert "Åtgärd 0 i tuna" in client.get("/mal/kontakt/").content.decode()


def test_an_unknown_year_is_404(client):
    make_plan()
    assert client.get(f"/orter/storebro/plan/{YEAR + 5}/").status_code == 404


# -- writing a plan ----------------------------------------------------------------


def test_a_coordinator_writes_and_publishes_a_plan(client, coordinator):
    client.force_login(coordinator)
    leva, kontakt = goals("leva")[0], goals("kontakt")[0]
    response = client.post(
        "/orter/storebro/plan/ny/",
        {"year": YEAR, "needs": "Belysning och mötesplatser", "goals": [leva.pk, kontakt.pk]},
    )
    assert response["Location"] == f"/orter/storebro/plan/{YEAR}/"
    plan = Plan.objects.get()
    assert (plan.status, plan.needs) == ("draft", "Belysning och mötesplatser")
    for title, goal in [("Belysning längs cykelvägen", kontakt), ("Ny lekplats", leva)]:
        client.post(
            f"/orter/storebro/plan/{YEAR}/atgard/ny/",
            {
                "title": title,
                "goals": [goal.pk],
                "status": "planned",
                "progress": 0,
                "responsible": "Gatukontoret",
                "start_date": f"{YEAR}-03-01",
                "end_date": f"{YEAR}-09-30",
            },
        )
    client.post(f"/orter/storebro/plan/{YEAR}/publicera/", {"publish": "yes"})
    plan.refresh_from_db()
    assert plan.status == "published" and plan.published_at
    assert [a.title for a in plan.actions.all()] == ["Belysning längs cykelvägen", "Ny lekplats"]
    client.logout()
    page = client.get(f"/orter/storebro/plan/{YEAR}/").content.decode()
    assert "Belysning längs cykelvägen" in page and "Gatukontoret" in page
    assert f"Handlingsplan {YEAR}" in page


def test_reordering_moves_an_action_and_the_plan_is_marked_updated(client, coordinator):
    plan = make_plan(actions=3)
    first, second, third = plan.actions.all()
    before = plan.updated_at
    client.force_login(coordinator)
    client.post(f"/orter/storebro/plan/{YEAR}/atgard/{third.pk}/flytta/", {"direction": "up"})
    assert list(plan.actions.values_list("title", flat=True)) == [
        first.title,
        third.title,
        second.title,
    ]
    plan.refresh_from_db()
    assert plan.updated_at > before
    # The first cannot move further up: nothing changes.
    client.post(f"/orter/storebro/plan/{YEAR}/atgard/{first.pk}/flytta/", {"direction": "up"})
    assert list(plan.actions.values_list("title", flat=True))[0] == first.title


def test_closing_an_action_marks_it_done_at_100_percent(client, coordinator):
    plan = make_plan()
    action = plan.actions.get()
    client.force_login(coordinator)
    client.post(f"/orter/storebro/plan/{YEAR}/atgard/{action.pk}/klar/")
    action.refresh_from_db()
    assert (action.status, action.progress) == ("done", 100)


def test_progress_notes_are_dated_and_shown_newest_first(client, coordinator):
    plan = make_plan()
    action = plan.actions.get()
    client.force_login(coordinator)
    for date, text in [
        (f"{YEAR}-01-04", "Offert begärd"),
        (f"{YEAR}-01-20", "Belysningen är beställd"),
    ]:
        client.post(
            f"/orter/storebro/plan/{YEAR}/atgard/{action.pk}/anteckning/",
            {"date": date, "text": text},
        )
    page = client.get(f"/orter/storebro/plan/{YEAR}/").content.decode()
    # Dated in words, as running text says it.
    assert page.index(f"20 januari {YEAR}</span>: Belysningen är beställd") < page.index(
        f"4 januari {YEAR}</span>: Offert begärd"
    )


def test_a_new_years_plan_can_start_with_last_years_unfinished_actions(client, coordinator):
    old = make_plan(year=YEAR - 1, actions=3)
    done = old.actions.first()
    plan_services.action_close(action=done, by=None)
    client.force_login(coordinator)
    client.post(
        "/orter/storebro/plan/ny/",
        {"year": YEAR, "needs": "", "copy_unfinished": "on"},
    )
    new = Plan.objects.get(year=YEAR)
    copied = list(new.actions.all())
    assert [a.title for a in copied] == [a.title for a in old.actions.exclude(pk=done.pk)]
    assert all(a.copied_from_id and a.goals.count() == 1 for a in copied)
    assert new.status == "draft"
    assert old.actions.count() == 3  # the old plan keeps its actions


# -- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"progress": 101}, "högst 100"),
        ({"progress": -1}, "minst 0"),
        ({"progress": "mycket"}, "Skriv ett heltal"),
        (
            {"start_date": f"{YEAR}-06-01", "end_date": f"{YEAR}-05-01"},
            "Slutdatumet kan inte vara före startdatumet.",
        ),
        ({"goals": []}, "Fyll i fältet."),
        ({"title": ""}, "Fyll i fältet."),
        ({"goals": ["999"]}, "Välj ett av alternativen"),
        ({"status": "forgotten"}, "Välj ett av alternativen"),
    ],
)
def test_bad_action_input_gets_a_swedish_error_and_changes_nothing(
    client, coordinator, changes, message
):
    plan = make_plan()
    action = plan.actions.get()
    client.force_login(coordinator)
    data = {
        "title": "X",
        "goals": [goals("leva")[0].pk],
        "status": "planned",
        "progress": 10,
        **changes,
    }
    before = plan_state()
    for path in [
        f"/orter/storebro/plan/{YEAR}/atgard/ny/",
        f"/orter/storebro/plan/{YEAR}/atgard/{action.pk}/",
    ]:
        response = client.post(path, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert plan_state() == before


def test_the_database_refuses_progress_outside_0_to_100_and_end_before_start():
    from django.db import IntegrityError, transaction

    action = make_plan().actions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(progress=150)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(
            start_date=datetime.date(2027, 5, 1), end_date=datetime.date(2027, 4, 1)
        )


def test_an_action_of_another_groups_plan_by_forged_id_is_404_and_unchanged(client, coordinator):
    make_plan()
    other = make_plan("sodra-vi").actions.get()
    before = plan_state()
    client.force_login(coordinator)
    base = f"/orter/storebro/plan/{YEAR}/atgard/{other.pk}"
    kontakt = goals("kontakt")[0].pk
    for path, data in [
        (f"{base}/", {"title": "Kapad", "goals": [kontakt], "status": "done", "progress": 100}),
        (f"{base}/klar/", {}),
        (f"{base}/flytta/", {"direction": "up"}),
        (f"{base}/anteckning/", {"date": f"{YEAR}-01-01", "text": "x"}),
    ]:
        assert client.post(path, data).status_code == 404
    assert client.get(f"{base}/").status_code == 404
    assert plan_state() == before


def test_a_coordinator_cannot_edit_another_groups_plan(client, coordinator):
    make_plan("sodra-vi")
    before = plan_state()
    client.force_login(coordinator)
    assert (
        client.post(f"/orter/sodra-vi/plan/{YEAR}/publicera/", {"publish": "no"}).status_code == 403
    )
    assert plan_state() == before


def test_a_second_plan_for_the_same_group_and_year_is_refused(client, coordinator):
    make_plan()
    before = plan_state()
    client.force_login(coordinator)
    response = client.post("/orter/storebro/plan/ny/", {"year": YEAR, "needs": "Igen"})
    assert response.status_code == 200
    assert f"Gruppen har redan en plan för {YEAR}." in response.content.decode()
    assert plan_state() == before


def test_a_year_outside_the_strategy_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/orter/storebro/plan/ny/", {"year": 1999, "needs": ""})
    assert "minst 2017" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_note_dated_in_the_future_is_refused(client, coordinator):
    action = make_plan().actions.get()
    client.force_login(coordinator)
    response = client.post(
        f"/orter/storebro/plan/{YEAR}/atgard/{action.pk}/anteckning/",
        {"date": f"{YEAR + 1}-12-31", "text": "Framtid"},
        follow=True,
    )
    assert "kan inte ha ett datum i framtiden" in response.content.decode()
    assert not ActionNote.objects.exists()


# -- goal pages, matrix and exports ------------------------------------------------


def test_the_goal_page_lists_published_actions_by_ort(client):
    make_plan("storebro", actions=2, goal="kontakt")
    make_plan("tuna", actions=1, goal="kontakt")
    make_plan("vimmerby", actions=1, goal="leva")
    content = client.get("/mal/kontakt/").content.decode()
    assert_valid_html(content.encode())
    assert content.index(">Storebro</a></h3>") < content.index(">Tuna</a></h3>")
    assert "Åtgärd 1 i storebro" in content and "Åtgärd 0 i tuna" in content
    assert "i vimmerby" not in content
    assert "3 åtgärder i gruppernas publicerade planer." in content


def test_the_matrix_counts_actions_by_status_with_totals(client):
    plan = make_plan("storebro", actions=3, goal="kontakt")
    first = plan.actions.first()
    first.goals.add(goals("leva")[0])
    plan_services.action_close(action=first, by=None)
    make_plan("tuna", actions=1, goal="leva")
    content = client.get("/mal/").content.decode()
    assert_valid_html(content.encode())
    matrix = content.split('class="table table-bordered goal-matrix"')[1]
    storebro = matrix.split('href="/orter/storebro/">Storebro</a></th>')[1].split("</tr>")[0]
    cells = storebro.split("<td")[1:]
    # Columns: Leva, Arbeta, Verka, Trivas, Kontakt, Mötas, total.
    assert '<span class="cell-total">1</span>' in cells[0] and "Klar: 1" in cells[0]
    assert '<span class="cell-total">3</span>' in cells[4]
    assert "Pågår: 2" in cells[4] and "Klar: 1" in cells[4]
    assert ">3</td>" in cells[6]
    footer = matrix.split("<tfoot>")[1]
    totals = [c.split("</td>")[0].split(">")[-1] for c in footer.split("<td")[1:]]
    assert totals == ["2", "0", "0", "0", "3", "0", "4"]


def test_the_open_data_csv_is_utf8_with_bom_and_only_published(client):
    make_plan(published=False)
    plan = make_plan("sodra-vi", actions=2)
    action = plan.actions.first()
    action.responsible = "Hembygdsföreningen; Södra Vi"
    action.save()
    response = client.get("/mal/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[0]["ort"] == "Södra Vi" and rows[0]["ort_slug"] == "sodra-vi"
    assert rows[0]["plan_year"] == str(YEAR)
    assert rows[0]["slus_areas"] == "Kontakt"
    assert rows[0]["status"] == "ongoing" and rows[0]["status_label"] == "Pågår"
    assert rows[0]["progress"] == "40"
    assert rows[0]["responsible"] == "Hembygdsföreningen; Södra Vi"


def test_the_open_data_json_is_valid_and_only_published(client):
    make_plan(published=False)
    make_plan("sodra-vi", actions=2)
    response = client.get("/mal/export.json")
    data = json.loads(response.content)
    assert data["count"] == 2 and len(data["actions"]) == 2
    first = data["actions"][0]
    assert set(first) == set(data["fields"])
    assert first["slus_areas"] == ["Kontakt"]
    assert first["ort"] == "Södra Vi"
    assert first["start_date"] is None


# -- staff follow-up ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("visitor", 302),
        ("resident", 403),
        ("member", 403),
        ("coordinator", 403),
        ("staff", 200),
        ("staff_without_second_factor", 403),
        ("staff_session_without_second_factor", 403),
    ],
)
def test_only_staff_see_the_follow_up(as_persona, persona, status):
    make_plan()
    assert as_persona(persona).get("/uppfoljning/").status_code == status
    assert as_persona(persona).get(f"/uppfoljning/atgarder-{YEAR}.csv").status_code == status


def test_the_follow_up_shows_plans_counts_and_groups_not_updated_in_90_days(staff_client):
    make_plan("storebro", actions=2)
    make_plan("tuna", published=False)
    old = make_plan("vimmerby", year=YEAR - 1)
    Plan.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=91))
    content = staff_client.get("/uppfoljning/").content.decode()
    assert_valid_html(content.encode())
    table = content.split('class="table table-striped followup"')[1]
    storebro = table.split("Utvecklingsgruppen i Storebro</a></th>")[1].split("</tr>")[0]
    assert "<td>Ja</td>" in storebro and '<td class="text-end">2</td>' in storebro
    tuna = table.split("Utvecklingsgruppen i Tuna</a></th>")[1].split("</tr>")[0]
    assert "Nej, ett utkast" in tuna
    stale = content.split("Inte uppdaterade på 90 dagar")[1].split("</ul>")[0]
    assert "Utvecklingsgruppen i Vimmerby" in stale
    assert "Utvecklingsgruppen i Gullringen" in stale  # never had a plan
    assert "Utvecklingsgruppen i Storebro" not in stale


def test_staff_download_every_action_of_a_year_drafts_included(staff_client):
    make_plan("storebro", actions=2)
    make_plan("tuna", published=False)
    response = staff_client.get(f"/uppfoljning/atgarder-{YEAR}.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert {r["plan_status"] for r in rows} == {"Publicerad", "Utkast"}


# -- query budgets -----------------------------------------------------------------


def grow_actions(n):
    """n published actions spread over the ten groups' plans, each with two areas and a note."""
    leva, kontakt = goals("leva", "kontakt")
    plans = {}
    for g in DevelopmentGroup.objects.all():
        plans[g.pk], _ = Plan.objects.get_or_create(
            group=g, year=YEAR, defaults={"status": "published"}
        )
    plan_list = list(plans.values())
    start = Action.objects.count()
    created = Action.objects.bulk_create(
        Action(
            plan=plan_list[i % 10],
            title=f"Åtgärd {start + i}",
            status=Action.Status.values[i % 4],
            progress=i % 101,
            position=start + i,
        )
        for i in range(n)
    )
    Through = Action.goals.through
    Through.objects.bulk_create(
        Through(action_id=a.pk, slusgoal_id=g.pk) for a in created for g in (leva, kontakt)
    )
    ActionNote.objects.bulk_create(ActionNote(action=a, text="Läget") for a in created)


@pytest.mark.parametrize(
    ("persona", "path", "budget"),
    [
        # goals; plan years, localities and three aggregates for the matrix
        ("visitor", "/mal/", 6),
        # the goal; plan years and the actions with their plans
        ("visitor", "/mal/kontakt/", 3),
        # group, plans, actions, their goals, their notes, their proposals, the plan's goals
        ("visitor", f"/orter/storebro/plan/{YEAR}/", 7),
        ("coordinator", f"/orter/storebro/plan/{YEAR}/", 10),
        ("staff", "/uppfoljning/", 7),
    ],
)
def test_plan_pages_use_the_same_queries_for_10_and_1000_actions(
    client, request, django_assert_max_num_queries, persona, path, budget
):
    if persona != "visitor":
        client.force_login(request.getfixturevalue(persona))
    grow_actions(10)
    with django_assert_max_num_queries(budget):
        assert client.get(path).status_code == 200
    grow_actions(990)
    assert Action.objects.count() == 1000
    with django_assert_max_num_queries(budget):
        response = client.get(path)
    assert response.status_code == 200
    if "/mal/" in path and path != "/mal/" or "/plan/" in path:
        assert response.content.decode().count("Åtgärd ") >= 10
