"""The index of the lists filtered by where proposals are at the municipality, built
without stopping the writes of a running portal."""

from django.db import migrations, models

from allas.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("proposals", "0013_municipal_staff_permissions")]

    operations = [
        AddIndexConcurrently(
            model_name="proposal",
            index=models.Index(
                fields=["municipal_stage", "visibility", "-created_at", "-id"],
                name="proposal_list_municipal",
            ),
        ),
    ]
