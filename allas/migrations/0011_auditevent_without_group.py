from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('allas', '0010_auditevent_group_to_locality'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='auditevent',
            name='auditevent_group_latest',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='group',
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['locality', '-created_at'], name='auditevent_locality_latest'),
        ),
    ]
