"""A county-sized rehearsal: the pages, lists and the nightly risk recompute as the data grows.

Builds a county in stages (by default 1, then 10, then 50 schools) and measures at each stage,
against the real server (the production launcher tools/web.py: 2 uvicorn workers, each with its
own listening socket; production settings, PostgreSQL, Redis):

- per school: an operational office (teacher, coordinator, two group 2 members, social,
  administration), ``--students`` students (2,000) and their signals — weekly attendance for
  ``--weeks`` weeks (104: two school years; about 10 M rows for 100,000 students) and monthly
  failing grades for the last six months; one student in twenty has slipped in the last
  month, so the watchlist has work. Students and signals are written with set-based SQL
  (``INSERT … SELECT generate_series``), the fastest way into the tables with their indexes
  and constraints in place, as an import leaves them;
- ``--cases`` open cases per school (200: 10,000 for 50 schools), flagged through the real
  service (``case_flag``: each case with its process, tasks, timeline and notifications), in
  ``--flag-processes`` processes at once, and a meeting scheduled in the first school;
- after each stage: ``ANALYZE``, the nightly ``manage.py recompute_risk`` (timed, a fresh
  process: wall and CPU time), then ``--sockets`` staff notification websockets (1,000, staff
  of every school, ``bench/scale_sockets.py``) opened and held open while each page is asked
  ``--requests`` times through one keep-alive connection, as the first school's users: task
  queue (page and API), case page (page and API), cases list, watchlist (own and school
  scope), dashboard, meeting page and agenda, student search (page and API); in process, each
  page's queries and the database's execution time of its reads (``EXPLAIN ANALYZE``).

    .venv/bin/python bench/scale.py [--stages 1 10 50] [--students 2000] [--weeks 104]
        [--cases 200] [--flag-processes 3] [--sockets 1000] [--requests 40]
        [--signals-budget 1800] [--json]

Building takes long on a small machine: ``--signals-budget`` (seconds for all signals)
stops writing signals when spent, and the report says how many were written. ``--keep-db``
keeps the county; ``--db-name NAME --reuse`` measures an existing one again without building:
recompute, sockets (their staff are made once and kept) and pages.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _common as common
from scale_sockets import Connected, staff_tokens
from serve_throughput import read_response, served

FIRST_NAMES = [
    "Maria", "Elena", "Ioana", "Andreea", "Alexandra", "Ana", "Mihaela", "Cristina", "Daniela",
    "Andrei", "Alexandru", "Mihai", "Ionuț", "Gabriel", "Ștefan", "Florin", "Vlad", "Darius",
]  # fmt: skip
LAST_NAMES = [
    "Popescu", "Ionescu", "Popa", "Pop", "Radu", "Dumitru", "Stan", "Stoica", "Gheorghe",
    "Matei", "Ciobanu", "Rusu", "Munteanu", "Constantin", "Moldovan", "Lungu", "Ene", "Marin",
    "Tudor", "Dinu", "Barbu", "Florea", "Sârbu", "Nistor", "Cristea", "Toma", "Zamfir",
]  # fmt: skip
PROGRAMMES = ["Mecanic auto", "Electrician", "Bucătar", "Ospătar", "Zidar", "Frizer", "Tâmplar"]


@dataclass
class SchoolUsers:
    school_id: int
    office_id: int
    teacher: Any
    coordinator: Any
    psychologist: Any


@dataclass
class Stage:
    schools: int
    students: int = 0
    signals: int = 0
    cases: int = 0
    build_seconds: dict[str, float] = field(default_factory=dict)
    recompute_seconds: float = 0.0
    recompute_cpu: float = 0.0
    recompute_output: str = ""
    load: float = 0.0
    pages: dict[str, dict[str, float]] = field(default_factory=dict)
    queries: dict[str, dict[str, Any]] = field(default_factory=dict)
    sockets: dict[str, Any] = field(default_factory=dict)


# -- building ------------------------------------------------------------------------------------


def build_school(n: int) -> SchoolUsers:
    from casework.models import Group, Office, School
    from casework.services.offices import membership_set

    code = f"C{n:03d}"
    school = School.objects.create(code=code, name=f"Liceul Tehnologic {code}", town="Județ")
    office = Office.objects.create(school=school, name=f"Biroul de acțiune {code}")

    def seat(name: str, group: Group, **extra: Any) -> Any:
        user = common.bench_user(f"{code}-{name}", school)
        membership_set(office=office, user=user, group=group, **extra)
        return user

    teacher = seat("teacher", Group.EDUCATORS)
    coordinator = seat("coordinator", Group.EDUCATORS, is_coordinator=True)
    psychologist = seat("psy0", Group.PEDAGOGY)
    seat("psy1", Group.PEDAGOGY)
    seat("social", Group.SOCIAL)
    seat("admin", Group.ADMINISTRATION)
    return SchoolUsers(school.pk, office.pk, teacher, coordinator, psychologist)


def insert_students(school_id: int, count: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO casework_student
                (school_id, code, first_name, last_name, class_name, programme, birth_date,
                 status, created_at)
            SELECT %(school)s, 'S' || lpad(g::text, 6, '0'),
                   (%(first)s::text[])[1 + (g * 7) %% array_length(%(first)s::text[], 1)],
                   (%(last)s::text[])[1 + (g * 13) %% array_length(%(last)s::text[], 1)]
                       || CASE WHEN g %% 3 = 0 THEN '' ELSE '-' || (g %% 97)::text END,
                   (9 + g %% 4)::text || chr(65 + g %% 5),
                   (%(programmes)s::text[])[1 + g %% array_length(%(programmes)s::text[], 1)],
                   date '2008-01-01' + (g %% 1400),
                   'enrolled', now()
            FROM generate_series(1, %(count)s) AS g
            """,
            {
                "school": school_id,
                "count": count,
                "first": FIRST_NAMES,
                "last": LAST_NAMES,
                "programmes": PROGRAMMES,
            },
        )


def insert_signals(school_id: int, weeks: int, today: datetime.date) -> int:
    """Weekly attendance for ``weeks`` weeks and monthly failing grades for six months, for
    every student of the school. One student in twenty has slipped in the last month."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO casework_signal
                (student_id, kind, value, text, text_key, note, observed_on, source,
                 created_at, updated_at)
            SELECT s.id, 'attendance',
                   CASE WHEN s.id %% 20 = 0 AND w < 5 THEN 55 + (s.id + w) %% 20
                        ELSE 80 + (s.id * 7 + w * 3) %% 21 END,
                   '', '', '', %(today)s::date - 7 * w, 'import', now(), now()
            FROM casework_student s, generate_series(0, %(weeks)s - 1) AS w
            WHERE s.school_id = %(school)s
            """,
            {"school": school_id, "weeks": weeks, "today": today},
        )
        written = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO casework_signal
                (student_id, kind, value, text, text_key, note, observed_on, source,
                 created_at, updated_at)
            SELECT s.id, 'grade_failures',
                   CASE WHEN s.id %% 20 = 0 AND m = 0 THEN 3 ELSE (s.id + m) %% 2 END,
                   '', '', '', %(today)s::date - 30 * m - 1, 'import', now(), now()
            FROM casework_student s, generate_series(0, 5) AS m
            WHERE s.school_id = %(school)s
            """,
            {"school": school_id, "today": today},
        )
        written += cursor.rowcount
    return written


def flag_cases(users: SchoolUsers, count: int, pool: Any = None, parts: int = 1) -> int:
    """Flag the school's first ``count`` students through the real service (``case_flag``:
    every case gets its process, tasks, timeline and notification rows), in the processes of
    ``pool`` when given (each flags every n-th student)."""
    from casework.models import Student

    ids = list(
        Student.objects.filter(school_id=users.school_id)
        .order_by("id")
        .values_list("pk", flat=True)[:count]
    )
    if pool is None:
        return _flag(users.teacher.pk, ids)
    return sum(pool.starmap(_flag, [(users.teacher.pk, ids[n::parts]) for n in range(parts)]))


def _flag(teacher_id: int, student_ids: list[int]) -> int:
    from casework.models import Student, User
    from workflows.services import case_flag

    teacher = User.objects.get(pk=teacher_id)
    for student in Student.objects.filter(pk__in=student_ids).select_related("school"):
        case_flag(
            student=student,
            actor=teacher,
            reason="Absent for three weeks",
            functions=["pedagogical"],
        )
    return len(student_ids)


def _flag_worker_setup(url: str, redis_url: str) -> None:
    """A flagging process (spawned, so nothing of the parent's connections is shared)."""
    common.setup_django(url, redis_url=redis_url)


def flag_pool(processes: int, url: str, redis_url: str) -> Any:
    if processes <= 1:
        return None
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    return context.Pool(processes, initializer=_flag_worker_setup, initargs=(url, redis_url))


def schedule_meeting(users: SchoolUsers) -> int:
    from django.utils import timezone

    from casework.models import Office
    from workflows import services

    meeting = services.meeting_schedule(
        office=Office.objects.get(pk=users.office_id),
        actor=users.coordinator,
        scheduled_for=timezone.now() + datetime.timedelta(days=2),
    )
    return int(meeting.pk)


def analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def recompute(env: dict[str, str]) -> tuple[float, float, str]:
    """Wall time, the process's own CPU time (what a loaded machine does not inflate as much)
    and its output."""
    import resource

    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "recompute_risk"],
        cwd=common.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    spent = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_spent = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    return spent, cpu_spent, done.stdout.strip()


# -- measuring -----------------------------------------------------------------------------------


def session_cookie(user: Any) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


def pages_of(first: SchoolUsers, meeting_id: int) -> dict[str, tuple[str, Any]]:
    """What is measured, as whom: label -> (path, user)."""
    from casework.models import Case

    case = Case.objects.filter(student__school_id=first.school_id).order_by("-id").first()
    assert case is not None
    return {
        "task queue (page)": ("/tasks/queue/", first.psychologist),
        "task queue (API, available)": ("/api/tasks/?scope=available", first.psychologist),
        "case page": (f"/cases/{case.pk}/", first.coordinator),
        "case (API)": (f"/api/cases/{case.pk}/", first.coordinator),
        "cases list (page)": ("/cases/", first.coordinator),
        "watchlist (page)": ("/students/watchlist/", first.psychologist),
        "watchlist, school (page)": ("/students/watchlist/?scope=school", first.psychologist),
        "watchlist (API)": ("/api/watchlist/", first.psychologist),
        "dashboard (page)": ("/office/", first.coordinator),
        "meeting page (agenda)": (f"/meetings/{meeting_id}/", first.coordinator),
        "agenda (API)": (f"/api/meetings/{meeting_id}/agenda/", first.coordinator),
        "student search (page)": ("/students/?q=Popescu", first.psychologist),
        "student search (API)": ("/api/students/?q=Popescu", first.psychologist),
    }


async def measure_served(
    port: int,
    pages: dict[str, tuple[str, Any]],
    credentials: dict[int, str],
    requests: int,
    socket_tokens: list[str],
) -> tuple[dict[str, dict[str, float]], dict[str, Any]]:
    """The staff's sockets opened first and held open while every page is measured."""
    connected = Connected()
    await connected.open(port, socket_tokens)
    measured = await measure_pages(port, pages, credentials, requests)
    return measured, (await connected.check_and_close()).__dict__


async def measure_pages(
    port: int, pages: dict[str, tuple[str, Any]], credentials: dict[int, str], requests: int
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for label, (path, user) in pages.items():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        if path.startswith("/api/"):
            auth = f"Authorization: Token {credentials[user.pk]}"
        else:
            auth = f"Cookie: sessionid={credentials[-user.pk]}"
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}\r\n\r\n".encode()
        samples = []
        statuses = set()
        for n in range(requests + 3):  # three warm-up requests
            started = time.perf_counter()
            writer.write(request)
            statuses.add(await read_response(reader))
            if n >= 3:
                samples.append(time.perf_counter() - started)
        writer.close()
        dist = common.Distribution.of(samples)
        out[label] = {
            "p50_ms": dist.p50 * 1000,
            "p95_ms": dist.p95 * 1000,
            "max_ms": dist.max * 1000,
            "status": max(statuses),
        }
    return out


def count_queries(
    pages: dict[str, tuple[str, Any]], credentials: dict[int, str]
) -> dict[str, dict[str, Any]]:
    """Queries per page and the database's share of the time, through Django's test client in
    this process (second visit): what grows with the data shows here first."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = {}
    for label, (path, user) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        headers: dict[str, Any] = {}
        if path.startswith("/api/"):
            headers["HTTP_AUTHORIZATION"] = f"Token {credentials[user.pk]}"
        else:
            client.force_login(user)
        client.get(path, **headers)
        with CaptureQueriesContext(connection) as captured:
            client.get(path, **headers)
        timed = sorted(
            ((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True
        )
        executed = explained(q["sql"] for q in captured.captured_queries)
        out[label] = {
            "queries": len(timed),
            "sql_ms": round(sum(t for t, _ in timed), 1),
            "slowest_ms": round(timed[0][0], 1) if timed else 0.0,
            "slowest_sql": timed[0][1][:300] if timed else "",
            # The database's own execution time of the page's reads (EXPLAIN ANALYZE): what
            # grows with the data, without the round trips and the machine's other load.
            "db_exec_ms": round(sum(ms for ms, _, _ in executed), 2),
            "worst_exec_ms": round(executed[0][0], 2) if executed else 0.0,
            "worst_rows_read": executed[0][2] if executed else 0,
            "worst_sql": executed[0][1][:400] if executed else "",
        }
    return out


def explained(statements: Any) -> list[tuple[float, str, int]]:
    """``(execution ms, sql, rows the plan read)`` of each read, slowest first."""
    from django.db import connection

    out = []
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.startswith("SELECT") or "FOR UPDATE" in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.replace("%", "%%"))
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            out.append((float(plan["Execution Time"]), sql, _rows_read(plan["Plan"])))
    return sorted(out, key=lambda t: t[0], reverse=True)


def _rows_read(node: dict[str, Any]) -> int:
    own = int(node.get("Actual Rows", 0) * node.get("Actual Loops", 1))
    if "Scan" in node.get("Node Type", ""):
        own += int(node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1))
    else:
        own = 0
    return own + sum(_rows_read(child) for child in node.get("Plans", []))


# -- main ----------------------------------------------------------------------------------------


def report(stages: list[Stage], facts: dict[str, Any], args: Any) -> str:
    out = [common.facts_line(facts), ""]
    rows = []
    for s in stages:
        rows.append(
            [
                str(s.schools),
                f"{s.students:,}",
                f"{s.signals:,}",
                f"{s.cases:,}",
                f"{s.recompute_seconds:.1f} ({s.recompute_cpu:.1f} CPU)",
                ", ".join(f"{k} {v:.0f} s" for k, v in s.build_seconds.items()),
                f"{s.load:.1f}",
            ]
        )
    out.append(
        common.table(
            "The county at each stage",
            ["schools", "students", "signals", "open cases", "recompute s", "built in", "load"],
            rows,
        )
    )
    labels = list(stages[0].pages)
    headers = ["page (first school's users)", *(f"{s.schools} sch. p50/p95" for s in stages)]
    rows = []
    for label in labels:
        row = [label]
        for s in stages:
            p = s.pages.get(label)
            row.append(f"{p['p50_ms']:.0f} / {p['p95_ms']:.0f}" if p else "")
        rows.append(row)
    out.append(common.table(f"Milliseconds over {args.requests} requests", headers, rows))
    rows = [
        [
            label,
            *(
                f"{s.queries[label]['queries']} / {s.queries[label]['db_exec_ms']:.1f}"
                if label in s.queries
                else ""
                for s in stages
            ),
        ]
        for label in labels
    ]
    out.append(
        common.table(
            "Queries per request / the database's execution time of its reads in ms "
            "(EXPLAIN ANALYZE, second visit)",
            ["page", *(f"{s.schools} sch." for s in stages)],
            rows,
        )
    )
    rows = [
        [
            str(s.schools),
            f"{s.sockets['opened']} / {s.sockets['wanted']}",
            f"{s.sockets['open_seconds']:.1f}",
            f"{s.sockets['open_ms_p50']:.0f} / {s.sockets['open_ms_p95']:.0f}",
            " + ".join(str(n) for n in s.sockets["per_worker"]),
            str(s.sockets["alive_at_end"]),
        ]
        for s in stages
        if s.sockets
    ]
    if rows:
        out.append(
            common.table(
                "Staff sockets held open while the pages were measured",
                ["schools", "opened", "all open in s", "each p50 / p95 ms", "per worker", "alive"],
                rows,
            )
        )
    rows = [
        [
            label,
            *(
                f"{s.queries[label]['worst_exec_ms']:.1f} / {s.queries[label]['worst_rows_read']:,}"
                if label in s.queries
                else ""
                for s in stages
            ),
        ]
        for label in labels
    ]
    out.append(
        common.table(
            "The slowest read of each page: execution ms / rows it touched",
            ["page", *(f"{s.schools} sch." for s in stages)],
            rows,
        )
    )
    return "\n".join(out)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stages", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--students", type=int, default=2000, help="per school")
    parser.add_argument("--weeks", type=int, default=104, help="weeks of attendance")
    parser.add_argument("--cases", type=int, default=200, help="open cases per school")
    parser.add_argument(
        "--other-cases",
        type=int,
        default=None,
        help="open cases in every school but the first (default: --cases); flagging through "
        "the service is the slowest step of the build",
    )
    parser.add_argument(
        "--flag-processes",
        type=int,
        default=1,
        help="processes flagging the cases in parallel (each through the service)",
    )
    parser.add_argument("--requests", type=int, default=40, help="per page and stage")
    parser.add_argument(
        "--sockets",
        type=int,
        default=1000,
        help="staff notification websockets held open while the pages are measured",
    )
    parser.add_argument("--workers", type=int, default=2, help="web worker processes")
    parser.add_argument("--signals-budget", type=float, default=1800.0, help="seconds")
    parser.add_argument("--reuse", action="store_true", help="measure an existing county")
    parser.add_argument("--no-recompute", action="store_true")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or common.DEFAULT_REDIS)
    parser.add_argument("--out", default="", help="also write the JSON results to this file")
    common.add_common_arguments(parser, db_prefix="bench_scale")
    args = parser.parse_args(argv)
    quiet = args.json
    prefix = f"bench-{args.db_name}"
    os.environ["CHANNELS_PREFIX"] = prefix
    server = common.server_url(args.postgres)
    stages: list[Stage] = []

    def run(url: str) -> None:
        common.setup_django(url, redis_url=args.redis_url)
        facts.update(common.machine_facts(server, args.redis_url))
        from django.db import connections
        from django.utils import timezone

        from casework.models import Case, Signal, Student
        from casework.services.accounts import api_token_issue
        from workflows.models import Meeting

        env = {
            **os.environ,
            **common.BENCH_ENV,
            "DATABASE_URL": url,
            "REDIS_URL": args.redis_url,
            "CHANNELS_PREFIX": prefix,
        }
        today = timezone.localdate()
        from django.conf import settings
        from django.core.management import call_command

        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)  # pages need it
        schools: list[SchoolUsers] = []
        signals_spent = 0.0
        meeting_id = 0
        if args.reuse:
            from casework.models import Membership

            seat = Membership.objects.filter(is_coordinator=True).order_by("office_id").first()
            assert seat is not None, "--reuse: no county in this database"
            office = seat.office
            seated = {
                m.user.username.split("-", 1)[1]: m.user
                for m in Membership.objects.filter(office=office).select_related("user")
            }
            schools.append(
                SchoolUsers(
                    office.school_id,
                    office.pk,
                    seated["teacher"],
                    seated["coordinator"],
                    seated["psy0"],
                )
            )
            meeting = Meeting.objects.filter(office=office).first()
            meeting_id = meeting.pk if meeting else 0
            wanted = [int(Student.objects.values("school_id").distinct().count())]
        else:
            wanted = args.stages
        pool = None if args.reuse else flag_pool(args.flag_processes, url, args.redis_url)
        for target in wanted:
            stage = Stage(schools=target, load=os.getloadavg()[0])
            common.log(f"stage: {target} schools", quiet=quiet)
            while not args.reuse and len(schools) < target:
                n = len(schools)
                t0 = time.perf_counter()
                users = build_school(n)
                insert_students(users.school_id, args.students)
                t1 = time.perf_counter()
                if signals_spent < args.signals_budget:
                    insert_signals(users.school_id, args.weeks, today)
                    signals_spent += time.perf_counter() - t1
                t2 = time.perf_counter()
                wanted_cases = args.cases
                if n and args.other_cases is not None:
                    wanted_cases = args.other_cases
                connections.close_all()
                flag_cases(users, wanted_cases, pool, args.flag_processes)
                t3 = time.perf_counter()
                schools.append(users)
                if n == 0:
                    meeting_id = schedule_meeting(users)
                for key, spent in (("students", t1 - t0), ("signals", t2 - t1), ("cases", t3 - t2)):
                    stage.build_seconds[key] = stage.build_seconds.get(key, 0.0) + spent
                common.log(
                    f"  school {n + 1}: students {t1 - t0:.1f} s, signals {t2 - t1:.1f} s, "
                    f"{wanted_cases} cases {t3 - t2:.1f} s",
                    quiet=quiet,
                )
            if pool is not None and len(schools) >= max(wanted):
                pool.close()  # the county is built: its processes leave the measurements alone
                pool.join()
                pool = None
            stage.build_seconds["analyze"] = analyze()
            stage.students = Student.objects.count()
            stage.signals = Signal.objects.count()
            stage.cases = Case.objects.exclude(stage="archived").count()
            first = schools[0]
            pages = pages_of(first, meeting_id)
            credentials: dict[int, str] = {}
            for user in (first.teacher, first.coordinator, first.psychologist):
                credentials[user.pk] = api_token_issue(user=user)[1]
                credentials[-user.pk] = session_cookie(user)
            socket_tokens = staff_tokens(args.sockets)
            connections.close_all()
            if not args.no_recompute:
                common.log("  recompute_risk", quiet=quiet)
                stage.recompute_seconds, stage.recompute_cpu, stage.recompute_output = recompute(
                    env
                )
                common.log(
                    f"  {stage.recompute_output} ({stage.recompute_seconds:.1f} s with start-up, "
                    f"{stage.recompute_cpu:.1f} s of CPU)",
                    quiet=quiet,
                )
            stage.queries = count_queries(pages, credentials)
            connections.close_all()
            stage.load = os.getloadavg()[0]
            with tempfile.TemporaryDirectory(prefix="bench-scale-") as log_dir:
                sessions_ids: list[int] = []
                with served("web", args.workers, env, log_dir, sessions_ids) as ports:
                    stage.pages, stage.sockets = asyncio.run(
                        measure_served(ports[0], pages, credentials, args.requests, socket_tokens)
                    )
            sockets = stage.sockets
            common.log(
                f"  sockets: {sockets['opened']} of {sockets['wanted']} opened in "
                f"{sockets['open_seconds']:.1f} s (each p50 {sockets['open_ms_p50']:.0f} ms, p95 "
                f"{sockets['open_ms_p95']:.0f} ms; per worker {sockets['per_worker']}), "
                f"{sockets['alive_at_end']} still open at the end, {sockets['frames']} frames"
                + (f"; errors {sockets['errors']}" if sockets["errors"] else ""),
                quiet=quiet,
            )
            for label, p in stage.pages.items():
                common.log(
                    f"  {label}: p50 {p['p50_ms']:.0f} ms, p95 {p['p95_ms']:.0f} ms "
                    f"({stage.queries[label]['queries']} queries, SQL "
                    f"{stage.queries[label]['sql_ms']} ms, executing "
                    f"{stage.queries[label]['db_exec_ms']} ms, HTTP {p['status']:.0f})",
                    quiet=quiet,
                )
            stages.append(stage)
            if args.out:
                with open(args.out, "w") as f:
                    json.dump({"facts": facts, "stages": [s.__dict__ for s in stages]}, f, indent=1)

    facts: dict[str, Any] = {}
    if args.reuse:
        common.setup_django(common.database_url(server, args.db_name), redis_url=args.redis_url)
        run(common.database_url(server, args.db_name))
    else:
        with common.throwaway_database(server, args.db_name, keep=args.keep_db) as url:
            run(url)
    text = report(stages, facts, args)
    if args.json:
        common.dump_json({"facts": facts, "stages": [s.__dict__ for s in stages]})
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
