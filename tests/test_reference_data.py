import pytest

from allas.models import Locality, SlusGoal

pytestmark = pytest.mark.django_db

SLUGS = [
    "djursdala",
    "frodinge",
    "gullringen",
    "locknevi",
    "pelarne",
    "rumskulla",
    "storebro",
    "sodra-vi",
    "tuna",
    "vimmerby",
]


def test_the_ten_orter_exist_after_migrate_with_their_slugs():
    assert sorted(Locality.objects.values_list("slug", flat=True)) == sorted(SLUGS)
    assert Locality.objects.get(slug="sodra-vi").name == "Södra Vi"
    assert Locality.objects.get(slug="frodinge").name == "Frödinge"


@pytest.mark.parametrize(
    ("slug", "population"),
    [
        ("vimmerby", 8182),
        ("sodra-vi", 1162),
        ("storebro", 1025),
        ("gullringen", 509),
        ("frodinge", 302),
        ("tuna", 240),
        ("djursdala", None),
        ("rumskulla", None),
        ("pelarne", None),
        ("locknevi", None),
    ],
)
def test_population_figures_are_scb_2020_with_source_or_absent(slug, population):
    locality = Locality.objects.get(slug=slug)
    assert locality.population == population
    if population is None:
        assert locality.population_year is None
    else:
        assert locality.population_year == 2020
        assert "SCB" in locality.population_source


def test_the_six_slus_areas_exist_with_full_and_short_names():
    goals = list(SlusGoal.objects.values_list("number", "short_name", "slug", "name"))
    assert goals == [
        (1, "Leva", "leva", "Attraktiva och hållbara livsmiljöer"),
        (2, "Arbeta", "arbeta", "Kompetens- och arbetskraftsförsörjning"),
        (3, "Verka", "verka", "Främja företagsamhet på lika villkor"),
        (
            4,
            "Trivas",
            "trivas",
            "Aktiv och meningsfull fritid i ett samhällsbyggande och inkluderande perspektiv",
        ),
        (5, "Kontakt", "kontakt", "Väl fungerande infrastruktur"),
        (6, "Mötas", "motas", "Tillit och socialt kapital"),
    ]
    assert all(SlusGoal.objects.values_list("description", flat=True))


def test_a_population_without_year_and_source_is_refused_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Locality.objects.filter(slug="tuna").update(population_source="")
