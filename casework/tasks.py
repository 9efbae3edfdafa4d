"""Celery tasks of the records side: the audit trail's checkpoints and nightly verification."""

from __future__ import annotations

from celery import shared_task

from casework.services.audit import audit_checkpoint, audit_verify_and_report


@shared_task(name="casework.tasks.audit_checkpoint", ignore_result=True)
def checkpoint() -> int:
    return audit_checkpoint().seq


@shared_task(name="casework.tasks.audit_verify", ignore_result=True)
def verify() -> bool:
    return audit_verify_and_report()
