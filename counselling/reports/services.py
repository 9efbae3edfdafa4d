"""Writes of reports: draft one, edit its narrative, and move it along its circuit.

Every move takes the report's flow lock (the process row, blocking), re-reads the report under
it, checks the order (409), changes the report, writes the audit row and completes the step,
which creates the next one and tells who acts next — all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from casework.errors import Conflict, Invalid
from casework.models import AuditEvent, User
from casework.services.audit import audit_record
from counselling.models import (
    RegisterCounter,
    Report,
    ReportKind,
    ReportProcess,
    ReportStatus,
    ReportTask,
)
from counselling.reports import policies
from counselling.reports.content import gathered_reports, report_content
from counselling.reports.flows import ReportFlow
from counselling.reports.periods import parse_period
from counselling.reports.selectors import open_step
from plans.models import ActionPlan
from workflows.locking import lock_or_conflict

MAX_NARRATIVE = 20000


def _plan_problems(kind: str, code: str, plan: ActionPlan | None) -> dict[str, list[str] | str]:
    """A plan monitoring report counts one plan of its school year; other kinds name none."""
    if kind != ReportKind.PLAN_MONITORING:
        return {"plan": [_("Only plan monitoring reports name an action plan.")]} if plan else {}
    if plan is None:
        return {"plan": [_("Choose the action plan the report monitors.")]}
    if code != plan.school_year:
        return {
            "period": [
                _("A plan monitoring report covers the plan's school year, %(year)s.")
                % {"year": plan.school_year}
            ]
        }
    return {}


def report_draft(*, actor: User, kind: str, period: str, plan: ActionPlan | None = None) -> Report:
    """Start a report of ``kind`` for ``period``: a draft, one per author, kind and period (and
    plan, for a plan monitoring report)."""
    if kind not in ReportKind.values:
        raise Invalid(
            {"kind": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(ReportKind.values)}]}
        )
    policies.require_draft(actor, kind)
    code = parse_period(period).code
    if problems := _plan_problems(kind, code, plan):
        raise Invalid(problems)
    school_id = actor.school_id
    assert school_id is not None  # the policy above refuses staff without a school
    draft = Report(school_id=school_id, author=actor, kind=kind, period=code, plan=plan)
    if kind == ReportKind.COUNSELLING_SUMMARY and not gathered_reports(draft).exists():
        raise Conflict(
            _("No semester report of %(period)s is registered yet: there is nothing to sum up.")
            % {"period": code},
            code="no_reports",
        )
    same = {"author": actor, "kind": kind, "period": code, "plan": plan}
    existing = Report.objects.filter(**same).first()
    if existing is not None:
        raise _duplicate(existing)
    try:
        with transaction.atomic():
            draft.save()
            ReportFlow.start.run(report_id=draft.pk)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=draft,
                data={"kind": kind, "period": code, "plan": plan.pk if plan else None},
            )
    except IntegrityError:
        # Two clicks at once: the unique constraint lets one through.
        raise _duplicate(Report.objects.get(**same)) from None
    return draft


def _duplicate(existing: Report) -> Conflict:
    return Conflict(
        _("You already have this report for %(period)s.") % {"period": existing.period},
        code="exists",
        report=existing.pk,
    )


def report_edit(*, actor: User, report: Report, narrative: str) -> Report:
    policies.require_author(actor, report)
    narrative = str(narrative or "").strip()
    if len(narrative) > MAX_NARRATIVE:
        raise Invalid(
            {"narrative": [_("At most %(limit)s characters.") % {"limit": MAX_NARRATIVE}]}
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not locked.editable:
            raise _out_of_order(locked)
        locked.narrative = narrative
        locked.save(update_fields=["narrative"])
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=locked, data={"narrative": True}
        )
    return locked


def _out_of_order(report: Report) -> Conflict:
    return Conflict(
        _("The report is %(status)s: this step is not its next one.")
        % {"status": report.get_status_display()},
        status=report.status,
    )


def _process_of(report: Report) -> ReportProcess:
    return ReportProcess.objects.get(
        artifact_content_type=ContentType.objects.get_for_model(Report),
        artifact_object_id=report.pk,
        flow_class=ReportFlow,
    )


@contextmanager
def _moving(
    report: Report, *, steps: tuple[str, ...], statuses: tuple[str, ...]
) -> Iterator[tuple[Report, ReportTask]]:
    """The report under its flow lock and the step it waits at, if that is one of ``steps`` and
    its status one of ``statuses``; else 409."""
    with lock_or_conflict(ReportFlow, _process_of(report).pk):
        locked = Report.objects.select_for_update().get(pk=report.pk)
        step = open_step(locked)
        if locked.status not in statuses or step is None or step.name not in steps:
            raise _out_of_order(locked)
        yield locked, step


def _complete_step(step: ReportTask, actor: User) -> None:
    task = step.task
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        # viewflow never records when a task got its owner; we do (saved with the owner).
        task.assigned = timezone.now()
        activation.assign(actor)
    elif task.owner_id != actor.pk:
        activation.reassign(actor)
    activation.start(None)
    activation.execute()


def _record(report: Report, step: ReportTask, actor: User, event: str, **data: Any) -> None:
    """Save the move, audit it, and complete the step: the flow creates the next one."""
    report.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=report,
        data={"event": event, "status": report.status, **data},
    )
    _complete_step(step, actor)


def report_submit(*, actor: User, report: Report) -> Report:
    policies.require_author(actor, report)
    with _moving(
        report,
        steps=("draft", "revise"),
        statuses=(ReportStatus.DRAFT, ReportStatus.RETURNED),
    ) as (locked, step):
        locked.submit(now=timezone.now(), content=report_content(locked))
        _record(locked, step, actor, "submit")
    return locked


def _next_number(school_id: int, year: int) -> int:
    """The school's next register number of ``year``: gap-free, never reused.

    The counter row is locked until the caller's transaction ends, so concurrent registrations
    queue on it and each reads the number the previous one wrote; a rolled-back registration
    gives its number back with its own transaction, which is why none is skipped.
    """
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(school_id=school_id, year=year)], ignore_conflicts=True
    )
    counter = RegisterCounter.objects.select_for_update().get(school_id=school_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def report_register(*, actor: User, report: Report) -> Report:
    policies.require_receiver(actor, report)
    with _moving(report, steps=("register",), statuses=(ReportStatus.SUBMITTED,)) as (
        locked,
        step,
    ):
        day = timezone.localdate()
        locked.register(number=_next_number(locked.school_id, day.year), day=day)
        _record(locked, step, actor, "register", registration=locked.registration)
    return locked


def _text(value: Any, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise Invalid({field: [message]})
    if len(text) > MAX_NARRATIVE:
        raise Invalid({field: [_("At most %(limit)s characters.") % {"limit": MAX_NARRATIVE}]})
    return text


def report_analyse(*, actor: User, report: Report, note: Any) -> Report:
    policies.require_receiver(actor, report)
    note = _text(note, "note", _("Write the analysis, with the deputy director's part."))
    if report.kind != ReportKind.COUNSELLING_SEMESTER:
        raise Conflict(_("Only semester reports are analysed; this one is approved."))
    with _moving(report, steps=("conclude",), statuses=(ReportStatus.REGISTERED,)) as (
        locked,
        step,
    ):
        locked.analyse(note=note)
        _record(locked, step, actor, "analyse")
    return locked


def report_approve(*, actor: User, report: Report) -> Report:
    policies.require_receiver(actor, report)
    if report.kind == ReportKind.COUNSELLING_SEMESTER:
        raise Conflict(_("Semester reports are analysed, not approved."))
    with _moving(report, steps=("conclude",), statuses=(ReportStatus.REGISTERED,)) as (
        locked,
        step,
    ):
        locked.approve(day=timezone.localdate())
        _record(locked, step, actor, "approve")
    return locked


def report_return(*, actor: User, report: Report, remarks: Any) -> Report:
    policies.require_receiver(actor, report)
    remarks = _text(remarks, "remarks", _("Say what the author should change."))
    with _moving(
        report,
        steps=("register", "conclude"),
        statuses=(ReportStatus.SUBMITTED, ReportStatus.REGISTERED),
    ) as (locked, step):
        locked.return_to_author(remarks=remarks, step=step.name)
        _record(locked, step, actor, "return", remarks=remarks)
    return locked


ACTIONS: dict[str, Callable[..., Report]] = {
    "submit": report_submit,
    "register": report_register,
    "analyse": report_analyse,
    "approve": report_approve,
    "return": report_return,
}
