from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('allas', '0008_scrub_sent_outbox_secrets'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='locality',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit_events', to='allas.locality', verbose_name='ort'),
        ),
    ]
