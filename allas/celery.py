"""The Celery app. Configured from Django's settings (the CELERY_ names), so the broker
comes from REDIS_URL or CELERY_BROKER_URL. Without a broker, tasks run in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allas.settings")

app = Celery("allas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
