"""Celery tasks of the plans area: they load nothing themselves and call the services."""

from __future__ import annotations

from celery import shared_task

from plans.reminders import plan_reminders_send


@shared_task(name="plans.tasks.send_plan_reminders", ignore_result=True)
def send_plan_reminders() -> int:
    return plan_reminders_send()
