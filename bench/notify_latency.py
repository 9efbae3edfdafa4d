"""Notification latency: from the API call that claims a task to the frame at another client.

N websocket clients (token auth) are split across W daphne workers that share PostgreSQL and
Redis (``--server web``: the production launcher, tools/web.py, W uvicorn workers on one port,
the kernel choosing each connection's worker). The topology is the common case of a claim: N/2
offices, each with two group 2 members; a case flagged in each office offers its triage task to
both. One member of each pair claims through the HTTP API of one worker while the partner
listens on another worker, so every claim notifies exactly one other client, always across
workers (through Redis). Latency is measured from the start of the API request and from the
notification's own ``created_at`` (stamped by the server inside the claim's transaction, before
the INSERT and the COMMIT; same machine, same clock).

In the same run, the raw Redis PUBLISH -> SUBSCRIBE round-trip (redis-py, asyncio, same
process and event loop as the websocket clients) is sampled while idle and while the claims
run: the floor no notification through Redis can beat.

    .venv/bin/python bench/notify_latency.py [--clients 200] [--workers 2] [--rounds 5]
        [--concurrency 2] [--server daphne|web] [--json]

The run creates a throwaway database (see ``--postgres``/``--db-name``), migrates it, builds its
data through the real services, starts the daphne workers, prints Markdown tables, stops the
workers and drops the database.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import socket
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
class Member:
    user_id: int
    token: str
    worker: int


@dataclass
class Pair:
    claimer: Member
    listener: Member
    tasks: list[int]


@dataclass
class Claim:
    pair: int
    task: int
    status: int = 0
    started_wall: float = 0.0
    started: float = 0.0  # perf_counter
    answered: float = 0.0
    arrived: float = 0.0
    arrived_wall: float = 0.0
    created_at: float = 0.0

    @property
    def delivered(self) -> bool:
        return self.arrived > 0

    @property
    def from_request(self) -> float:
        return self.arrived - self.started

    @property
    def from_created(self) -> float:
        return self.arrived_wall - self.created_at

    @property
    def response(self) -> float:
        return self.answered - self.started


@dataclass
class Results:
    claims: list[Claim] = field(default_factory=list)
    redis_idle: list[float] = field(default_factory=list)
    redis_loaded: list[float] = field(default_factory=list)
    pushes: list[float] = field(default_factory=list)  # group_send -> frame
    strays: int = 0  # task.claimed frames that reached anyone but the partner
    connect_seconds: float = 0.0
    claim_seconds: float = 0.0


# -- setup -----------------------------------------------------------------------------------------


def build(pairs: int, rounds: int, workers: int, quiet: bool) -> list[Pair]:
    """``pairs`` offices, two group 2 members each, ``rounds`` triage tasks per office."""
    from casework.services.accounts import api_token_issue

    built = []
    for i in range(pairs):
        if i and i % 20 == 0:
            common.log(f"  {i}/{pairs} offices", quiet=quiet)
        office = common.build_office(f"N{i:04d}", pedagogues=2)
        first, second = office.pedagogues
        tasks = common.flag_cases(office, rounds)
        claimer = Member(first.pk, api_token_issue(user=first)[1], i % workers)
        listener = Member(second.pk, api_token_issue(user=second)[1], (i + 1) % workers)
        built.append(Pair(claimer, listener, tasks))
    return built


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def daphne_workers(count: int, env: dict[str, str], log_dir: str) -> Iterator[list[int]]:
    """``count`` daphne processes serving the project on their own ports."""
    ports = [_free_port() for _ in range(count)]
    processes: list[subprocess.Popen[bytes]] = []
    logs = []
    try:
        for n, port in enumerate(ports):
            log = open(os.path.join(log_dir, f"daphne-{n}.log"), "wb")  # noqa: SIM115
            logs.append(log)
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "daphne",
                        "-b",
                        "127.0.0.1",
                        "-p",
                        str(port),
                        "config.asgi:application",
                    ],
                    cwd=common.ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 60
        for process, port in zip(processes, ports, strict=True):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        output = open(logs[ports.index(port)].name, "rb").read()  # noqa: SIM115
                        raise RuntimeError(
                            f"daphne on port {port} did not start:\n{output.decode()[-3000:]}"
                        ) from None
                    time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


@contextmanager
def served_by(server: str, count: int, env: dict[str, str], log_dir: str) -> Iterator[list[int]]:
    """The workers' ports, one per worker (``web``: the one port, ``count`` times)."""
    if server == "daphne":
        with daphne_workers(count, env, log_dir) as ports:
            yield ports
        return
    from serve_throughput import served

    with served(server, count, env, log_dir, []) as ports:
        yield ports * count


def forget_channels(redis_url: str, prefix: str) -> None:
    """Drop what the workers left in Redis under this run's channel prefix."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


# -- the clients -------------------------------------------------------------------------------


async def post(port: int, path: str, token: str) -> int:
    """A bare HTTP/1.1 POST with an empty JSON body; returns the status code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Token {token}\r\nContent-Type: application/json\r\n"
            "Content-Length: 2\r\nConnection: close\r\n\r\n{}"
        )
        writer.write(request.encode())
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # to the end: the response is complete
        return int(status_line.split()[1])
    finally:
        writer.close()
        await writer.wait_closed()


class Clients:
    """Every member's socket, and where each claim's frame arrived."""

    def __init__(self, pairs: list[Pair], ports: list[int]) -> None:
        self.pairs = pairs
        self.ports = ports
        self.pending: dict[int, Claim] = {}  # task id -> claim waiting for its frame
        self.pings: dict[int, asyncio.Future[float]] = {}  # ping id -> its arrival time
        self.partner_of_task: dict[int, int] = {}  # task id -> listener user id
        self.backlog_seen: dict[int, int] = {}
        self.strays = 0
        self.handshake_retries = 0
        self.sockets: list[Any] = []
        self.readers: list[asyncio.Task[None]] = []
        self.all_backlogs = asyncio.Event()
        self.expected_backlog = sum(2 * len(p.tasks) for p in pairs)
        self.backlog_total = 0
        for pair in pairs:
            for task in pair.tasks:
                self.partner_of_task[task] = pair.listener.user_id

    async def connect_all(self, parallel: int = 20) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import InvalidMessage

        gate = asyncio.Semaphore(parallel)

        async def open_one(member: Member) -> None:
            async with gate:
                url = f"ws://127.0.0.1:{self.ports[member.worker]}/ws/notifications/"
                for attempt in range(5):
                    try:
                        conn = await connect(
                            f"{url}?token={member.token}", proxy=None, open_timeout=60
                        )
                        break
                    except (OSError, InvalidMessage):
                        # daphne drops a handshake its application has not accepted within
                        # 5 s: on a loaded machine, with a queue of handshakes, try again.
                        if attempt == 4:
                            raise
                        self.handshake_retries += 1
                        await asyncio.sleep(1)
            self.sockets.append(conn)
            self.readers.append(asyncio.create_task(self.read(member, conn)))

        members = [m for p in self.pairs for m in (p.claimer, p.listener)]
        await asyncio.gather(*(open_one(m) for m in members))

    async def read(self, member: Member, conn: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in conn:
                arrived, arrived_wall = time.perf_counter(), time.time()
                message = json.loads(raw)
                kind, task = message.get("type"), message.get("task")
                if kind == "task.available":
                    self.backlog_total += 1
                    if self.backlog_total >= self.expected_backlog:
                        self.all_backlogs.set()
                elif kind == "bench.ping":
                    future = self.pings.pop(int(message["ping"]), None)
                    if future is not None and not future.done():
                        future.set_result(arrived)
                elif kind == "task.claimed":
                    claim = self.pending.get(task)
                    if claim is None or self.partner_of_task.get(task) != member.user_id:
                        self.strays += 1
                        continue
                    claim.arrived, claim.arrived_wall = arrived, arrived_wall
                    created = datetime.datetime.fromisoformat(str(message["created_at"]))
                    claim.created_at = created.timestamp()
                    del self.pending[task]
        except ConnectionClosed:
            pass

    async def close(self) -> None:
        for conn in self.sockets:
            await conn.close()
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)


# -- Redis, raw ----------------------------------------------------------------------------------


async def redis_round_trips(redis_url: str, samples: int, *, pause: float = 0.0) -> list[float]:
    """PUBLISH a message, wait for it on a SUBSCRIBE connection; ``samples`` times, in turn."""
    import redis.asyncio as redis

    channel = f"bench-rtt-{os.getpid()}-{time.monotonic_ns()}"
    publisher = redis.Redis.from_url(redis_url)
    subscriber = redis.Redis.from_url(redis_url)
    pubsub = subscriber.pubsub()
    trips: list[float] = []
    try:
        await pubsub.subscribe(channel)
        while (await pubsub.get_message(timeout=1.0)) is None:
            pass  # the subscribe confirmation
        for _ in range(samples):
            started = time.perf_counter()
            await publisher.publish(channel, b"x")
            message = None
            while message is None:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
            trips.append(time.perf_counter() - started)
            if pause:
                await asyncio.sleep(pause)
    finally:
        await pubsub.aclose()
        await publisher.aclose()
        await subscriber.aclose()
    return trips


async def redis_round_trips_until(redis_url: str, stop: asyncio.Event) -> list[float]:
    """Round-trips every 10 ms until ``stop``: the Redis floor while the claims run."""
    trips: list[float] = []
    while not stop.is_set():
        trips.extend(await redis_round_trips(redis_url, 50, pause=0.01))
    return trips


async def push_latencies(clients: Clients, pairs: list[Pair], concurrency: int) -> list[float]:
    """The push path alone: ``group_send`` on the channel layer, as the server's push does, to
    each listener's group, until the frame arrives: Redis, the listener's worker, its check that
    the session stands and the notification is still the listener's to see, the socket. The
    check reads a stored row, so each ping is one (made before the clock starts)."""
    from asgiref.sync import sync_to_async
    from channels.layers import get_channel_layer

    from workflows.models import Notification
    from workflows.notify import user_channel_group

    layer = get_channel_layer()
    assert layer is not None
    loop = asyncio.get_running_loop()
    rows = await sync_to_async(Notification.objects.bulk_create)(
        [
            Notification(recipient_id=pair.listener.user_id, kind=Notification.Kind.TASK_CLAIMED)
            for pair in pairs
        ]
    )
    queue = list(enumerate(pairs))
    trips: list[float] = []

    async def sender() -> None:
        while queue:
            n, pair = queue.pop()
            arrival = loop.create_future()
            clients.pings[n] = arrival
            started = time.perf_counter()
            await layer.group_send(
                user_channel_group(pair.listener.user_id),
                {
                    "type": "notification.message",
                    "message": {"type": "bench.ping", "ping": n, "id": rows[n].pk},
                },
            )
            trips.append(await asyncio.wait_for(arrival, timeout=10) - started)

    await asyncio.gather(*(sender() for _ in range(concurrency)))
    return trips


# -- the run ---------------------------------------------------------------------------------------


async def run_claims(
    clients: Clients, pairs: list[Pair], ports: list[int], concurrency: int, timeout: float
) -> list[Claim]:
    """Every pair's claimer claims its tasks in turn; ``concurrency`` claims in flight at once."""
    work: asyncio.Queue[Claim] = asyncio.Queue()
    rounds = max(len(p.tasks) for p in pairs)
    for r in range(rounds):
        for i, pair in enumerate(pairs):
            if r < len(pair.tasks):
                work.put_nowait(Claim(pair=i, task=pair.tasks[r]))
    claims: list[Claim] = []

    async def claimer() -> None:
        while not work.empty():
            claim = work.get_nowait()
            pair = pairs[claim.pair]
            clients.pending[claim.task] = claim
            claim.started_wall, claim.started = time.time(), time.perf_counter()
            claim.status = await post(
                ports[pair.claimer.worker], f"/api/tasks/{claim.task}/claim/", pair.claimer.token
            )
            claim.answered = time.perf_counter()
            claims.append(claim)

    await asyncio.gather(*(claimer() for _ in range(concurrency)))
    deadline = time.perf_counter() + timeout
    while clients.pending and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    return claims


async def measure(args: Any, pairs: list[Pair], ports: list[int], redis_url: str) -> Results:
    results = Results()
    clients = Clients(pairs, ports)
    started = time.perf_counter()
    await clients.connect_all()
    if clients.handshake_retries:
        common.log(f"  {clients.handshake_retries} handshakes dropped by the server, retried")
    try:
        await asyncio.wait_for(clients.all_backlogs.wait(), timeout=120)
    except TimeoutError:
        common.log("not every backlog arrived; going on", quiet=args.json)
    results.connect_seconds = time.perf_counter() - started
    common.log(
        f"{len(clients.sockets)} sockets open in {results.connect_seconds:.1f}s; "
        "Redis round-trips, idle",
        quiet=args.json,
    )
    results.redis_idle = await redis_round_trips(redis_url, args.redis_samples)
    common.log("claims", quiet=args.json)
    stop = asyncio.Event()
    sampler = asyncio.create_task(redis_round_trips_until(redis_url, stop))
    started = time.perf_counter()
    results.claims = await run_claims(clients, pairs, ports, args.concurrency, timeout=10)
    results.claim_seconds = time.perf_counter() - started
    stop.set()
    results.redis_loaded = await sampler
    await asyncio.sleep(0.5)  # a late stray would show up now
    common.log("channel layer group_send -> frame", quiet=args.json)
    for _ in range(args.rounds):
        results.pushes.extend(await push_latencies(clients, pairs, args.concurrency))
    results.strays = clients.strays
    await clients.close()
    return results


def report(results: Results, facts: dict[str, Any], args: Any) -> tuple[str, dict[str, Any]]:
    ok = [c for c in results.claims if c.status == 200 and c.delivered]
    failed = [c for c in results.claims if c.status != 200]
    lost = [c for c in results.claims if c.status == 200 and not c.delivered]
    from_created = common.Distribution.of([c.from_created for c in ok])
    from_request = common.Distribution.of([c.from_request for c in ok])
    response = common.Distribution.of([c.response for c in results.claims if c.status == 200])
    idle = common.Distribution.of(results.redis_idle)
    loaded = common.Distribution.of(results.redis_loaded)
    pushes = common.Distribution.of(results.pushes)
    # Like for like: the notification's p99 against the Redis round-trip's p99.
    target_idle = 3 * idle.p99 + 0.010
    target_loaded = 3 * loaded.p99 + 0.010
    rate = len(results.claims) / results.claim_seconds if results.claim_seconds else 0.0

    out = [f"Machine: {common.facts_line(facts)}", ""]
    out.append(
        f"{args.clients} clients on {args.workers} {args.server} workers, "
        f"{len(results.claims)} claims "
        f"({args.concurrency} in flight) in {results.claim_seconds:.1f}s = {rate:.1f} claims/s; "
        f"{len(failed)} API errors, {len(lost)} frames lost, {results.strays} frames to anyone "
        "but the partner.\n"
    )
    out.append(
        common.table(
            "Latency, milliseconds",
            ["measured", "n", "p50", "p95", "p99", "max", "mean"],
            [
                from_created.row("notification created_at -> frame at the partner"),
                from_request.row("API request start -> frame at the partner"),
                response.row("API request start -> claim response"),
                pushes.row("channel layer group_send -> frame (the push path alone)"),
                idle.row("Redis PUBLISH -> SUBSCRIBE round-trip, idle"),
                loaded.row("Redis PUBLISH -> SUBSCRIBE round-trip, during the claims"),
            ],
        )
    )
    verdicts = []
    for label, dist in (("created_at", from_created), ("request start", from_request)):
        for base, target in (("idle", target_idle), ("during the claims", target_loaded)):
            met = dist.p99 <= target
            verdicts.append(
                f"- from {label}: p99 {dist.p99 * 1000:.1f} ms vs 3 x {base} Redis p99 + 10 ms = "
                f"{target * 1000:.1f} ms -> "
                + ("met" if met else f"MISSED by {(dist.p99 - target) * 1000:.1f} ms")
            )
    out.append("Target: notification p99 <= 3 x Redis round-trip (p99) + 10 ms.")
    out.extend(verdicts)
    data = {
        "benchmark": "notify_latency",
        "machine": facts,
        "arguments": vars(args),
        "claims": len(results.claims),
        "claims_per_s": rate,
        "api_errors": len(failed),
        "frames_lost": len(lost),
        "strays": results.strays,
        "connect_s": results.connect_seconds,
        "from_created_at_s": from_created.as_dict(),
        "from_request_s": from_request.as_dict(),
        "response_s": response.as_dict(),
        "group_send_to_frame_s": pushes.as_dict(),
        "redis_idle_s": idle.as_dict(),
        "redis_during_claims_s": loaded.as_dict(),
        "target_idle_s": target_idle,
        "target_during_claims_s": target_loaded,
    }
    return "\n".join(out), data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="websocket clients (even)")
    parser.add_argument("--workers", type=int, default=2, help="daphne worker processes")
    parser.add_argument("--rounds", type=int, default=5, help="claims per pair of clients")
    parser.add_argument(
        "--concurrency", type=int, default=2, help="claims in flight at once (closed loop)"
    )
    parser.add_argument(
        "--redis-samples", type=int, default=2000, help="idle Redis round-trips to sample"
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or common.DEFAULT_REDIS,
        help="Redis shared by the workers (default: REDIS_URL or %(default)s)",
    )
    parser.add_argument(
        "--server",
        default="daphne",
        choices=["daphne", "web"],
        help="daphne: W processes on W ports, each claim crossing workers; web: tools/web.py",
    )
    common.add_common_arguments(parser, db_prefix="bench_notify")
    args = parser.parse_args(argv)
    if args.clients < 2 or args.clients % 2 or args.workers < 2 or args.rounds < 1:
        parser.error("--clients must be even and >= 2, --workers >= 2, --rounds >= 1")
    quiet = args.json
    prefix = f"bench-{args.db_name}"
    os.environ["CHANNELS_PREFIX"] = prefix
    server = common.server_url(args.postgres)

    with (
        common.throwaway_database(server, args.db_name, keep=args.keep_db) as url,
        tempfile.TemporaryDirectory(prefix="bench-notify-") as log_dir,
    ):
        common.log(f"database {args.db_name}: migrating", quiet=quiet)
        common.setup_django(url, redis_url=args.redis_url)
        facts = common.machine_facts(server, args.redis_url)
        common.log(
            f"building {args.clients // 2} offices and {args.clients // 2 * args.rounds} cases",
            quiet=quiet,
        )
        pairs = build(args.clients // 2, args.rounds, args.workers, quiet)
        from django.db import connections

        connections.close_all()
        env = {
            **os.environ,
            **common.BENCH_ENV,
            "DATABASE_URL": url,
            "REDIS_URL": args.redis_url,
            "CHANNELS_PREFIX": prefix,
        }
        common.log(f"starting {args.workers} {args.server} workers", quiet=quiet)
        try:
            with served_by(args.server, args.workers, env, log_dir) as ports:
                results = asyncio.run(measure(args, pairs, ports, args.redis_url))
        finally:
            forget_channels(args.redis_url, prefix)
    text, data = report(results, facts, args)
    if args.json:
        common.dump_json(data)
    else:
        print(text)
    broken = data["api_errors"] or data["frames_lost"] or data["strays"]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
