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
from django.db.models import Exists, OuterRef, Q
from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.handle import HandleActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.split import Split, SplitActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import View, ViewActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token

from workflows import task_writes

_WAITING = (STATUS.NEW, STATUS.STARTED)
_GONE = (STATUS.CANCELED, STATUS.REVIVED)
_CLOSED = (STATUS.DONE, *_GONE)


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
        if not issubclass(branch.activation_class, (ViewActivation, HandleActivation)):
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
    task = node.flow_class.task_class(process=split_activation.process, flow_task=node, token=token)
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


class EndOnceActivation(EndActivation):
    """An End task inserted once, already done, instead of inserted, then saved again.

    viewflow inserts the End's task when the branch reaches it, opens a savepoint around
    counting the process's other unfinished tasks, and saves the task again as done (6
    statements with the ``previous`` link). Here the task is inserted when it completes (the
    count does not include it either way) and no savepoint is opened: the savepoint is for
    background runs that record a failure on the task and carry on, and nothing of ours runs
    a flow that way — an error here propagates and the whole transaction rolls back.
    """

    def __init__(self, task: Any) -> None:
        super().__init__(task)
        self.reached_from: Any = None
        self.unfinished: set[int] | None = None

    def __hash__(self) -> int:
        # viewflow keeps activations in sets, hashed by their task; this one has no id yet.
        return id(self.task)

    @classmethod
    def create(
        cls, flow_task: Any, prev_activation: Any, token: Any, data: Any = None, seed: Any = None
    ) -> EndOnceActivation:
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation.reached_from = prev_activation.task
        # A join that read the process's unfinished tasks under this same lock, a moment ago,
        # with nothing finished since but itself.
        activation.unfinished = getattr(prev_activation, "unfinished", None)
        return activation

    @Activation.status.super()
    def activate(self) -> None:
        """As EndActivation.activate: the process is done when no other task is unfinished."""
        with self.exception_guard():
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            if self.unfinished is not None:
                done = not (self.unfinished - {self.task.pk, self.reached_from.pk})
            else:
                # The rows themselves, not just whether there are any: the step may need one
                # of them next (triage: the share handle; ``task_writes.unfinished_read``).
                waiting = task_writes.waiting(self.process)
                read = self.flow_class.task_class._default_manager.filter(
                    process=self.process, finished__isnull=True
                )
                unfinished = [
                    task
                    for task in (waiting.get(t.pk, t) for t in read)
                    if task.finished is None and task.pk != self.task.pk
                ]
                for task in unfinished:
                    task.process = self.process
                task_writes.remember_unfinished(self.process, unfinished)
                done = not unfinished
            if done:
                self.process.status = STATUS.DONE
                self.process.finished = now()
                self.process.save()
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
            if done:
                flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    @Activation.status.transition(source=STATUS.NEW, target=STATUS.DONE)
    def complete(self) -> None:
        assert connection.in_atomic_block
        created = self.task.pk is None
        self.task.finished = now()
        task_writes.save(self.task)
        if created and self.reached_from is not None:
            task_writes.link(self.task, self.reached_from)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class EndOnce(flow.End):
    """An End whose task is written once (see its activation)."""

    activation_class = EndOnceActivation


class JoinOnceActivation(JoinActivation):
    """A Join that asks the database what it needs once.

    viewflow's join asks whether every branch is in twice before completing (``is_done`` for
    ``can_proceed``, then again as the transition's condition) and a third time for the token
    check inside ``complete``, each time two queries; it inserts its task and then saves it
    again as started; and it completes inside a savepoint, there for background runs that record
    a failure and carry on (nothing of ours runs a flow that way; without a
    ``continue_on_condition`` nothing is written before the check that could fail). Here: the
    task is inserted already started, and the answers are kept for the activation's life — one
    step of one transaction, under the case's lock, in which the branches cannot change (a
    branch arriving later makes a new activation); a join just created knows its one way in
    without asking.
    """

    def __init__(self, task: Any) -> None:
        super().__init__(task)
        self._prefixes: set[str] | None = None
        self._active: dict[str, bool] = {}
        # The process's unfinished tasks other than this join, when read with it (the End this
        # join leads to need not ask again).
        self.unfinished: set[int] | None = None

    @classmethod
    def create(
        cls, flow_task: Any, prev_activation: Any, token: Any, data: Any = None, seed: Any = None
    ) -> JoinOnceActivation:
        arriving = prev_activation.task
        if (
            token.is_split_token()
            and not flow_task._continue_on_condition
            and arriving.status not in (STATUS.CANCELED, STATUS.REVIVED)
        ):
            return cls._create_in_one_read(flow_task, prev_activation, token, data, seed)
        task_writes.write_now(prev_activation.process)  # viewflow's reads, below, see them
        task_class = flow_task.flow_class.task_class
        tasks = list(
            task_class._default_manager.filter(
                flow_task=flow_task,
                process=prev_activation.process,
                status__in=[STATUS.NEW, STATUS.STARTED],
            )
        )
        if len(tasks) > 1:
            raise FlowRuntimeError("More than one join instance for process found")
        if tasks:
            task = tasks[0]
            task.process = prev_activation.process  # the same row, in hand (not read again)
        else:
            if token.is_split_token():
                token = token.get_base_split_token()
            task = task_class(process=prev_activation.process, flow_task=flow_task, token=token)
            task.data = data if data is not None else {}
            task.seed = seed
            # What activate() would save a moment later: started.
            task.status, task.started = STATUS.STARTED, now()
            task.save()
        task.previous.add(prev_activation.task)
        activation = cls(task)
        arriving = prev_activation.task
        if not tasks and arriving.status not in (STATUS.CANCELED, STATUS.REVIVED):
            # A join just created has one way in, the task arriving: its prefix is known.
            activation._prefixes = {arriving.token.get_common_split_prefix(task.token, arriving.pk)}
        return activation

    @classmethod
    def _create_in_one_read(
        cls, flow_task: Any, prev_activation: Any, token: Any, data: Any, seed: Any
    ) -> JoinOnceActivation:
        """``create`` with the join, its ways in and the branches still open read at once.

        viewflow reads them one after the other (the join; later its ``previous`` tasks for the
        token prefixes; then the tasks of that prefix still open), with only the join's insert
        and the link between, which change none of the rows read. The arriving task is already
        saved as done, and the case's lock is held. The prefix is the one the arriving task
        gives a join on its base split token (the token viewflow gives a new join); a join found
        with another token, or ways in with other prefixes, are left to viewflow's own checks.
        The unfinished tasks are kept for the End this join leads to.
        """
        process, arriving = prev_activation.process, prev_activation.task
        task_class = flow_task.flow_class.task_class
        join_token = token.get_base_split_token()
        prefix = arriving.token.get_common_split_prefix(join_token, arriving.pk)
        links = task_class.previous.through
        open_joins = Q(flow_task=flow_task, status__in=[STATUS.NEW, STATUS.STARTED])
        ways_in = links.objects.filter(
            from_task__process=process,
            from_task__flow_task=flow_task,
            from_task__status__in=[STATUS.NEW, STATUS.STARTED],
        )
        waiting = task_writes.waiting(process)  # the arriving task, done, not yet written
        read = list(
            task_class._default_manager.filter(process=process)
            .filter(
                open_joins
                | Q(finished__isnull=True)
                | (Q(token__startswith=prefix) & ~Q(status__in=_CLOSED))
                | (Q(pk__in=ways_in.values("to_task_id")) & ~Q(status__in=_GONE))
            )
            .annotate(way_in=Exists(ways_in.filter(to_task_id=OuterRef("pk"))))
            .order_by("-created")
        )
        ways_in_of = {t.pk for t in read if t.way_in}
        rows = [waiting.get(t.pk, t) for t in read]
        joins = [t for t in rows if t.flow_task == flow_task and t.status in _WAITING]
        if len(joins) > 1:
            raise FlowRuntimeError("More than one join instance for process found")
        if joins:
            task = joins[0]
            task.process = process  # the same row, in hand (not read again)
        else:
            task = task_class(process=process, flow_task=flow_task, token=join_token)
            task.data = data if data is not None else {}
            task.seed = seed
            # What activate() would save a moment later: started.
            task.status, task.started = STATUS.STARTED, now()
            task_writes.save(task)
        task_writes.link(task, arriving)
        activation = cls(task)
        if task.token != join_token:
            return activation  # not the join this read assumed: viewflow's own checks
        came_in = [t for t in rows if t.pk in ways_in_of and t.status not in _GONE]
        activation._prefixes = {
            prev.token.get_common_split_prefix(task.token, prev.pk) for prev in [arriving, *came_in]
        }
        activation._active[prefix] = any(
            str(t.token).startswith(prefix) and t.status not in _CLOSED for t in rows
        )
        activation.unfinished = {t.pk for t in rows if t.finished is None} - {task.pk}
        return activation

    def __hash__(self) -> int:
        return id(self.task)  # a join just created has no id until the step's rows are written

    def _join_token_prefixes(self) -> set[str]:
        if self._prefixes is None:
            self._prefixes = super()._join_token_prefixes()
        return self._prefixes

    def is_done(self) -> bool:
        prefixes = self._join_token_prefixes()
        if len(prefixes) != 1 or self.flow_task._continue_on_condition:
            return bool(super().is_done())
        prefix = next(iter(prefixes))
        if prefix not in self._active:
            self._active[prefix] = self._active_join_tasks(prefix).exists()
        return not self._active[prefix]

    @Activation.status.transition(
        source=STATUS.STARTED, target=STATUS.DONE, conditions=[this.is_done]
    )
    def complete(self) -> None:
        if self.flow_task._continue_on_condition:
            task_writes.write_now(self.process)
            super().complete.original()
            return
        with self.exception_guard():
            prefixes = self._join_token_prefixes()
            if len(prefixes) > 1:
                raise FlowRuntimeError(
                    f"Multiple tokens {prefixes} came to join {self.flow_task.name}"
                )
            _complete(self)


class JoinOnce(flow.Join):
    """A Join that asks the database what it needs once (see its activation)."""

    activation_class = JoinOnceActivation


def _complete(activation: Any) -> None:
    """``Activation.complete`` (the task done, then ``task_finished``), its row written with
    the step's others when a ``task_writes.written_together`` block is open."""
    assert connection.in_atomic_block
    activation.task.finished = now()
    task_writes.save(activation.task)
    task_finished.send(
        sender=activation.flow_class, process=activation.process, task=activation.task
    )


class ViewOnceActivation(ViewActivation):
    """A View whose completed task is written with the rows of the nodes after it.

    When its task completes inside ``task_writes.written_together`` (a completion through
    ``task_complete``) its row waits for the join or End it leads to, which read it from there;
    the step's tasks are then written in one statement. Otherwise, as viewflow's.
    """

    def __hash__(self) -> int:
        return hash(self.task) if self.task.pk is not None else id(self.task)

    @Activation.status.transition(source=STATUS.STARTED, target=STATUS.DONE)
    def complete(self) -> None:
        _complete(self)


class HandleOnceActivation(HandleActivation):
    """A Handle whose task is inserted, linked and completed with the step's other rows.

    The share of triage: completing triage completes the share handle and creates the next
    stage's; inside ``task_writes.written_together`` those rows are written with triage's
    (viewflow: an ``UPDATE``, an ``INSERT`` and a link, each on its own). Otherwise, as
    viewflow's: the writes happen at once.
    """

    def __hash__(self) -> int:
        return hash(self.task) if self.task.pk is not None else id(self.task)

    @classmethod
    def create(
        cls, flow_task: Any, prev_activation: Any, token: Any, data: Any = None, seed: Any = None
    ) -> HandleOnceActivation:
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        task_writes.save(task)
        task_writes.link(task, prev_activation.task)
        return cls(task)

    @Activation.status.transition(source=STATUS.STARTED, target=STATUS.DONE)
    def complete(self) -> None:
        _complete(self)


class HandleOnce(flow.Handle):
    """A Handle whose rows a completion writes with its others (see its activation)."""

    activation_class = HandleOnceActivation


def run_handle_held(node: Any, task: Any, **kwargs: Any) -> Any:
    """Run Handle ``node``'s pending ``task`` inside the lock the caller holds already.

    ``node.run(task)`` takes the flow lock again (a savepoint and a ``SELECT … FOR UPDATE``),
    reads the task again and then its process: three more statements and a savepoint for rows
    the caller has just read under that same lock. ``task.process`` must be the locked
    process.
    """
    activation = node.activation_class(task)
    result = activation.run(this.resolve(node.flow_class.instance, node._func), **kwargs)
    activation.execute()
    return result
