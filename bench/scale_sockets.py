"""The county's connected staff for ``bench/scale.py``: ``--sockets`` notification websockets
(1,000 by default), held open while the pages are measured.

The sockets belong to staff of every school of the county, spread evenly: each office's seated
members first, then teachers of the school (``C000-staff0``…, made once and kept in the
database, so ``--reuse`` finds them). Each authenticates with an API token of its own
(``?token=``, as the mobile client does) against the served product; each web worker has a
listening socket of its own on the port (``SO_REUSEPORT``, tools/web.py), so the kernel deals
the connections out over them, and which worker holds each is read from the operating system
(``ss``). Every socket reads what it is sent (the
backlog of unread notifications at the handshake, then pushes) until the end, when each is
pinged: a pong means it was still open and served.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

import _common as common


@dataclass
class Sockets:
    wanted: int = 0
    opened: int = 0
    failed: int = 0
    open_seconds: float = 0.0
    open_ms_p50: float = 0.0
    open_ms_p95: float = 0.0
    per_worker: list[int] = field(default_factory=list)
    frames: int = 0
    alive_at_end: int = 0
    errors: list[str] = field(default_factory=list)


def staff_tokens(count: int) -> list[str]:
    """API tokens of ``count`` staff of the county's schools, spread evenly over them."""
    from casework.models import Membership, School, User
    from casework.services.accounts import api_token_issue

    schools = list(School.objects.filter(code__startswith="C").order_by("pk"))
    if not schools or count <= 0:
        return []
    tokens: list[str] = []
    for n, school in enumerate(schools):
        share = count // len(schools) + (1 if n < count % len(schools) else 0)
        seated = list(
            User.objects.filter(
                pk__in=Membership.objects.filter(office__school=school, active=True).values(
                    "user_id"
                )
            ).order_by("pk")[:share]
        )
        names = [f"{school.code}-staff{i}" for i in range(share - len(seated))]
        known = {u.username: u for u in User.objects.filter(username__in=names)}
        teachers = [known.get(name) or common.bench_user(name, school) for name in names]
        tokens.extend(api_token_issue(user=user)[1] for user in [*seated, *teachers])
    return tokens


class Connected:
    """The open sockets and the tasks reading them."""

    def __init__(self) -> None:
        self.sockets: list[Any] = []
        self.readers: list[asyncio.Task[None]] = []
        self.result = Sockets()

    async def open(self, port: int, tokens: list[str], parallel: int = 50) -> None:
        from websockets.asyncio.client import connect

        self.result.wanted = len(tokens)
        gate = asyncio.Semaphore(parallel)
        times: list[float] = []

        async def open_one(token: str) -> None:
            async with gate:
                started = time.perf_counter()
                try:
                    conn = await connect(
                        f"ws://127.0.0.1:{port}/ws/notifications/?token={token}",
                        proxy=None,
                        open_timeout=120,
                        max_size=None,
                    )
                except Exception as exc:  # counted and shown: a refused socket is a finding
                    self.result.failed += 1
                    if len(self.result.errors) < 5:
                        self.result.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                    return
                times.append(time.perf_counter() - started)
            self.sockets.append(conn)
            self.readers.append(asyncio.create_task(self._read(conn)))

        started = time.perf_counter()
        await asyncio.gather(*(open_one(t) for t in tokens))
        self.result.open_seconds = time.perf_counter() - started
        self.result.opened = len(self.sockets)
        if times:
            dist = common.Distribution.of(times)
            self.result.open_ms_p50, self.result.open_ms_p95 = dist.p50 * 1000, dist.p95 * 1000
        self.result.per_worker = per_worker(port)

    async def _read(self, conn: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for _ in conn:
                self.result.frames += 1
        except ConnectionClosed:
            pass

    async def check_and_close(self) -> Sockets:
        """Ping every socket (a pong: still open and served), then close them all."""

        async def alive(conn: Any) -> bool:
            try:
                await asyncio.wait_for(await conn.ping(), 30)
            except Exception:
                return False
            return True

        answers = await asyncio.gather(*(alive(c) for c in self.sockets))
        self.result.alive_at_end = sum(answers)
        await asyncio.gather(*(c.close() for c in self.sockets), return_exceptions=True)
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*self.readers, return_exceptions=True)
        return self.result


def per_worker(port: int) -> list[int]:
    """Established connections on ``port`` by the server process that holds them."""
    try:
        out = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    counts: dict[str, int] = {}
    for line in out.splitlines():
        found = re.search(r"pid=(\d+)", line)
        if found:
            counts[found.group(1)] = counts.get(found.group(1), 0) + 1
    return sorted(counts.values(), reverse=True)
