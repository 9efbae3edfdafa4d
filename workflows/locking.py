"""The case's lock: every change to one case queues on the row of its intervention process.

Transitions, claims, completions, referrals, consents and the meeting's decisions all take it,
so none of them interleave. viewflow raises ``FlowLockFailed`` when it cannot take the lock;
every front shows the same 409 for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

from casework.errors import Conflict
from casework.models import Case
from workflows.flows import InterventionFlow
from workflows.models import CaseProcess
from workflows.selectors import LOCKED_IN


def _lock_conflict() -> Conflict:
    return Conflict(_("Someone else is changing this case right now; try again in a moment."))


def process_of(case: Case) -> CaseProcess:
    process = CaseProcess.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(Case),
        artifact_object_id=case.pk,
        flow_class=InterventionFlow,
    ).first()
    if process is None:
        raise Conflict(_("This case has no intervention process."))
    return process


@contextmanager
def conflict_on_lost_lock() -> Iterator[None]:
    """A flow lock lost anywhere inside (a flow node takes its own) is the one 409."""
    try:
        yield
    except FlowLockFailed:
        raise _lock_conflict() from None


@contextmanager
def lock_or_conflict(flow_class: Any, process_pk: int) -> Iterator[None]:
    """``flow_class.lock(process_pk)``; a lost lock is the one 409."""
    with conflict_on_lost_lock(), flow_class.lock(process_pk):
        yield


@contextmanager
def task_locked(task: Task) -> Iterator[Task]:
    """The case's lock, taken by reading ``task`` with its process: one statement.

    The same blocking ``SELECT … FOR UPDATE`` of the process row as the flow's lock
    (InterventionFlow.lock_impl), so it queues with every other change to the case. The task's
    row is locked too, after the process's (``OF`` names them in that order, the order every
    other writer takes them: no deadlock): a statement that waited for a lock returns the newest
    version of the rows it locks, and only of those, so without it a claimer that queued behind
    the winner would read the task as it was before and claim it a second time. ``task`` is
    refreshed in place (viewflow's activation works on that instance).
    """
    connection = transaction.get_connection()
    held_in = getattr(task, LOCKED_IN, None)
    if held_in is not None and any(block is held_in for block in connection.atomic_blocks):
        # Read under the lock by this transaction's fetch (task_get_for_user(locked=True)):
        # held already, and read after it. No savepoint: an error rolls the whole request back.
        with conflict_on_lost_lock(), transaction.atomic(savepoint=False):
            yield task
        return
    with conflict_on_lost_lock(), transaction.atomic():
        locked = (
            Task.objects.select_related("process")
            .select_for_update(of=("process", "self"))
            .get(pk=task.pk)
        )
        for field in Task._meta.concrete_fields:
            setattr(task, field.attname, getattr(locked, field.attname))
        task.process = locked.process
        yield task


@contextmanager
def case_lock(case: Case) -> Iterator[None]:
    """Hold the case's lock (and its transaction); a lost lock is the one 409."""
    with lock_or_conflict(InterventionFlow, process_of(case).pk):
        yield
