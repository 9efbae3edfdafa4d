"""Where the Python time of the hot path goes: ``GET /api/me/`` (the floor), a claim and its
release, and a flag (``POST /api/cases/``), each through the whole Django stack (every
middleware, DRF, token authentication) with the production settings on a throwaway PostgreSQL
database.

    .venv/bin/python bench/profile_hot_path.py [-n 300] [--profile flag|claim|me]

Prints the CPU milliseconds per request (``time.process_time``, this process only) of each
request kind, measured without a profiler, then, with ``--profile``, the profile of that kind
(cProfile timed on CPU, so the waits for the database are left out). The requests go through
Django's test client (the WSGI handler: the same middleware and views as the ASGI server runs,
without the server's own per-request cost), so the numbers are the application's share of
``bench/serve_throughput.py``'s server CPU.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

import _common as common


def _requests(n: int) -> dict[str, Callable[[int], Any]]:
    from django.test import Client

    from casework.services.accounts import api_token_issue
    from tests.factories import make_student

    office = common.build_office("PROF", pedagogues=1)
    task = common.flag_cases(office, 1)[0]
    students = [make_student(office.school).pk for _ in range(3 * n + 20)]
    headers: Any = {"HTTP_HOST": "127.0.0.1"}
    psy = Client(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=office.pedagogues[0])[1]}")
    teacher = Client(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=office.teacher)[1]}")
    flagged = iter(students)

    def me(_: int) -> Any:
        return psy.get("/api/me/", **headers)

    def claim(i: int) -> Any:
        verb = "claim" if i % 2 == 0 else "release"
        url = f"/api/tasks/{task}/{verb}/"
        return psy.post(url, {}, content_type="application/json", **headers)

    def flag(_: int) -> Any:
        body = {"student": next(flagged), "reason": "Absent", "functions": ["pedagogical"]}
        return teacher.post("/api/cases/", body, content_type="application/json", **headers)

    return {"me": me, "claim": claim, "flag": flag}


def _cpu_ms(call: Callable[[int], Any], n: int) -> float:
    for i in range(10):  # warm: the first requests build per-process caches
        assert call(i).status_code < 300, call(i).content
    started = time.process_time()
    for i in range(n):
        response = call(i)
        assert response.status_code < 300, response.content
    return 1000 * (time.process_time() - started) / n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=300, help="requests per kind (default: 300)")
    parser.add_argument("--profile", choices=["me", "claim", "flag"], default=None)
    parser.add_argument("--sort", default="cumulative", help="pstats order (default: cumulative)")
    parser.add_argument("--lines", type=int, default=80, help="rows of the profile printed")
    common.add_common_arguments(parser, db_prefix="bench_profile")
    args = parser.parse_args(argv)
    server = common.server_url(args.postgres)
    with common.throwaway_database(server, args.db_name, keep=args.keep_db) as url:
        common.setup_django(url, redis_url=common.DEFAULT_REDIS)
        calls = _requests(args.n)
        for name, call in calls.items():
            print(f"{name}: {_cpu_ms(call, args.n):.2f} CPU ms/request (in process)")
        if args.profile:
            call = calls[args.profile]
            profiler = cProfile.Profile(time.process_time)  # CPU, not the waits for the database
            profiler.enable()
            for i in range(args.n):
                call(i)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats(args.sort).print_stats(args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
