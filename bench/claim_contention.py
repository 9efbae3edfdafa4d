"""Claims per second under contention on PostgreSQL, next to the raw row-lock rate.

W threads, each with its own database connection and each a different group 2 member of one
office, claim the same sequence of triage tasks in lockstep: every task sees W concurrent
claimers and exactly one of them wins. A claim attempt is what every front does for a request:
the permission-checked fetch (``workflows.selectors.task_get_for_user``) and the real service
(``workflows.services.task_claim``); the user and their seats are loaded once per claimer, as a
request loads them once. Raw and claim runs alternate (``--repeat``) and their medians are
compared; ``--breakdown`` adds where an attempt's time goes, and ``--processes`` repeats the
runs with claimers as processes instead of threads.

In the same run, the same W threads do the same id pattern on a plain table with nothing but
``BEGIN; SELECT ... FOR UPDATE; UPDATE ... WHERE owner IS NULL; COMMIT`` (psycopg): the rate the
database itself allows, which no claim through the flow can beat.

Both of viewflow's row locks are measured: ``SelectForUpdateLock(nowait=False)`` (claimers wait
in line for the process row) and viewflow's default ``select_for_update_lock`` (NOWAIT: a lost
lock fails at once and retries after a random back-off of 0.4-1.6 s, up to five attempts).

    .venv/bin/python bench/claim_contention.py [--workers 8] [--tasks 200] [--repeat 3]
        [--nowait-tasks 40] [--breakdown 30] [--processes] [--json]

The run creates a throwaway database (see ``--postgres``/``--db-name``), migrates it, builds its
data through the real services, prints Markdown tables and drops the database.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import _common as common

RAW_TABLE = "bench_raw_claim"


@dataclass
class Attempt:
    task: int
    claimer: int
    outcome: str  # won | taken (saw it claimed) | busy (lock not had) | error
    seconds: float


@dataclass
class Run:
    label: str
    workers: int
    tasks: int
    elapsed: float
    cpu: float  # this process's CPU seconds (all threads): the Python side of the run
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def outcomes(self) -> Counter[str]:
        return Counter(a.outcome for a in self.attempts)

    @property
    def claims_per_second(self) -> float:
        return self.outcomes["won"] / self.elapsed if self.elapsed else 0.0

    @property
    def attempts_per_second(self) -> float:
        return len(self.attempts) / self.elapsed if self.elapsed else 0.0

    def latency(self, outcome: str) -> common.Distribution:
        return common.Distribution.of([a.seconds for a in self.attempts if a.outcome == outcome])

    def exactly_once(self) -> bool:
        winners = Counter(a.task for a in self.attempts if a.outcome == "won")
        return (
            len(self.attempts) == self.workers * self.tasks
            and len(winners) == self.tasks
            and set(winners.values()) == {1}
            and not self.outcomes["error"]
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "workers": self.workers,
            "tasks": self.tasks,
            "elapsed_s": self.elapsed,
            "claims_per_s": self.claims_per_second,
            "attempts_per_s": self.attempts_per_second,
            "cpu_ms_per_task": self.cpu / self.tasks * 1000,
            "outcomes": dict(self.outcomes),
            "exactly_once": self.exactly_once(),
            "winner_latency_s": self.latency("won").as_dict(),
            "loser_latency_s": self.latency("taken").as_dict(),
        }


@dataclass
class Lockstep:
    """Every claimer attempts task 1, all at once; then task 2; and so on.

    Claimers are threads of this process (the default) or, with ``processes``, processes of
    their own, as a deployment's worker processes are: threads share one interpreter lock,
    which the database's own claimers (the raw run) barely touch but the ORM does.
    ``setup`` runs in the claimer before the clock starts (connections are opened there); the
    clock runs from the first release of the start line to the last attempt's end.
    """

    label: str
    claimers: Sequence[int]
    task_ids: Sequence[int]
    setup: Callable[[int], Any]
    attempt: Callable[[Any, int], str]
    teardown: Callable[[Any], None]
    processes: bool = False

    def run(self) -> Run:
        return self._processes() if self.processes else self._threads()

    def _work(self, claimer: int, barrier: Any) -> tuple[list[Attempt], float, float]:
        """One claimer's attempts, its end time and the CPU seconds it used after the start."""
        context = self.setup(claimer)
        mine: list[Attempt] = []
        cpu = 0.0
        try:
            for n, task in enumerate(self.task_ids):
                barrier.wait(timeout=120)
                if n == 0:
                    cpu = time.process_time()
                t0 = time.perf_counter()
                try:
                    outcome = self.attempt(context, task)
                except Exception as exc:  # recorded and reported: the run then fails
                    common.log(f"{self.label}: claimer {claimer}, task {task}: {exc!r}")
                    outcome = "error"
                mine.append(Attempt(task, claimer, outcome, time.perf_counter() - t0))
        except threading.BrokenBarrierError:
            pass
        finally:
            done = time.perf_counter()
            cpu = time.process_time() - cpu
            self.teardown(context)
        return mine, done, cpu

    def _threads(self) -> Run:
        started: list[float] = []
        finished: list[float] = []
        attempts: list[Attempt] = []
        lock = threading.Lock()
        cpu_started: list[float] = []

        def first_release() -> None:
            if not started:
                started.append(time.perf_counter())
                cpu_started.append(time.process_time())

        barrier = threading.Barrier(len(self.claimers), action=first_release)

        def work(claimer: int) -> None:
            mine, done, _ = self._work(claimer, barrier)
            with lock:
                attempts.extend(mine)
                finished.append(done)

        threads = [threading.Thread(target=work, args=(c,)) for c in self.claimers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # All threads share this process: its CPU time is theirs.
        cpu = time.process_time() - cpu_started[0] if cpu_started else 0.0
        elapsed = max(finished) - started[0] if started and finished else 0.0
        return Run(self.label, len(self.claimers), len(self.task_ids), elapsed, cpu, attempts)

    def _processes(self) -> Run:
        import multiprocessing

        from django.db import connections

        connections.close_all()  # a forked child must open its own
        # A pool's open sockets would be shared by every child after the fork (their replies
        # interleave: one child read another's row). Close it; each child makes its own.
        for connection in connections.all():
            if hasattr(connection, "close_pool"):
                connection.close_pool()
        context = multiprocessing.get_context("fork")
        start = context.Value("d", 0.0)

        def first_release() -> None:
            with start.get_lock():
                if not start.value:
                    start.value = time.perf_counter()  # CLOCK_MONOTONIC: one clock for all

        barrier = context.Barrier(len(self.claimers), action=first_release)
        results = context.Queue()

        def work(claimer: int) -> None:
            results.put(self._work(claimer, barrier))

        children = [context.Process(target=work, args=(c,)) for c in self.claimers]
        for child in children:
            child.start()
        outcomes = [results.get(timeout=600) for _ in children]
        for child in children:
            child.join()
        attempts = [a for mine, _, _ in outcomes for a in mine]
        elapsed = max(done for _, done, _ in outcomes) - start.value
        cpu = sum(cpu for _, _, cpu in outcomes)
        return Run(self.label, len(self.claimers), len(self.task_ids), elapsed, cpu, attempts)


# -- the raw lock ----------------------------------------------------------------------------------


def raw_run(url: str, claimers: Sequence[int], tasks: int, *, processes: bool = False) -> Run:
    """The same W threads and id pattern on a plain table: the database's own ceiling."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        conn.execute(f"CREATE TABLE {RAW_TABLE} (id bigint PRIMARY KEY, owner bigint)")
        conn.execute(
            f"INSERT INTO {RAW_TABLE} (id) SELECT g FROM generate_series(1, %s) AS g", (tasks,)
        )
        conn.execute(f"ANALYZE {RAW_TABLE}")

    def setup(claimer: int) -> tuple[int, Any]:
        return claimer, psycopg.connect(url, autocommit=True)

    def attempt(context: tuple[int, Any], task: int) -> str:
        claimer, conn = context
        conn.execute("BEGIN")
        conn.execute(f"SELECT id FROM {RAW_TABLE} WHERE id = %s FOR UPDATE", (task,))
        cursor = conn.execute(
            f"UPDATE {RAW_TABLE} SET owner = %s WHERE id = %s AND owner IS NULL", (claimer, task)
        )
        won = cursor.rowcount == 1
        conn.execute("COMMIT")
        return "won" if won else "taken"

    def teardown(context: tuple[int, Any]) -> None:
        context[1].close()

    label = RAW_LABEL + (PROCESSES if processes else "")
    return Lockstep(
        label, claimers, list(range(1, tasks + 1)), setup, attempt, teardown, processes
    ).run()


# -- the service -----------------------------------------------------------------------------------


def service_run(
    label: str,
    claimers: Sequence[int],
    task_ids: Sequence[int],
    lock: Any,
    *,
    processes: bool = False,
) -> Run:
    from django.db import connection

    from casework.errors import Conflict
    from casework.models import User
    from workflows import selectors, services
    from workflows.flows import InterventionFlow

    def setup(claimer: int) -> Any:
        # Loaded once per thread, as a request loads its user once (with the user's seats).
        return User.objects.get(pk=claimer)

    def attempt(user: Any, task: int) -> str:
        case_task = selectors.task_get_for_user(user, task)
        try:
            services.task_claim(case_task=case_task, actor=user)
        except Conflict as conflict:
            # A lost race says who holds the task (status); a lock not had says to try again.
            return "taken" if "status" in conflict.extra else "busy"
        return "won"

    def teardown(_user: Any) -> None:
        connection.close()

    previous = InterventionFlow.lock_impl
    InterventionFlow.lock_impl = lock
    try:
        return Lockstep(label, claimers, task_ids, setup, attempt, teardown, processes).run()
    finally:
        InterventionFlow.lock_impl = previous


def check_database(run: Run, task_ids: Sequence[int]) -> bool:
    """The rows agree with the threads: one owner and one ``task_claimed`` event per task."""
    from casework.models import CaseEvent
    from workflows.models import CaseTask

    case_task = CaseTask.objects.filter(pk__in=task_ids).select_related("task")
    owners = {t.pk: t.task.owner_id for t in case_task}
    winners = {a.task: a.claimer for a in run.attempts if a.outcome == "won"}
    events = CaseEvent.objects.filter(name="task_claimed", data__task__in=list(task_ids)).count()
    return owners == winners and events == len(task_ids)


def breakdown(url: str, claimers: Sequence[int], task_ids: Sequence[int]) -> list[list[str]]:
    """Where a claim's time goes, without contention: CPU and queries per step, one thread."""
    import psycopg
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.errors import Conflict
    from casework.models import User
    from workflows import selectors, services

    users = [User.objects.get(pk=pk) for pk in claimers]
    steps: dict[str, list[tuple[float, float, int]]] = {}

    def timed(step: str, call: Callable[[], Any]) -> Any:
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                result = call()
            except Conflict:
                result = None
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        steps.setdefault(step, []).append((cpu, wall, len(queries.captured_queries)))
        return result

    for task in task_ids:
        for n, user in enumerate(users):
            case_task = timed(
                "fetch (task_get_for_user)",
                functools.partial(selectors.task_get_for_user, user, task),
            )
            step = "task_claim, winner" if n == 0 else "task_claim, loser (409)"
            timed(step, functools.partial(services.task_claim, case_task=case_task, actor=user))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"UPDATE {RAW_TABLE} SET owner = NULL")
        for task in range(1, len(task_ids) + 1):
            for n, claimer in enumerate(claimers):
                cpu, wall = time.process_time(), time.perf_counter()
                conn.execute("BEGIN")
                conn.execute(f"SELECT id FROM {RAW_TABLE} WHERE id = %s FOR UPDATE", (task,))
                conn.execute(
                    f"UPDATE {RAW_TABLE} SET owner = %s WHERE id = %s AND owner IS NULL",
                    (claimer, task),
                )
                conn.execute("COMMIT")
                step = "raw attempt, winner" if n == 0 else "raw attempt, loser"
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                steps.setdefault(step, []).append((cpu, wall, 4))
    rows = []
    for step, samples in steps.items():
        rows.append(
            [
                step,
                str(len(samples)),
                f"{statistics.fmean(s[0] for s in samples) * 1000:.2f}",
                f"{statistics.fmean(s[1] for s in samples) * 1000:.2f}",
                f"{statistics.fmean(s[2] for s in samples):.0f}",
            ]
        )
    return rows


# -- the report ------------------------------------------------------------------------------------

WAIT_LABEL = "task_claim, lock wait (nowait=False)"
NOWAIT_LABEL = "task_claim, NOWAIT + retries (viewflow default)"
RAW_LABEL = "raw SELECT … FOR UPDATE; UPDATE"
PROCESSES = ", processes"


def median_rate(runs: Sequence[Run], label: str) -> float:
    rates = [r.claims_per_second for r in runs if r.label == label]
    return statistics.median(rates) if rates else math.nan


def summary(runs: Sequence[Run]) -> dict[str, float]:
    """Median claims/s of each kind of run, and the ratios the target is about."""
    numbers: dict[str, float] = {}
    for key, label in (
        ("raw", RAW_LABEL),
        ("wait", WAIT_LABEL),
        ("raw_processes", RAW_LABEL + PROCESSES),
        ("wait_processes", WAIT_LABEL + PROCESSES),
        ("nowait", NOWAIT_LABEL),
    ):
        numbers[f"{key}_claims_per_s"] = median_rate(runs, label)
    numbers["wait_ratio"] = numbers["wait_claims_per_s"] / numbers["raw_claims_per_s"]
    numbers["nowait_ratio"] = numbers["nowait_claims_per_s"] / numbers["raw_claims_per_s"]
    numbers["wait_processes_ratio"] = (
        numbers["wait_processes_claims_per_s"] / numbers["raw_processes_claims_per_s"]
    )
    return numbers


def _verdict(ratio: float) -> str:
    return f"{ratio:.0%} of raw: " + ("met" if ratio >= 0.25 else "MISSED")


def report(runs: list[Run], facts: dict[str, Any], args: Any) -> str:
    rows = []
    for run in runs:
        won = run.latency("won")
        lost = run.latency("taken")
        rows.append(
            [
                run.label,
                str(run.tasks),
                f"{run.elapsed:.2f}",
                f"{run.claims_per_second:.1f}",
                f"{run.attempts_per_second:.1f}",
                f"{run.cpu / run.tasks * 1000:.1f}",
                f"{won.p50 * 1000:.1f} / {won.p95 * 1000:.1f}",
                f"{lost.p50 * 1000:.1f} / {lost.p95 * 1000:.1f}",
                str(run.outcomes["busy"]),
                "yes" if run.exactly_once() else "NO",
            ]
        )
    out = [f"Machine: {common.facts_line(facts)}", ""]
    out.append(
        common.table(
            f"{args.workers} concurrent claimers per task, runs in the order made",
            [
                "run",
                "tasks",
                "seconds",
                "claims/s",
                "attempts/s",
                "CPU ms/task",
                "winner p50/p95 ms",
                "loser p50/p95 ms",
                "lock busy (409)",
                "exactly once",
            ],
            rows,
        )
    )
    numbers = summary(runs)
    out.append("Target: claim rate >= 25% of the raw lock rate (medians of the runs above).")
    out.append(
        f"- threads: lock wait {numbers['wait_claims_per_s']:.1f} vs raw "
        f"{numbers['raw_claims_per_s']:.1f} claims/s = {_verdict(numbers['wait_ratio'])}"
    )
    if not math.isnan(numbers["wait_processes_ratio"]):
        out.append(
            f"- processes: lock wait {numbers['wait_processes_claims_per_s']:.1f} vs raw "
            f"{numbers['raw_processes_claims_per_s']:.1f} claims/s = "
            f"{_verdict(numbers['wait_processes_ratio'])}"
        )
    if not math.isnan(numbers["nowait_ratio"]):
        out.append(
            f"- viewflow's NOWAIT lock (threads): {numbers['nowait_claims_per_s']:.1f} claims/s = "
            f"{_verdict(numbers['nowait_ratio'])}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=8, help="concurrent claimers (threads)")
    parser.add_argument("--tasks", type=int, default=200, help="tasks claimed per run")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="raw and lock-wait runs, alternated; the medians are compared",
    )
    parser.add_argument(
        "--processes",
        action="store_true",
        help="also run with claimers as processes rather than threads",
    )
    parser.add_argument(
        "--breakdown",
        type=int,
        default=30,
        help="tasks for the per-step breakdown (one thread, no contention); 0 skips it",
    )
    parser.add_argument(
        "--nowait-tasks",
        type=int,
        default=40,
        help="tasks for the NOWAIT lock's one run (it sleeps 0.4-1.6 s per lost lock); 0 skips",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or common.DEFAULT_REDIS,
        help="Redis for the channel layer, as deployed (default: REDIS_URL or %(default)s)",
    )
    parser.add_argument(
        "--no-redis", action="store_true", help="use the in-memory channel layer instead"
    )
    common.add_common_arguments(parser, db_prefix="bench_claims")
    args = parser.parse_args(argv)
    if args.workers < 2 or args.tasks < 1 or args.repeat < 1:
        parser.error("--workers must be at least 2, --tasks and --repeat at least 1")
    quiet = args.json
    redis_url = None if args.no_redis else args.redis_url
    os.environ["CHANNELS_PREFIX"] = f"bench-{args.db_name}"
    server = common.server_url(args.postgres)

    with common.throwaway_database(server, args.db_name, keep=args.keep_db) as url:
        common.log(f"database {args.db_name}: migrating", quiet=quiet)
        common.setup_django(url, redis_url=redis_url)
        from viewflow.workflow import lock

        facts = common.machine_facts(server, redis_url)
        common.log("building the office and the tasks through the services", quiet=quiet)
        office = common.build_office("CLAIMS", pedagogues=args.workers)
        claimers = [u.pk for u in office.pedagogues]
        batches = [
            (
                common.flag_cases(office, args.tasks),
                common.flag_cases(office, args.tasks) if args.processes else [],
            )
            for _ in range(args.repeat)
        ]
        nowait_tasks = common.flag_cases(office, args.nowait_tasks)

        runs: list[Run] = []
        ok = True
        wait_lock = lock.SelectForUpdateLock(nowait=False)
        for n, (batch, process_batch) in enumerate(batches, start=1):
            common.log(f"round {n}/{args.repeat}: raw lock, then task_claim", quiet=quiet)
            runs.append(raw_run(url, claimers, args.tasks))
            wait = service_run(WAIT_LABEL, claimers, batch, wait_lock)
            runs.append(wait)
            ok = ok and check_database(wait, batch)
            if process_batch:
                runs.append(raw_run(url, claimers, args.tasks, processes=True))
                wait = service_run(
                    WAIT_LABEL + PROCESSES, claimers, process_batch, wait_lock, processes=True
                )
                runs.append(wait)
                ok = ok and check_database(wait, process_batch)
        if nowait_tasks:
            common.log("task_claim with viewflow's NOWAIT lock", quiet=quiet)
            nowait = service_run(NOWAIT_LABEL, claimers, nowait_tasks, lock.select_for_update_lock)
            runs.append(nowait)
            ok = ok and check_database(nowait, nowait_tasks)
        ok = ok and all(r.exactly_once() for r in runs)
        steps: list[list[str]] = []
        if args.breakdown:
            common.log("breakdown, one thread", quiet=quiet)
            steps = breakdown(url, claimers, common.flag_cases(office, args.breakdown))

    if args.json:
        numbers = summary(runs)
        common.dump_json(
            {
                "benchmark": "claim_contention",
                "machine": facts,
                "arguments": vars(args),
                "runs": [r.as_dict() for r in runs],
                **numbers,
                "target_met": numbers["wait_ratio"] >= 0.25,
                "target_met_processes": (
                    None
                    if math.isnan(numbers["wait_processes_ratio"])
                    else numbers["wait_processes_ratio"] >= 0.25
                ),
                "exactly_once": ok,
                "breakdown": [
                    dict(zip(["step", "n", "cpu_ms", "wall_ms", "queries"], row, strict=True))
                    for row in steps
                ],
            }
        )
    else:
        print(report(runs, facts, args))
        if steps:
            print()
            print(
                common.table(
                    "Per attempt, one thread, no contention (means)",
                    ["step", "n", "CPU ms", "wall ms", "queries"],
                    steps,
                )
            )
    if not ok:
        print("exactly-once VIOLATED: see the table", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
