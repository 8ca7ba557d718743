"""The reference data in English too: the ten orter's descriptions and the six SLUS areas'
names and descriptions, for the English site. The Swedish stays the official text; the
SLUS's short names (Leva, Arbeta, …) are names and stay as they are."""

from django.db import migrations, models

SEEDED = {
    # The Swedish description 0002 seeded; staff may have rewritten it since.
    "town": "{name} är en tätort i Vimmerby kommun.",
    "rural": "{name} är en ort på landsbygden i Vimmerby kommun.",
}
ENGLISH = {
    "town": "{name} is a built-up area (tätort) in Vimmerby Municipality.",
    "rural": "{name} is a rural locality in Vimmerby Municipality.",
}

GOALS = {
    "leva": (
        "Attractive and sustainable living environments",
        "Good housing, safe and lively localities and a good environment, so that more people "
        "want to live and stay all over the municipality.",
    ),
    "arbeta": (
        "Skills and labour supply",
        "Education and skills that match what working life needs, so that everyone who can "
        "work gets the chance to, and businesses find the right people.",
    ),
    "verka": (
        "Promoting enterprise on equal terms",
        "Good conditions for starting and running businesses and associations, wherever in "
        "the municipality you live and whoever you are.",
    ),
    "trivas": (
        "Active and meaningful leisure from a community-building and inclusive perspective",
        "Culture, sport, nature and associations that are open to everyone and build community.",
    ),
    "kontakt": (
        "Well-functioning infrastructure",
        "Roads, public transport, cycle paths and broadband that make it easy to travel, "
        "work and keep in touch all over the municipality.",
    ),
    "motas": (
        "Trust and social capital",
        "Meeting places, participation and trust between residents, associations, "
        "businesses and the municipality.",
    ),
}


def add_english(apps, schema_editor):
    Locality = apps.get_model("allas", "Locality")
    SlusGoal = apps.get_model("allas", "SlusGoal")
    for locality in Locality.objects.filter(description_en=""):
        for kind, swedish in SEEDED.items():
            # Only the seeded text has a known English version; a text staff wrote waits
            # for them to write its English (the Swedish shows until then).
            if locality.description == swedish.format(name=locality.name):
                locality.description_en = ENGLISH[kind].format(name=locality.name)
                locality.save(update_fields=["description_en"])
    for slug, (name, description) in GOALS.items():
        SlusGoal.objects.filter(slug=slug, name_en="").update(name_en=name)
        SlusGoal.objects.filter(slug=slug, description_en="").update(description_en=description)


class Migration(migrations.Migration):
    dependencies = [("allas", "0005_audit_log")]

    operations = [
        migrations.AddField(
            model_name="locality",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description in English"),
        ),
        migrations.AddField(
            model_name="slusgoal",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="description in English"),
        ),
        migrations.AddField(
            model_name="slusgoal",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="name in English"),
        ),
        migrations.RunPython(add_english, migrations.RunPython.noop),
    ]
