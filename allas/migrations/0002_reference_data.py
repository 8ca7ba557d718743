"""The ten orter and the six SLUS development areas: public reference data that exists
after `migrate`, on every database."""

from django.db import migrations

SOURCE = "SCB, befolkning i tätorter 2020"

LOCALITIES = [
    # name, slug, population (SCB tätort 2020) or None where SCB counts no tätort
    ("Djursdala", "djursdala", None),
    ("Frödinge", "frodinge", 302),
    ("Gullringen", "gullringen", 509),
    ("Locknevi", "locknevi", None),
    ("Pelarne", "pelarne", None),
    ("Rumskulla", "rumskulla", None),
    ("Storebro", "storebro", 1025),
    ("Södra Vi", "sodra-vi", 1162),
    ("Tuna", "tuna", 240),
    ("Vimmerby", "vimmerby", 8182),
]

GOALS = [
    (
        1,
        "Attraktiva och hållbara livsmiljöer",
        "Leva",
        "leva",
        "Bra boende, trygga och levande orter och en god miljö, så att fler vill bo och "
        "stanna i hela kommunen.",
    ),
    (
        2,
        "Kompetens- och arbetskraftsförsörjning",
        "Arbeta",
        "arbeta",
        "Utbildning och kompetens som matchar arbetslivets behov, så att alla som kan "
        "arbeta får möjlighet till det och företagen hittar rätt personer.",
    ),
    (
        3,
        "Främja företagsamhet på lika villkor",
        "Verka",
        "verka",
        "Goda villkor för att starta och driva företag och föreningar, oavsett var i "
        "kommunen man bor och vem man är.",
    ),
    (
        4,
        "Aktiv och meningsfull fritid i ett samhällsbyggande och inkluderande perspektiv",
        "Trivas",
        "trivas",
        "Kultur, idrott, natur och föreningsliv som är öppet för alla och som bygger "
        "gemenskap.",
    ),
    (
        5,
        "Väl fungerande infrastruktur",
        "Kontakt",
        "kontakt",
        "Vägar, kollektivtrafik, cykelvägar och bredband som gör det lätt att resa, "
        "arbeta och hålla kontakt i hela kommunen.",
    ),
    (
        6,
        "Tillit och socialt kapital",
        "Mötas",
        "motas",
        "Mötesplatser, delaktighet och förtroende mellan invånare, föreningar, företag "
        "och kommunen.",
    ),
]


def create_reference_data(apps, schema_editor):
    Locality = apps.get_model("allas", "Locality")
    SlusGoal = apps.get_model("allas", "SlusGoal")
    for name, slug, population in LOCALITIES:
        if population is None:
            description = f"{name} är en ort på landsbygden i Vimmerby kommun."
            facts = {}
        else:
            description = f"{name} är en tätort i Vimmerby kommun."
            facts = {"population": population, "population_year": 2020, "population_source": SOURCE}
        Locality.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, **facts}
        )
    for number, name, short_name, slug, description in GOALS:
        SlusGoal.objects.update_or_create(
            slug=slug,
            defaults={
                "number": number,
                "name": name,
                "short_name": short_name,
                "description": description,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("allas", "0001_initial")]

    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
