"""/uppfoljning/<year>/ with its CSV and JSON: open to everyone, nothing personal, the
years it knows, the foreword, and queries that do not grow with the data."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from allas.models import AuditEvent, Locality, YearForeword
from proposals.models import MunicipalCase, Proposal, StatusChange
from tests.bulk import many_proposals
from tests.personas import NO_SECOND_FACTOR_PERSONAS
from tests.year_account.conftest import YEAR

pytestmark = pytest.mark.django_db

PERSONAS = [
    "visitor",
    "resident",
    "author",
    "coordinator",
    "other_coordinator",
    "staff",
    *NO_SECOND_FACTOR_PERSONAS,
]
URLS = ["/uppfoljning/{y}/", "/uppfoljning/{y}.csv", "/uppfoljning/{y}.json"]
# Names and addresses of people in the data: the account shows none of them.
PERSONAL = ["Förslags Ställare Hand", "Granne Grann", "Delegat Ett", "@example.se"]


@pytest.fixture
def author(db):
    from tests.factories import UserFactory

    return UserFactory(display_name="Förslags Ställare")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", URLS)
def test_everyone_reads_the_account_and_nothing_personal(as_persona, year_data, url, persona):
    response = as_persona(persona).get(url.format(y=year_data))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    for personal in PERSONAL:
        assert personal not in text


def test_page_draws_three_charts_each_with_a_title_a_description_and_a_table(client, year_data):
    html = client.get(f"/uppfoljning/{year_data}/").content.decode()
    for key in ["ya-actions", "ya-proposals", "ya-times"]:
        assert f'aria-labelledby="{key}-title {key}-desc"' in html
        assert f'<title id="{key}-title">' in html and f'<desc id="{key}-desc">' in html
    assert html.count('role="img"') == 3
    assert html.count("<caption>") >= 3 + 3
    assert 'scope="row"' in html and 'scope="col"' in html
    # Patterns tell the series apart, not colour alone.
    assert "<pattern" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_year_without_data_says_so_instead_of_drawing(client, db):
    this_year = timezone.localdate().year
    response = client.get(f"/uppfoljning/{this_year}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' not in html
    assert "ya-empty" in html


@pytest.mark.parametrize("year", [2016, 1900, 2100, 9999])
def test_years_before_the_data_or_far_ahead_are_not_found(client, db, year):
    for url in URLS:
        assert client.get(url.format(y=year)).status_code == 404


def test_earlier_years_are_listed_and_reachable(client, year_data):
    this_year = timezone.localdate().year
    html = client.get(f"/uppfoljning/{this_year}/").content.decode()
    assert f'href="/uppfoljning/{year_data}/"' in html
    # The year before the first data is not.
    assert client.get(f"/uppfoljning/{year_data - 2}/").status_code == 404


def test_csv_has_a_byte_order_mark_and_the_pages_numbers(client, year_data):
    response = client.get(f"/uppfoljning/{year_data}.csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffyear,section,ort,ort_slug,measure,label,value")
    assert f"{year_data},proposals,Storebro,storebro,received," in body
    assert f"{year_data},proposals,Storebro,storebro,answer_days_median," in body


def test_json_carries_the_same_numbers_and_how_they_are_counted(client, year_data):
    data = json.loads(client.get(f"/uppfoljning/{year_data}.json").content)
    assert data["year"] == year_data and data["has_data"]
    rows = {(r["section"], r["ort_slug"], r["measure"]): r["value"] for r in data["rows"]}
    assert rows[("proposals", "", "received")] == 7
    assert rows[("proposals", "", "decision_days_median")] == 30
    assert data["count"] == len(data["rows"])
    sections = {s["section"]: s for s in data["sections"]}
    assert sections["proposals"]["notes"] and sections["proposals"]["tables"]


def test_foreword_shows_when_written(client, year_data):
    YearForeword.objects.create(year=year_data, foreword="Ett år av möten.\n\nTack alla!")
    html = client.get(f"/uppfoljning/{year_data}/").content.decode()
    assert "<p>Ett år av möten.</p>" in html and "<p>Tack alla!</p>" in html


def test_staff_write_the_foreword_in_the_admin(client, staff, year_data):
    client.force_login(staff)
    assert client.get("/admin/allas/yearforeword/add/").status_code == 200
    response = client.post(
        "/admin/allas/yearforeword/add/", {"year": year_data, "foreword": "Förord."}
    )
    assert response.status_code == 302
    foreword = YearForeword.objects.get(year=year_data)
    assert client.get(f"/admin/allas/yearforeword/{foreword.pk}/change/").status_code == 200
    assert AuditEvent.objects.filter(object_id=foreword.pk).exists()
    assert "Förord." in client.get(f"/uppfoljning/{year_data}/").content.decode()


@pytest.mark.parametrize("persona", ["resident", "coordinator", *NO_SECOND_FACTOR_PERSONAS])
def test_only_staff_with_a_second_factor_reach_the_foreword_admin(as_persona, persona, db):
    response = as_persona(persona).get("/admin/allas/yearforeword/add/")
    assert response.status_code in (302, 403)
    assert not YearForeword.objects.exists()


def test_a_changed_foreword_shows_at_once_when_the_account_is_cached(
    client, staff, settings, year_data
):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    client.force_login(staff)
    client.get(f"/uppfoljning/{year_data}/")
    client.post("/admin/allas/yearforeword/add/", {"year": year_data, "foreword": "Nytt förord."})
    assert "Nytt förord." in client.get(f"/uppfoljning/{year_data}/").content.decode()


def _many_proposals(n: int) -> None:
    """n proposals over the orter and the year, a third of them answered and a tenth
    lifted and decided: made in bulk."""
    localities = list(Locality.objects.order_by("pk"))
    start = datetime.datetime(YEAR, 1, 1, 12, tzinfo=timezone.get_default_timezone())
    proposals = Proposal.objects.bulk_create(
        Proposal(
            locality=localities[i % len(localities)],
            title=f"Förslag {i}",
            body="Text",
            status="accepted" if i % 3 == 0 else "submitted",
            municipal_stage="decided" if i % 10 == 0 else "",
            created_at=start + datetime.timedelta(hours=i % 8000),
        )
        for i in range(n)
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            proposal=p,
            status="accepted",
            answer="Tack",
            answered_as="group",
            created_at=p.created_at + datetime.timedelta(days=i % 40),
        )
        for i, p in enumerate(proposals)
        if i % 3 == 0
    )
    MunicipalCase.objects.bulk_create(
        MunicipalCase(
            proposal=p,
            stage="decided",
            lifted_at=p.created_at,
            motivation="Viktigt",
            registered_at=p.created_at,
            decided_on=(p.created_at + datetime.timedelta(days=20)).date(),
            outcome="granted",
        )
        for i, p in enumerate(proposals)
        if i % 10 == 0
    )


# The account computed: 24 queries (the years with data, then each app's aggregates,
# bench/year_account.py counts them) and the foreword; the session and the user when
# signed in; room for a few more. The same at any size.
BUDGET = 32


@pytest.mark.parametrize("size", [20, 3000])
@pytest.mark.parametrize("url", URLS)
def test_queries_do_not_grow_with_the_proposals(
    client, staff, settings, django_assert_max_num_queries, year_data, size, url
):
    settings.PAGE_CACHE_SECONDS = 0
    _many_proposals(size)
    client.force_login(staff)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(url.format(y=YEAR))
    assert response.status_code == 200


def test_the_account_costs_the_same_at_100_and_50000_proposals(
    client, staff, settings, django_assert_max_num_queries, year_data
):
    settings.PAGE_CACHE_SECONDS = 0
    many_proposals(100, year=YEAR)
    client.force_login(staff)
    with django_assert_max_num_queries(BUDGET) as small:
        assert client.get(f"/uppfoljning/{YEAR}/").status_code == 200
    many_proposals(49_900, year=YEAR)
    assert Proposal.objects.count() > 50_000
    with django_assert_max_num_queries(BUDGET) as large:
        response = client.get(f"/uppfoljning/{YEAR}/")
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_signed_in_people_get_the_cached_account_without_computing_it(
    client, resident, settings, django_assert_max_num_queries, year_data
):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    client.force_login(resident)
    first = client.get(f"/uppfoljning/{year_data}.json").content
    # The session and the user only.
    with django_assert_max_num_queries(3):
        again = client.get(f"/uppfoljning/{year_data}.json").content
    assert json.loads(first)["rows"] == json.loads(again)["rows"]
