# The verbs are each app's words now (allas.vocabulary), labelled from the registry: the
# field keeps the same strings, so every stored entry reads as before and no row changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("allas", "0011_auditevent_without_group"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="verb",
            field=models.CharField(max_length=40, verbose_name="what"),
        ),
    ]
