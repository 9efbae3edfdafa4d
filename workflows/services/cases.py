"""Flagging a student and moving a case through the stages: the case, its tasks and the
notifications change together, under the case's lock.

About transactions: viewflow's flow lock opens the transaction itself; do not call these from
inside an outer ``transaction.atomic()`` in production code (a lost lock must not abort someone
else's transaction). Errors are domain errors: 403, 400, 409.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from casework import policies
from casework.errors import Conflict, Invalid
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    RiskLevel,
    Stage,
    Student,
    StudentRisk,
    User,
)
from casework.models.case import CLOSED_STAGES, OPEN_STAGES
from casework.selectors import open_case_of_student
from casework.services.audit import audit_record
from casework.services.cases import (
    check_transition_allowed,
    flag_refusal,
    validate_functions,
)
from workflows import lifecycle
from workflows import policies as workflow_policies
from workflows.flows import InterventionFlow
from workflows.locking import conflict_on_lost_lock, process_of
from workflows.models import CaseProcess


def case_flag(*, student: Student, actor: User, reason: str, functions: list[str]) -> Case:
    """Open a case and its process; the triage task goes to group 2, in one transaction."""
    with transaction.atomic():
        case = _open(student=student, actor=actor, reason=reason, functions=functions)
        # A brand-new process: nobody else can hold its lock, so starting it inside our own
        # transaction is safe and keeps "case without process" impossible.
        InterventionFlow.start.run(case_id=case.pk, case=case)
    return case


def case_transition(
    *, case: Case, name: str, actor: User, note: str = "", cancel_open_tasks: bool = False
) -> CaseEvent:
    """Run transition ``name``: the case's stage, its tasks and the notifications, together."""
    check_transition_allowed(case=case, name=name, actor=actor, note=note)
    if name == "share" and not workflow_policies.can_share_now(actor, case):
        raise Conflict(
            _(
                "The case is shared with the office once its triage is done; the psychologists "
                "have been told and share it when they finish."
            ),
            code="triage_pending",
        )
    process = process_of(case)
    try:
        with conflict_on_lost_lock():
            if name == "withdraw":
                return _withdraw(case=case, process=process, actor=actor, note=note)
            handle = process.task_set.filter(
                flow_task=getattr(InterventionFlow, name), status=STATUS.NEW
            ).first()
            if handle is None:
                raise Conflict(
                    _("Someone else changed this case a moment ago; reload it and try again.")
                )
            event: CaseEvent = getattr(InterventionFlow, name).run(
                handle,
                case=case,
                name=name,
                actor=actor,
                note=note,
                cancel_tasks=cancel_open_tasks,
            )
            return event
    except TransitionNotAllowed:
        raise Conflict(
            _("Someone else changed this case a moment ago; reload it and try again.")
        ) from None


def _withdraw(*, case: Case, process: CaseProcess, actor: User, note: str) -> CaseEvent:
    with InterventionFlow.lock(process.pk):
        event = lifecycle.apply_transition(case=case, name="withdraw", actor=actor, note=note)
        lifecycle.cancel_open_tasks(case, actor=actor, why=note)
        lifecycle.end_live_referrals(case, actor=actor, archived=False)
        # The pending stage handles and any join go with the process.
        InterventionFlow.instance.cancel(process)
        lifecycle.notify_stage_changed(case, event, actor)
    return event


def _refuse_second_case(open_case: Case) -> Conflict:
    return Conflict(
        _("This student already has an open case (#%(case)s); add to it instead.")
        % {"case": open_case.pk},
        open_case=open_case.pk,
    )


def _open(*, student: Student, actor: User, reason: str, functions: list[str]) -> Case:
    """The case row, in ``monitoring``, its timeline row and its audit row."""
    policies.require_flag(actor, student)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": _("Say why you are flagging the student.")})
    functions = validate_functions(functions)
    refusal = flag_refusal(student.school)
    if refusal is not None:
        raise refusal
    try:
        with transaction.atomic():
            # Serialise flags of one student, so the second one sees the first one's case; the
            # same statement reads the risk level the office sees now, kept on the case for the
            # outcomes (a student without a stored assessment has none).
            # (A subquery, not a join: FOR UPDATE refuses the nullable side of an outer join.)
            stored = StudentRisk.objects.filter(student=OuterRef("pk")).values("level")[:1]
            risk = (
                Student.objects.select_for_update()
                .filter(pk=student.pk)
                .values_list(Subquery(stored), flat=True)
                .first()
            )
            # The open case (there is at most one) or else the latest closed one, in one read.
            latest = (
                Case.objects.filter(student=student)
                .annotate(open_now=Q(stage__in=OPEN_STAGES))
                .filter(Q(open_now=True) | Q(stage__in=CLOSED_STAGES))
                .order_by("-open_now", "-closed_at", "-id")
                .first()
            )
            if latest is not None and latest.stage in OPEN_STAGES:
                raise _refuse_second_case(latest)
            previous = latest
            case = Case.objects.create(
                office=student.school.office,
                student=student,
                reason=reason,
                functions=functions,
                flagged_by=actor,
                previous_case=previous,
                risk_at_flag=risk or RiskLevel.NONE,
            )
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.FLAGGED,
                actor=actor,
                to_stage=Stage.MONITORING,
                name="flag",
                note=reason,
                data={"functions": functions, "previous_case": previous.pk if previous else None},
            )
            audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=case)
    except IntegrityError:
        existing = open_case_of_student(student)
        if existing is None:
            raise
        raise _refuse_second_case(existing) from None
    return case
