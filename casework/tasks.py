"""Celery tasks of the records side: the audit trail's links, checkpoints and nightly verification,
the nightly risk recompute."""

from __future__ import annotations

from celery import shared_task

from casework.models import Student
from casework.services.audit import audit_checkpoint, audit_link, audit_verify_and_report
from casework.services.risk import risk_refresh


@shared_task(name="casework.tasks.audit_checkpoint", ignore_result=True)
def checkpoint() -> int:
    return audit_checkpoint().seq


@shared_task(name="casework.tasks.audit_link", ignore_result=True)
def link() -> int:
    """Link audit rows that a stopped worker left unlinked (normally there are none)."""
    return audit_link()


@shared_task(name="casework.tasks.audit_verify", ignore_result=True)
def verify() -> bool:
    return audit_verify_and_report()


@shared_task(name="casework.tasks.risk_recompute", ignore_result=True)
def risk_recompute() -> int:
    """Every student's risk, as of today, once a night (``manage.py recompute_risk``).

    Lists refresh the assessments they find stale, and every assessment goes stale at midnight:
    without this the first watchlist or dashboard of the morning would recompute a whole
    school's risk while someone waits (about 6 s for 2,000 students, docs/PERFORMANCE.md).
    """
    return risk_refresh(Student.objects.all())
