import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """A Follow is an ort's only: the follows of proposals are the proposals app's own
    (its migration 0010 moves them there and runs before this one)."""

    dependencies = [
        ("notifications", "0001_follows_settings_notices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="follow",
            options={"verbose_name": "ort follow", "verbose_name_plural": "ort follows"},
        ),
        migrations.RemoveConstraint(model_name="follow", name="follow_one_target"),
        migrations.RemoveConstraint(model_name="follow", name="follow_unique_locality"),
        migrations.RemoveConstraint(model_name="follow", name="follow_unique_proposal"),
        migrations.RemoveIndex(model_name="follow", name="notificatio_proposa_755678_idx"),
        migrations.RemoveField(model_name="follow", name="proposal_id"),
        migrations.AlterField(
            model_name="follow",
            name="locality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="follows",
                to="allas.locality",
                verbose_name="ort",
            ),
        ),
        migrations.AlterField(
            model_name="follow",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="%(class)ss",
                to=settings.AUTH_USER_MODEL,
                verbose_name="person",
            ),
        ),
        migrations.AddConstraint(
            model_name="follow",
            constraint=models.UniqueConstraint(
                fields=("user", "locality"), name="follow_unique_locality"
            ),
        ),
    ]
