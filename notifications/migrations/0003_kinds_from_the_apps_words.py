# The kinds of notice are each app's words now (allas.vocabulary), labelled from the
# registry: the fields keep the same strings, so every stored setting and notice reads as
# before and no row changes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_follow_ort_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notice",
            name="kind",
            field=models.CharField(max_length=20, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="notificationsetting",
            name="kind",
            field=models.CharField(max_length=20, verbose_name="kind"),
        ),
    ]
