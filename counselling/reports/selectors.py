"""Reads of reports: who sees which, and the one permission-checked fetch."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from viewflow.workflow.status import STATUS

from casework.errors import NotFound
from casework.models import AuditEvent, User
from casework.selectors import pk_or_not_found
from casework.services.audit import audit_record
from counselling.models import Report, ReportTask
from counselling.reports import policies


def reports_visible_to(user: User) -> QuerySet[Report]:
    """Your own reports; the school's submitted ones for its receivers and readers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Report.objects.none()
    visible = Q(author_id=user.pk)
    if policies.reads_school_reports(user):
        visible |= Q(school_id=user.school_id, submitted_at__isnull=False)
    return Report.objects.filter(visible).select_related("author", "school")


def report_get_for_user(user: User, pk: Any, *, audit: bool = True) -> Report:
    """A report the user may read; any other is invisible (404)."""
    pk = pk_or_not_found(pk)
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise NotFound()
    if audit:
        audit_record(actor=user, action=AuditEvent.Action.READ, obj=report)
    return report


def open_step(report: Report) -> ReportTask | None:
    """The step the report waits at (none once analysed or approved)."""
    return (
        ReportTask.objects.filter(report=report, task__status__in=[STATUS.NEW, STATUS.ASSIGNED])
        .select_related("task")
        .first()
    )
