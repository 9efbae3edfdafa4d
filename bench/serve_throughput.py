"""Claim throughput of the served product with one and with several ASGI worker processes.

Starts the web tier as deployed (production settings, PostgreSQL with the connection pool,
Redis), then keeps C clients busy for a fixed time, each on one keep-alive HTTP connection with
its own API token: every client claims its own triage task and releases it again, in a closed
loop (``POST /api/tasks/{id}/claim/``, ``POST /api/tasks/{id}/release/``), or reads
``GET /api/me/`` (``--path me``: the cheapest authenticated request, the floor), or, as the
office's teacher, flags a student nobody flagged yet (``--path flag``: ``POST /api/cases/``, each
student once; ``--flag-students`` are built per client). It counts the
answered requests per second, their latency, and the new PostgreSQL connections the workers
opened while the clients ran (``pg_stat_database.sessions``), per 100 requests.

Three servers can be compared:

- ``web``: tools/web.py, the production launcher — N uvicorn processes, each accepting on a
  listening socket of its own on the same port (``SO_REUSEPORT``: the kernel spreads the
  connections);
- ``uvicorn``: one ``uvicorn --workers N`` (N processes accepting on one shared socket);
- ``daphne``: N daphne processes on N ports, the clients spread over them in turn (what a
  balancer in front of them does).

    .venv/bin/python bench/serve_throughput.py --server web uvicorn --workers 1 2 [--clients 8]
        [--seconds 20] [--path claim|me|flag] [--json]

Per run it also reports how the server's CPU was shared among its worker processes (a worker
idle while another is saturated is the imbalance a shared socket gives), and, at the start and
at the end, the machine's own gain from a second process: two processes burning pure CPU in
parallel against one (``x2.00`` is two free cores) — the bound on what a second worker can give.

The run creates a throwaway database, builds its data through the real services, runs every
requested worker count in turn (alternating, ``--repeat`` times), prints Markdown tables and
drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import _common as common


@dataclass
class Client:
    token: str
    task: int
    # ``--path flag``: the office teacher's token and students nobody flagged yet, used in turn.
    flag_token: str = ""
    students: list[int] = field(default_factory=list)
    flagged: int = 0


@dataclass
class Run:
    server: str
    workers: int
    path: str
    seconds: float = 0.0
    requests: int = 0
    total: int = 0  # every request the server answered, the warm-up's included
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    new_connections: int = 0
    load: float = 0.0
    cpu_seconds: float = 0.0  # of the server processes, while the requests were counted
    worker_cpu: list[float] = field(default_factory=list)  # each worker's share, same window
    # The rest of the machine in the same window, CPU seconds: PostgreSQL's processes, Redis,
    # this client, and the cores' idle time (what a second worker could still have used).
    elsewhere: dict[str, float] = field(default_factory=dict)
    sessions_ids: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _students(school: Any, count: int, client: int) -> list[int]:
    from casework.models import Student

    rows = [
        Student(
            school=school,
            code=f"F{client:03d}-{n:05d}",
            first_name="Ana",
            last_name=f"Flag{n}",
            class_name="9B",
        )
        for n in range(count)
    ]
    return [student.pk for student in Student.objects.bulk_create(rows)]


def build(clients: int, quiet: bool, flag_students: int = 0) -> list[Client]:
    """One office per two clients; each client a group 2 member with a triage task of its own."""
    from casework.services.accounts import api_token_issue

    built = []
    for i in range((clients + 1) // 2):
        office = common.build_office(f"T{i:04d}", pedagogues=2)
        tasks = common.flag_cases(office, 2)
        for member, task in zip(office.pedagogues, tasks, strict=True):
            built.append(Client(api_token_issue(user=member)[1], task))
            if flag_students:
                built[-1].flag_token = api_token_issue(user=office.teacher)[1]
                built[-1].students = _students(office.school, flag_students, len(built))
    common.log(f"  {len(built)} clients built", quiet=quiet)
    return built[:clients]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_commands(server: str, workers: int) -> list[tuple[list[str], int]]:
    """The processes to start and the port each listens on."""
    if server == "web":
        port = free_port()
        command = [
            str(common.ROOT / "tools" / "web.py"),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        ]
        return [([sys.executable, *command], port)]
    if server == "uvicorn":
        port = free_port()
        command = [
            *("-m", "uvicorn", "config.asgi:application"),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
            *("--no-access-log", "--log-level", "warning", "--lifespan", "off"),
        ]
        return [([sys.executable, *command], port)]
    if server == "daphne":
        out = []
        for _ in range(workers):
            port = free_port()
            command = ["-m", "daphne", "-v", "0", "-b", "127.0.0.1", "-p", str(port)]
            out.append(([sys.executable, *command, "config.asgi:application"], port))
        return out
    raise SystemExit(f"unknown server {server!r}")


def wait_healthy(port: int, process: subprocess.Popen[bytes], deadline: float) -> None:
    """Until ``GET /health/`` answers 200 (every worker has its pool open once it answers)."""
    import urllib.request

    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server on port {port} did not become healthy")
        time.sleep(0.2)


@contextmanager
def served(
    server: str, workers: int, env: dict[str, str], log_dir: str, sessions_ids: list[int]
) -> Iterator[list[int]]:
    processes: list[subprocess.Popen[bytes]] = []
    ports = []
    try:
        for n, (command, port) in enumerate(server_commands(server, workers)):
            log = open(os.path.join(log_dir, f"{server}-{workers}-{n}.log"), "ab")  # noqa: SIM115
            processes.append(
                subprocess.Popen(
                    command,
                    cwd=common.ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            ports.append(port)
            sessions_ids.append(processes[-1].pid)
        deadline = time.monotonic() + 90
        for process, port in zip(processes, ports, strict=True):
            wait_healthy(port, process, deadline)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# -- the clients ---------------------------------------------------------------------------------


async def read_response(reader: asyncio.StreamReader) -> int:
    """One HTTP/1.1 response (Content-Length or chunked); returns the status code."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    length = None
    chunked = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return int(status_line.split()[1])


async def client_loop(
    client: Client, port: int, path: str, stop: float, run: Run, counting: asyncio.Event
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    auth = f"Authorization: Token {client.token}\r\nHost: 127.0.0.1\r\n"
    if path == "flag":
        auth = f"Authorization: Token {client.flag_token}\r\nHost: 127.0.0.1\r\n"
    if path == "me":
        requests = [f"GET /api/me/ HTTP/1.1\r\n{auth}\r\n".encode()]
    elif path == "flag":
        requests = []  # one body per request: each flags a student nobody flagged yet
    else:
        requests = [
            (
                f"POST /api/tasks/{client.task}/{verb}/ HTTP/1.1\r\n{auth}"
                "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            ).encode()
            for verb in ("claim", "release")
        ]
    n = 0
    try:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            if path == "flag":
                if client.flagged >= len(client.students):
                    break
                payload = (
                    f'{{"student": {client.students[client.flagged]}, "reason": "Absent", '
                    '"functions": ["pedagogical"]}'
                ).encode()
                client.flagged += 1
                writer.write(
                    f"POST /api/cases/ HTTP/1.1\r\n{auth}Content-Type: application/json\r\n"
                    f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload
                )
            else:
                writer.write(requests[n % len(requests)])
            status = await read_response(reader)
            n += 1
            run.total += 1
            if counting.is_set():
                run.latencies.append(time.perf_counter() - started)
                run.requests += 1
                if status >= 400:
                    run.errors += 1
    finally:
        writer.close()


def server_cpu(session_ids: list[int]) -> float:
    """CPU seconds (user + system) used so far by every live process of the servers' sessions
    (each server is started in a session of its own; its workers inherit it)."""
    return sum(process_cpu(session_ids).values())


def process_cpu(session_ids: list[int]) -> dict[int, float]:
    """CPU seconds used so far by each live process of the servers' sessions, by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the name: state ppid pgrp session ... utime(12) stime(13)
        if int(fields[3]) in session_ids:
            out[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    return out


ELSEWHERE = {"postgres": "postgres", "redis-server": "redis"}


def machine_cpu() -> dict[str, float]:
    """CPU seconds so far of PostgreSQL's and Redis' processes, of this client, and the
    machine's idle time (all cores), to see where a request's time goes outside the workers."""
    tick = os.sysconf("SC_CLK_TCK")
    out = dict.fromkeys(ELSEWHERE.values(), 0.0)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                head, tail = f.read().rsplit(")", 1)
        except OSError:
            continue
        name = ELSEWHERE.get(head.split("(", 1)[1])
        if name:
            fields = tail.split()
            out[name] += (int(fields[11]) + int(fields[12])) / tick
    out["client"] = time.process_time()
    with open("/proc/stat") as f:
        fields = f.readline().split()
    out["idle"] = (int(fields[4]) + int(fields[5])) / tick  # idle + iowait
    return out


def worker_shares(
    before: dict[int, float],
    after: dict[int, float],
    seconds: float,
    leaders: list[int],
    count: int,
) -> list[float]:
    """The ``count`` busiest workers' CPU over the window, in % of one core. A session leader
    with processes under it is a supervisor (uvicorn --workers, tools/web.py), not a worker."""
    used = {pid: cpu - before.get(pid, 0.0) for pid, cpu in after.items()}
    workers = [pid for pid in used if pid not in leaders] or list(used)
    return sorted((100 * used[pid] / seconds for pid in workers), reverse=True)[:count]


CPU_LOOPS = 15_000_000  # about a second of one core on the machine we measure


def calibrate(rounds: int = 3) -> float:
    """The machine's gain from a second process, now: one process counting down
    ``CPU_LOOPS`` against two doing it at once, on the wall clock, the median of ``rounds``
    alternating measurements (x2.00: two free cores; the machine's other work moves it)."""
    command = [sys.executable, "-c", f"n = {CPU_LOOPS}\nwhile n:\n    n -= 1"]
    gains = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(command, check=True)
        single = time.perf_counter() - started
        started = time.perf_counter()
        pair = [subprocess.Popen(command) for _ in range(2)]
        for process in pair:
            process.wait()
        gains.append(2 * single / (time.perf_counter() - started))
    return statistics.median(gains)


def sessions(conn: Any, name: str) -> int:
    conn.execute("SELECT pg_stat_clear_snapshot()")
    row = conn.execute(
        "SELECT sessions FROM pg_stat_database WHERE datname = %s", (name,)
    ).fetchone()
    return int(row[0])


async def drive(
    clients: list[Client],
    ports: list[int],
    path: str,
    seconds: float,
    warmup: float,
    run: Run,
    stats: Any,
    db_name: str,
) -> None:
    counting = asyncio.Event()
    stop = time.perf_counter() + warmup + seconds
    loops = [
        asyncio.create_task(client_loop(c, ports[i % len(ports)], path, stop, run, counting))
        for i, c in enumerate(clients)
    ]
    await asyncio.sleep(warmup)
    counting.set()
    cpu_before = process_cpu(run.sessions_ids)
    machine_before = machine_cpu()
    started = time.perf_counter()
    await asyncio.gather(*loops)
    run.seconds = time.perf_counter() - started
    cpu_after = process_cpu(run.sessions_ids)
    machine_after = machine_cpu()
    run.elsewhere = {k: machine_after[k] - machine_before[k] for k in machine_after}
    run.cpu_seconds = sum(cpu_after.values()) - sum(cpu_before.values())
    run.worker_cpu = worker_shares(
        cpu_before, cpu_after, run.seconds, run.sessions_ids, run.workers
    )


def sessions_settled(conn: Any, name: str, previous: int) -> int:
    """A backend reports its session when it flushes its statistics, at the latest when it
    exits: read after the servers stopped, until the counter stops moving."""
    last, deadline = -1, time.monotonic() + 15
    while time.monotonic() < deadline:
        now = sessions(conn, name)
        if now == last and now > previous:
            return now
        last = now
        time.sleep(1)
    return last


# -- main ----------------------------------------------------------------------------------------


def report(runs: list[Run], facts: dict[str, Any], args: Any, calibration: list[float]) -> str:
    rows = []
    for r in runs:
        lat = common.Distribution.of(r.latencies)
        per100 = 100 * r.new_connections / r.total if r.total else float("nan")
        rows.append(
            [
                f"{r.server} x {r.workers}",
                r.path,
                str(r.requests),
                f"{r.rate:.1f}",
                f"{lat.p50 * 1000:.1f}",
                f"{lat.p95 * 1000:.1f}",
                str(r.errors),
                f"{r.new_connections} in {r.total} ({per100:.2f})",
                f"{1000 * r.cpu_seconds / r.requests:.1f}" if r.requests else "",
                " / ".join(f"{share:.0f}" for share in r.worker_cpu),
                " / ".join(
                    f"{1000 * r.elsewhere.get(k, 0.0) / r.requests:.1f}" if r.requests else ""
                    for k in ("postgres", "redis", "client")
                ),
                f"{100 * r.elsewhere.get('idle', 0.0) / r.seconds:.0f}" if r.seconds else "",
                f"{r.load:.2f}",
            ]
        )
    out = [common.facts_line(facts), ""]
    out.append(
        common.table(
            f"{args.clients} keep-alive clients, {args.seconds:.0f} s each",
            [
                "server x workers",
                "path",
                "n",
                "req/s",
                "p50 ms",
                "p95 ms",
                "errors",
                "new PG connections, whole run (per 100 requests)",
                "server CPU ms/request",
                "CPU per worker, % of a core",
                "PostgreSQL / Redis / client CPU ms/request",
                "idle, % of a core",
                "load 1m",
            ],
            rows,
        )
    )
    # Worker counts compared path by path: a claim's rate against a claim's.
    by_workers: dict[tuple[str, str, int], list[float]] = {}
    for r in runs:
        by_workers.setdefault((r.server, r.path, r.workers), []).append(r.rate)
    med = {k: statistics.median(v) for k, v in by_workers.items()}
    for server, path in sorted({k[:2] for k in med}):
        counts = sorted(w for s, p, w in med if (s, p) == (server, path))
        if len(counts) > 1:
            base = med[(server, path, counts[0])]
            for w in counts[1:]:
                out.append(
                    f"{server}, {path}: median {med[(server, path, w)]:.1f} req/s with {w} "
                    f"workers against {base:.1f} with {counts[0]}: x"
                    f"{med[(server, path, w)] / base:.2f}"
                )
    out.append(
        "calibration: two processes burning pure CPU against one, x"
        + " at the start, x".join(f"{x:.2f}" for x in calibration)
        + " at the end (the bound on what a second worker can give)"
    )
    return "\n".join(out)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwind: stop the servers, drop the database


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server", nargs="+", default=["web"], choices=["web", "uvicorn", "daphne"]
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=8.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--path", nargs="+", default=["claim"], choices=["claim", "me", "flag"])
    parser.add_argument(
        "--flag-students",
        type=int,
        default=1500,
        help="--path flag: students built per client, each flagged once (default: %(default)s)",
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or common.DEFAULT_REDIS)
    parser.add_argument("--log-dir", default="", help="keep the servers' logs there")
    common.add_common_arguments(parser, db_prefix="bench_serve")
    args = parser.parse_args(argv)
    quiet = args.json
    prefix = f"bench-{args.db_name}"
    os.environ["CHANNELS_PREFIX"] = prefix
    server = common.server_url(args.postgres)
    import psycopg

    runs: list[Run] = []
    with (
        common.throwaway_database(server, args.db_name, keep=args.keep_db) as url,
        tempfile.TemporaryDirectory(prefix="bench-serve-") as temp_dir,
    ):
        log_dir = args.log_dir or temp_dir
        common.setup_django(url, redis_url=args.redis_url)
        facts = common.machine_facts(server, args.redis_url)
        clients = build(args.clients, quiet, args.flag_students if "flag" in args.path else 0)
        from django.db import connections

        connections.close_all()
        env = {
            **os.environ,
            **common.BENCH_ENV,
            "DATABASE_URL": url,
            "REDIS_URL": args.redis_url,
            "CHANNELS_PREFIX": prefix,
        }
        calibration = [calibrate()]
        common.log(f"calibration: x{calibration[0]:.2f} for two CPU-bound processes", quiet=quiet)
        with psycopg.connect(common.database_url(server, "postgres"), autocommit=True) as stats:
            for _ in range(args.repeat):
                for srv in args.server:
                    for workers in args.workers:
                        for path in args.path:
                            run = Run(srv, workers, path, load=os.getloadavg()[0])
                            common.log(f"{srv} x {workers}, {path}", quiet=quiet)
                            before = sessions(stats, args.db_name)
                            with served(srv, workers, env, log_dir, run.sessions_ids) as ports:
                                asyncio.run(
                                    drive(
                                        clients,
                                        ports,
                                        path,
                                        args.seconds,
                                        args.warmup,
                                        run,
                                        stats,
                                        args.db_name,
                                    )
                                )
                            run.new_connections = (
                                sessions_settled(stats, args.db_name, before) - before
                            )
                            common.log(
                                f"  {run.rate:.1f} req/s, {run.errors} errors, "
                                f"{run.new_connections} new connections, CPU per worker "
                                + " / ".join(f"{c:.0f}%" for c in run.worker_cpu),
                                quiet=quiet,
                            )
                            runs.append(run)
        calibration.append(calibrate())
    text = report(runs, facts, args, calibration)
    if args.json:
        common.dump_json(
            {
                "facts": facts,
                "calibration_two_processes": calibration,
                "runs": [
                    {k: v for k, v in r.__dict__.items() if k != "latencies"}
                    | {"rate": r.rate, "latency": common.Distribution.of(r.latencies).as_dict()}
                    for r in runs
                ],
            }
        )
    else:
        print(text)
    return 1 if any(r.errors for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
