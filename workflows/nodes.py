"""viewflow nodes that write their tasks in fewer statements, with the same rows as viewflow's.

viewflow 2.4 advances a process node by node: every gateway's task is inserted, linked to its
predecessor, then saved again when it completes, and every node opens its own savepoint. On the
hot paths (flagging a student; completing a task) that was most of the statements (issue
"Performance and scale-out"; docs/PERFORMANCE.md). These subclasses keep viewflow's rows —
the same tasks, statuses, tokens and ``previous`` links, the same signals — and only write them
in fewer round trips. tests/workflows/test_nodes.py compares each with viewflow's own node.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.split import Split, SplitActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import View, ViewActivation
from viewflow.workflow.signals import flow_started, task_finished, task_started
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token


def _plain_split_after(node: Any) -> Split | None:
    """The Split right after ``node`` if every branch is a View or Handle with no boundary
    events (what the bulk start knows how to create); None otherwise."""
    split = getattr(node, "_next", None)
    if not isinstance(split, Split) or split.activation_class is not SplitActivation:
        return None
    if split._boundary_events:
        return None
    for branch, _cond, data_source in split._branches:
        if data_source is not None or branch._boundary_events:
            return None
        if branch.activation_class not in (ViewActivation, HandleActivation):
            return None
    return split


class NewProcessStartActivation(StartHandleActivation):
    """Start the process and run it to its first waiting tasks in four statements.

    viewflow's start wraps the process in a savepoint and takes the flow lock (another
    savepoint and a ``SELECT … FOR UPDATE``) on the row it has just inserted — a row no other
    transaction can see before this one commits, so the lock waits for nobody — then inserts the
    start task, inserts the split's task, links it, saves it again as done, and inserts and links
    each branch one by one (13 statements for start → split → two tasks). Here: the process; the
    start and split tasks, already done, in one insert (the branches' tokens need the split's
    id); the branches in one insert; the ``previous`` links in one insert. Then each new View's
    onCreate, as viewflow calls it. Any other shape after the start falls back to viewflow's.

    It must run inside the caller's transaction (the flag's), which holds the new rows.
    """

    @Activation.status.transition(source=STATUS.NEW)
    def execute(self) -> None:
        assert connection.in_atomic_block, "start the process inside a transaction"
        split = _plain_split_after(self.flow_task)
        if split is None:
            super().execute.original()
            return
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.process.save()
        task_class = self.flow_class.task_class
        at = now()
        start = self.task
        start.process = self.process
        start.status, start.finished = STATUS.DONE, at
        start.flow_task_type = self.flow_task.task_type
        split_task = task_class(process=self.process, flow_task=split, token=start.token)
        split_task.data = {}
        split_task.flow_task_type = split.task_type
        split_activation = SplitActivation(split_task)
        split_activation.activate()  # the branches whose conditions hold
        split_task.status, split_task.finished = STATUS.DONE, at
        task_class.objects.bulk_create([start, split_task])

        tokens = Token.split_token_source(split_task.token, split_task.pk)
        branches = [
            (node, _new_task(node, split_activation, next(tokens)))
            for node, _data in split_activation.next_tasks
        ]
        task_class.objects.bulk_create([task for _node, task in branches])
        links = task_class.previous.through
        links.objects.bulk_create(
            [links(from_task_id=split_task.pk, to_task_id=start.pk)]
            + [links(from_task_id=task.pk, to_task_id=split_task.pk) for _node, task in branches],
            ignore_conflicts=True,
        )
        task_finished.send(sender=self.flow_class, process=self.process, task=start)
        flow_started.send(sender=self.flow_class, process=self.process, task=start)
        task_finished.send(sender=self.flow_class, process=self.process, task=split_task)
        for node, task in branches:
            if isinstance(node, View) and node._on_create is not None:
                node._on_create(node.activation_class(task))


def _new_task(node: Any, split_activation: Any, token: Token) -> Any:
    """The unsaved task viewflow's ``create`` of ``node`` would insert after the split."""
    task = node.flow_class.task_class(
        process=split_activation.process, flow_task=node, token=token
    )
    task.data = {}
    task.flow_task_type = node.task_type
    if isinstance(node, View):  # as ViewActivation.create: permission, then owner
        activation = node.activation_class(task)
        permission = node.calc_owner_permission(activation)
        if permission:
            task.owner_permission = permission
            task.owner_permission_obj = node.calc_owner_permission_obj(activation)
        owner = node.calc_owner(activation)
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
    return task


class NewProcessStart(flow.StartHandle):
    """A StartHandle whose process starts in a handful of statements (see its activation)."""

    activation_class = NewProcessStartActivation
