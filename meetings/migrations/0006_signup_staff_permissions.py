"""The development department sees the sign-ups to the groups' dialogue meetings."""

from django.db import migrations

from allas.staff import grant_staff_permissions


def grant_staff(apps, schema_editor):
    grant_staff_permissions(apps, "meetings", ["view_signup", "change_signup"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0005_signup_calendarreply_signup_and_more"), ("allas", "0003_staff_group")]

    operations = [migrations.RunPython(grant_staff, migrations.RunPython.noop)]
