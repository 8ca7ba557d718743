"""The development department sees what became of every calendar reply."""

from django.db import migrations

from allas.staff import grant_staff_permissions


def grant_staff(apps, schema_editor):
    grant_staff_permissions(apps, "meetings", ["view_calendarreply"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_calendar_replies_and_guards"), ("allas", "0003_staff_group")]

    operations = [migrations.RunPython(grant_staff, migrations.RunPython.noop)]
