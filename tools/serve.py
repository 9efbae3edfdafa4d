"""Start the production topology on this machine: ASGI workers, a Celery worker and Celery beat.

    python tools/serve.py [--web-workers N] [--host 127.0.0.1] [--port 8000] [--no-migrate]

The same processes as deploy/ (systemd units, compose file), in one foreground command that
`make serve` runs:

- ``tools/web.py --workers N``: N uvicorn worker processes (default: one per core), HTTP and
  websockets, each accepting on a listening socket of its own on the one port (``SO_REUSEPORT``,
  so the kernel spreads the connections over them); a worker that dies or stops answering
  ``/health/`` is replaced;
- ``celery worker`` with ``DATABASE_POOL=0`` (its prefork pool forks: no connection pool may be
  shared across a fork), one child per core;
- ``celery beat``: the schedule (reminders, escalations, the audit checkpoint and the nightly
  verification, the nightly maintenance).

It needs PostgreSQL and Redis (``DATABASE_URL``, ``REDIS_URL``) and the production settings of
the environment (``DEBUG`` off). Before starting it migrates the database and collects the
static files, unless ``--no-migrate``. It prints the address once ``GET /health/`` answers,
stops everything on Ctrl-C or SIGTERM, and stops everything (exit status 1) when one of the
processes ends by itself.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(args: argparse.Namespace) -> dict[str, tuple[list[str], dict[str, str]]]:
    python = sys.executable
    web = [
        *(python, str(ROOT / "tools" / "web.py")),
        *("--host", args.host, "--port", str(args.port), "--workers", str(args.web_workers)),
        # The balancer or reverse proxy in front sets X-Forwarded-For / -Proto.
        *("--forwarded-allow-ips", args.forwarded_allow_ips),
    ]
    out: dict[str, tuple[list[str], dict[str, str]]] = {"web": (web, {})}
    if not args.no_celery:
        out["celery-worker"] = (
            [
                *(python, "-m", "celery", "-A", "config", "worker", "-l", "warning"),
                *("--concurrency", str(args.celery_workers)),
            ],
            {"DATABASE_POOL": "0"},
        )
        out["celery-beat"] = (
            [
                *(python, "-m", "celery", "-A", "config", "beat", "-l", "warning"),
                *("--schedule", str(args.beat_schedule)),
            ],
            {"DATABASE_POOL": "0"},
        )
    return out


def healthy(host: str, port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/health/", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def stop(processes: dict[str, subprocess.Popen[bytes]], timeout: float = 20.0) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument(
        "--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", cores))
    )
    parser.add_argument(
        "--celery-workers", type=int, default=int(os.environ.get("CELERY_WORKERS", cores))
    )
    parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    parser.add_argument("--beat-schedule", default=str(ROOT / "var" / "celerybeat-schedule"))
    parser.add_argument("--no-migrate", action="store_true", help="skip migrate/collectstatic")
    parser.add_argument("--no-celery", action="store_true", help="the web workers only")
    parser.add_argument("--ready-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            parser.error(f"{name} is not set: the topology needs PostgreSQL and Redis")
    Path(args.beat_schedule).parent.mkdir(parents=True, exist_ok=True)
    if not args.no_migrate:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, check=True)

    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        for name, (command, extra) in commands(args).items():
            processes[name] = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **extra})
        deadline = time.monotonic() + args.ready_timeout
        ready = False
        while not stopping:
            ended = {n: p.returncode for n, p in processes.items() if p.poll() is not None}
            if ended:
                print(f"serve: stopped because {ended} ended", file=sys.stderr, flush=True)
                return 1
            if not ready:
                if healthy(args.host, args.port):
                    ready = True
                    print(
                        f"serve: ready at http://{args.host}:{args.port}/ with "
                        f"{args.web_workers} web workers ({', '.join(processes)})",
                        flush=True,
                    )
                elif time.monotonic() > deadline:
                    print("serve: /health/ did not answer in time", file=sys.stderr, flush=True)
                    return 1
            time.sleep(0.5)
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
