"""Celery application: background jobs (reminders, escalations) on the Redis broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("action_office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
