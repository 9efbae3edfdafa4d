"""Celery tasks: they load nothing themselves and call the services."""

from __future__ import annotations

from celery import shared_task

from workflows import services


@shared_task(name="workflows.tasks.run_due_jobs", ignore_result=True)
def run_due_jobs() -> dict[str, int]:
    report = services.run_due_jobs()
    return {"reminded": report.reminded, "escalated": report.escalated}
