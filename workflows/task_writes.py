"""A completion's process rows written together: its tasks in one statement, their links too.

Completing a task moves its process a few nodes on — the task done, the join it arrives at
(inserted, or done), the End of its branch, for triage the share handle done and the next
stage's handle — and viewflow writes each of those rows as the node runs: an ``UPDATE`` or an
``INSERT`` per task and one more per ``previous`` link. Inside ``written_together`` the nodes of
workflows/nodes.py hand their rows here instead and they are written when the step ends, with
the values viewflow would have written: the tasks in one upsert (``INSERT … ON CONFLICT (id) DO
UPDATE``, rows already stored are updated, new ones inserted, in the order viewflow inserts
them), the links in one insert — on PostgreSQL both in one statement (a data-modifying
``WITH``). Outside it every row is written at once, as viewflow does.

The nodes that read tasks while rows wait here (the join's one read, the End's question
whether anything is unfinished) take the waiting rows into account (``waiting``); a node that
reads without knowing of them writes them first (``write_now``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

_PENDING = "_action_office_pending_task_rows"
_UNFINISHED = "_action_office_unfinished_tasks"


@dataclass
class _Rows:
    tasks: list[Any] = field(default_factory=list)
    links: list[tuple[Any, Any]] = field(default_factory=list)  # (task, one of its previous)


def _pending(process: Any) -> _Rows | None:
    rows: _Rows | None = getattr(process, _PENDING, None)
    return rows


@contextmanager
def written_together(process: Any) -> Iterator[None]:
    """Collect the process rows the nodes write inside; write them when the block ends.

    Must run inside the caller's transaction and lock; on an error nothing is written (the
    transaction rolls back anyway).
    """
    assert connection.in_atomic_block, "write a step's rows inside its transaction"
    if _pending(process) is not None:  # nested: the outer block writes
        yield
        return
    setattr(process, _PENDING, _Rows())
    try:
        yield
        write_now(process)
    finally:
        delattr(process, _PENDING)
        if hasattr(process, _UNFINISHED):
            delattr(process, _UNFINISHED)  # true of this step only


def save(task: Any) -> None:
    """``task.save()``, now or with the step's other rows."""
    rows = _pending(task.process)
    if rows is None:
        task.save()
        return
    if task.pk is None and any(
        t.pk is None and t.flow_task == task.flow_task and t is not task for t in rows.tasks
    ):
        write_now(task.process)  # new rows are told apart by their node (see _write)
        rows = _pending(task.process)
        assert rows is not None
    if not any(t is task for t in rows.tasks):
        rows.tasks.append(task)


def link(task: Any, previous: Any) -> None:
    """``task.previous.add(previous)``, now or with the step's other rows."""
    rows = _pending(task.process)
    if rows is None:
        task.previous.add(previous)
    else:
        rows.links.append((task, previous))


def waiting(process: Any) -> dict[int, Any]:
    """The stored tasks whose new values wait here, by id (a read must take these instead)."""
    rows = _pending(process)
    return {t.pk: t for t in rows.tasks if t.pk is not None} if rows else {}


def remember_unfinished(process: Any, tasks: list[Any]) -> None:
    """The process's unfinished tasks as read under the lock by a node of this step (kept for
    the step's ``written_together`` block only)."""
    if _pending(process) is not None:
        setattr(process, _UNFINISHED, tasks)


def unfinished_read(process: Any) -> list[Any] | None:
    """The unfinished tasks a node of this step read (``remember_unfinished``), or None."""
    known: list[Any] | None = getattr(process, _UNFINISHED, None)
    return known


def write_now(process: Any) -> None:
    """Write the rows waiting for ``process`` (if any) now."""
    rows = _pending(process)
    if rows is None or not (rows.tasks or rows.links):
        return
    tasks, links = rows.tasks, rows.links
    rows.tasks, rows.links = [], []
    _write(tasks, links)


def _columns(task_class: Any) -> list[Any]:
    return [f for f in task_class._meta.concrete_fields if not f.primary_key]


def _write(tasks: list[Any], links: list[tuple[Any, Any]]) -> None:
    task_class = type(tasks[0]) if tasks else type(links[0][0])
    table = connection.ops.quote_name(task_class._meta.db_table)
    through = task_class.previous.through
    link_table = connection.ops.quote_name(through._meta.db_table)
    postgres = connection.vendor == "postgresql"
    columns = _columns(task_class)
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    sql, params = "", []
    if tasks:
        values = []
        for task in tasks:
            new = task.pk is None
            if task.flow_task and not task.flow_task_type:  # as Task.save
                task.flow_task_type = task.flow_task.task_type
            row = [f.get_db_prep_save(f.pre_save(task, new), connection) for f in columns]
            key = ("DEFAULT" if postgres else "NULL") if new else "%s"
            values.append(f"({key}, {', '.join(['%s'] * len(row))})")
            params += ([] if new else [task.pk]) + row
        quoted = [connection.ops.quote_name(f.column) for f in columns]
        updates = ", ".join(f"{q} = EXCLUDED.{q}" for q in quoted)
        sql = (
            f"INSERT INTO {table} (id, {names}) VALUES {', '.join(values)} "
            f"ON CONFLICT (id) DO UPDATE SET {updates} RETURNING id, flow_task"
        )
    node_field = task_class._meta.get_field("flow_task")

    def node(task: Any) -> str:
        return str(node_field.get_db_prep_save(task.flow_task, connection))

    new_by_node = {node(t): t for t in tasks if t.pk is None}
    if postgres and tasks and links:
        # The links of new tasks take their ids from the insert, found by their node.
        def end(task: Any) -> tuple[str, list[Any]]:
            if task.pk is None:
                return "(SELECT id FROM t WHERE flow_task = %s)", [node(task)]
            return "%s", [task.pk]

        selects = []
        for task, previous in links:
            (a, a_params), (b, b_params) = end(task), end(previous)
            selects.append(f"SELECT {a}, {b}")
            params += a_params + b_params
        sql = (
            f"WITH t AS ({sql}), l AS (INSERT INTO {link_table} (from_task_id, to_task_id) "
            f"{' UNION ALL '.join(selects)} ON CONFLICT DO NOTHING) SELECT id, flow_task FROM t"
        )
        links = []
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            returned = cursor.fetchall()
        for pk, name in returned:
            if name in new_by_node:
                new_by_node[name].pk = pk
                new_by_node[name]._state.adding = False
                new_by_node[name]._state.db = connection.alias
    if links:
        through.objects.bulk_create(
            [through(from_task_id=a.pk, to_task_id=b.pk) for a, b in links],
            ignore_conflicts=True,
        )
