"""Flagging a student and moving a case through the stages: the case, its tasks and the
notifications change together, under the case's lock.

About transactions: viewflow's flow lock opens the transaction itself; do not call these from
inside an outer ``transaction.atomic()`` in production code (a lost lock must not abort someone
else's transaction). Errors are domain errors: 403, 400, 409.
"""

from __future__ import annotations

from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from casework import policies
from casework.compiled import Shape
from casework.errors import Conflict, Invalid
from casework.models import (
    AuditEvent,
    Case,
    CaseEvent,
    Group,
    Membership,
    Office,
    RiskLevel,
    Stage,
    Student,
    StudentRisk,
    User,
)
from casework.models.case import CLOSED_STAGES, OPEN_STAGES
from casework.selectors import open_case_of_student
from casework.services.audit import ReadInChange, audit_record
from casework.services.cases import (
    check_transition_allowed,
    flag_refusal,
    validate_functions,
)
from workflows import lifecycle
from workflows import policies as workflow_policies
from workflows.flows import InterventionFlow
from workflows.locking import conflict_on_lost_lock, process_of
from workflows.models import CaseProcess, TaskName


def case_flag(
    *,
    student: Student,
    actor: User,
    reason: str,
    functions: list[str],
    read: ReadInChange | None = None,
) -> Case:
    """Open a case and its process; the triage task goes to group 2, in one transaction.

    The case comes back as it now is: ``lifecycle.opened_with`` holds its timeline rows and its
    tasks, so the answer needs no read. ``read``: the student's read for this flag, audited in
    the flag's transaction (the caller writes it alone if the flag is refused).
    """
    policies.require_flag(actor, student)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": _("Say why you are flagging the student.")})
    functions = validate_functions(functions)
    office = getattr(student.school, "office", None)
    if office is None:
        raise cast(Conflict, flag_refusal(student.school))  # "no action office yet"
    try:
        with transaction.atomic():
            if read is not None:
                read.write()
            case, flagged = _open(
                student=student, office=office, actor=actor, reason=reason, functions=functions
            )
            # A brand-new process: nobody else can hold its lock, so starting it inside our own
            # transaction is safe and keeps "case without process" impossible.
            InterventionFlow.start.run(case_id=case.pk, case=case)
            lifecycle.opened_with(case)[0].insert(0, flagged)
    except IntegrityError:
        # A concurrent flag of the same student won (the open-case constraint); the whole
        # transaction is rolled back, so asking which case is open is safe here, outside it.
        existing = open_case_of_student(student)
        if existing is None:
            raise
        raise _refuse_second_case(existing.pk) from None
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


def _refuse_second_case(open_case: int) -> Conflict:
    return Conflict(
        _("This student already has an open case (#%(case)s); add to it instead.")
        % {"case": open_case},
        open_case=open_case,
    )


def _flag_facts(student_id: int, office_id: int) -> QuerySet[Student, Any]:
    """What a flag reads of its student, in one statement (``_open`` says what and why); its
    SQL is compiled once per process (casework.compiled)."""
    stored = StudentRisk.objects.filter(student=OuterRef("pk")).values("level")[:1]
    latest = (
        Case.objects.filter(student=OuterRef("pk"))
        .annotate(open_now=Q(stage__in=OPEN_STAGES))
        .filter(Q(open_now=True) | Q(stage__in=CLOSED_STAGES))
        .order_by("-open_now", "-closed_at", "-id")
    )
    seats = Membership.objects.filter(office_id=office_id, active=True, user__is_active=True)
    return (
        Student.objects.select_for_update()
        .filter(pk=student_id)
        .values(
            risk_now=Subquery(stored),
            latest_case=Subquery(latest.values("pk")[:1]),
            latest_open=Subquery(latest.values("open_now")[:1]),
            triage_days=Subquery(lifecycle.due_days_query(office_id, TaskName.TRIAGE)),
            **{f"group_{int(g)}": Exists(seats.filter(group=g)) for g in Group},
        )
    )


def _open(
    *, student: Student, office: Office, actor: User, reason: str, functions: list[str]
) -> tuple[Case, CaseEvent]:
    """The case row, in ``monitoring``, its timeline row and its audit row."""
    # One statement reads what the flag needs to know: the student's open case (there is at most
    # one) or else the latest closed one, to refuse a second case or link the new one to it;
    # the risk level the office sees now, kept on the case for the outcomes (a student without a
    # stored assessment has none); which of the office's groups have an active member (an office
    # that is not operational refuses the flag, flag_refusal); the office's due period for the
    # triage task. It locks the student's row, so flags of one student queue; one that queued
    # behind another still reads the cases as they were when it began (a waiting statement
    # sees only the locked row anew), and its insert then meets the first one's open case in
    # the one-open-case-per-student constraint: the IntegrityError that case_flag answers
    # with the same 409. (Subqueries, not joins: FOR UPDATE refuses the nullable side of an
    # outer join.)
    shape = Shape(("flag_facts",), [student.pk, office.pk], _flag_facts)
    known = next(shape.statement().values(shape.values))
    staffed = {int(g) for g in Group if known[f"group_{int(g)}"]}
    refusal = flag_refusal(student.school, present=staffed)
    if refusal is not None:
        raise refusal
    if known["latest_open"]:
        raise _refuse_second_case(known["latest_case"])
    previous = known["latest_case"]
    case = Case.objects.create(
        office=office,
        student=student,
        reason=reason,
        functions=functions,
        flagged_by=actor,
        previous_case_id=previous,
        risk_at_flag=known["risk_now"] or RiskLevel.NONE,
    )
    lifecycle.remember_due_days(case, TaskName.TRIAGE, known["triage_days"])
    flagged = CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.FLAGGED,
        actor=actor,
        to_stage=Stage.MONITORING,
        name="flag",
        note=reason,
        data={"functions": functions, "previous_case": previous},
    )
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=case)
    return case, flagged
