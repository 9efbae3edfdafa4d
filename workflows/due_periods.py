"""An office's own due periods, one per kind of task (docs/WORKFLOW.md). A change applies to
tasks created from then on: a due date already given to someone is not moved under them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from casework import roles
from casework.errors import Invalid
from casework.models import AuditEvent, Office, User
from casework.services.audit import audit_record
from workflows.models import DEFAULT_DUE_DAYS, DuePeriod
from workflows.policies import require_set_due_periods


def offices_for_due_periods(user: User) -> QuerySet[Office]:
    """The offices whose due periods the user may see and set."""
    if user.is_superuser:
        return Office.objects.all()
    ids = [m.office_id for m in roles.memberships(user) if m.is_coordinator]
    return Office.objects.filter(pk__in=ids)


def due_period_save(*, period: DuePeriod, actor: User) -> DuePeriod:
    require_set_due_periods(actor, period.office_id)
    try:
        period.full_clean()
    except ValidationError as error:
        raise Invalid(dict(error.message_dict)) from None
    before = (
        DuePeriod.objects.filter(pk=period.pk).values_list("days", flat=True).first()
        if period.pk
        else None
    )
    with transaction.atomic():
        created = period.pk is None
        period.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            obj=period,
            data={
                "office": period.office_id,
                "task": period.task,
                "days": period.days,
                "before": before if before is not None else DEFAULT_DUE_DAYS[period.task],
            },
        )
    return period


def due_period_reset(*, period: DuePeriod, actor: User) -> None:
    """Back to the default period for that kind of task."""
    require_set_due_periods(actor, period.office_id)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=period,
            data={
                "office": period.office_id,
                "task": period.task,
                "days": DEFAULT_DUE_DAYS[period.task],
                "before": period.days,
                "reset": True,
            },
        )
        period.delete()
