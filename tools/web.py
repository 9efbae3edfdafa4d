"""The web workers: N uvicorn processes, each accepting on a listening socket of its own.

    python tools/web.py [--host 127.0.0.1] [--port 8001] [--workers N]
        [--forwarded-allow-ips 127.0.0.1] [--log-level warning]

Why not ``uvicorn --workers N``: its processes share one listening socket and whichever wakes
first accepts everything that is waiting, so the keep-alive connections of a reverse proxy (or
of a burst of clients) all land on one process while the others idle (docs/PERFORMANCE.md,
"Serving"; docs/DEPLOYMENT.md, "The web workers"). Here the launcher opens one socket per worker
on the same address with ``SO_REUSEPORT``, and the kernel spreads new connections over them by
a hash of each connection's addresses and ports.

The launcher holds every socket itself and gives each worker its own by file descriptor, so:

- a worker that dies is started again on the same socket, and the connections the kernel
  queued on that socket in the meantime wait for it instead of being refused;
- each worker also listens on a private Unix socket of its own, on which the launcher asks
  ``GET /health/`` of every worker in turn (``--health-interval``); a worker that fails
  ``--health-failures`` probes in a row (hung, or without its database) is stopped and started
  again;
- it is ready — it prints ``web: ready`` and, under systemd (``Type=notify``), tells the
  service manager — once *every* worker has answered ``/health/``, not the first;
- SIGTERM or SIGINT stops the workers (uvicorn finishes the requests in flight) and the launcher
  exits 0; a worker that keeps dying within seconds of its start ends the launcher (exit 1) so
  the service manager restarts the whole tier and says why.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = "config.asgi:application"
# A worker that ends this soon after its start, this many times in a row, is not restarted again.
QUICK_DEATH_S = 10.0
QUICK_DEATHS = 5


@dataclass
class Worker:
    number: int
    listener: socket.socket
    private: socket.socket
    private_path: str
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    quick_deaths: int = 0
    failures: int = 0
    healthy_once: bool = False


def listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    """One of the workers' sockets on the shared address (``SO_REUSEPORT``: the kernel balances)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def private_socket(path: str, backlog: int) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def worker_command(worker: Worker, args: argparse.Namespace) -> list[str]:
    return [
        *(sys.executable, str(Path(__file__).resolve()), "--worker"),
        *("--fd", str(worker.listener.fileno()), "--private-fd", str(worker.private.fileno())),
        *("--forwarded-allow-ips", args.forwarded_allow_ips, "--log-level", args.log_level),
    ]


def start(worker: Worker, args: argparse.Namespace) -> None:
    worker.process = subprocess.Popen(
        worker_command(worker, args),
        cwd=ROOT,
        pass_fds=(worker.listener.fileno(), worker.private.fileno()),
    )
    worker.started = time.monotonic()
    worker.failures = 0


def stop_process(process: subprocess.Popen[bytes] | None, timeout: float) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("127.0.0.1", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def answers_health(path: str, timeout: float = 5.0) -> bool:
    """``GET /health/`` on one worker's private socket (the health middleware answers before the
    host is checked: no ALLOWED_HOSTS entry is needed)."""
    connection = _UnixHTTPConnection(path, timeout)
    try:
        connection.request("GET", "/health/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def notify_service_manager(state: str) -> None:
    """systemd's ``sd_notify`` (``Type=notify``): nothing without ``NOTIFY_SOCKET``."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect(address)
        sock.sendall(state.encode())


def log(message: str) -> None:
    print(f"web: {message}", file=sys.stderr, flush=True)


def supervise(args: argparse.Namespace) -> int:
    run_dir = tempfile.mkdtemp(prefix="action-office-web-")
    workers = []
    for n in range(args.workers):
        path = os.path.join(run_dir, f"worker-{n}.sock")
        workers.append(
            Worker(
                n,
                listening_socket(args.host, args.port, args.backlog),
                private_socket(path, 16),
                path,
            )
        )
    stopping = False

    def on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    ready = False
    deadline = time.monotonic() + args.ready_timeout
    next_probe = 0.0
    try:
        for worker in workers:
            start(worker, args)
        while not stopping:
            for worker in workers:
                assert worker.process is not None
                code = worker.process.poll()
                if code is None or stopping:
                    continue
                lived = time.monotonic() - worker.started
                worker.quick_deaths = worker.quick_deaths + 1 if lived < QUICK_DEATH_S else 0
                if worker.quick_deaths >= QUICK_DEATHS:
                    log(f"worker {worker.number} keeps ending (status {code}): giving up")
                    return 1
                log(f"worker {worker.number} ended (status {code}) after {lived:.0f} s: restarting")
                start(worker, args)
            now = time.monotonic()
            if not ready or now >= next_probe:
                for worker in workers:
                    probe(worker, args)
                next_probe = now + args.health_interval
                if not ready and all(w.healthy_once for w in workers):
                    ready = True
                    log(f"ready at http://{args.host}:{args.port}/ with {args.workers} workers")
                    notify_service_manager("READY=1")
                elif not ready and now > deadline:
                    log("not every worker answered /health/ in time")
                    return 1
            time.sleep(0.2 if not ready else 0.5)
        notify_service_manager("STOPPING=1")
        return 0
    finally:
        for worker in workers:
            if worker.process is not None and worker.process.poll() is None:
                worker.process.send_signal(signal.SIGTERM)
        for worker in workers:
            stop_process(worker.process, args.stop_timeout)
            worker.listener.close()
            worker.private.close()
            with contextlib.suppress(OSError):
                os.unlink(worker.private_path)
        with contextlib.suppress(OSError):
            os.rmdir(run_dir)


def probe(worker: Worker, args: argparse.Namespace) -> None:
    if answers_health(worker.private_path):
        worker.failures = 0
        worker.healthy_once = True
        return
    if not worker.healthy_once and time.monotonic() - worker.started < args.ready_timeout:
        return  # still starting
    worker.failures += 1
    if worker.failures >= args.health_failures:
        log(f"worker {worker.number} failed /health/ {worker.failures} times: restarting")
        stop_process(worker.process, args.stop_timeout)
        start(worker, args)


def serve_worker(args: argparse.Namespace) -> int:
    """One worker: uvicorn on the two sockets the launcher handed down."""
    import uvicorn

    sys.path.insert(0, str(ROOT))
    config = uvicorn.Config(
        APP,
        lifespan="off",
        # The product writes its own access line, with secrets in paths masked (config/logs.py).
        access_log=False,
        log_level=args.log_level,
        # The balancer or reverse proxy in front sets X-Forwarded-For / -Proto.
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    sockets = [socket.socket(fileno=args.fd), socket.socket(fileno=args.private_fd)]
    uvicorn.Server(config).run(sockets=sockets)
    return 0


def parse(argv: list[str] | None) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8001")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", cores)))
    parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    parser.add_argument("--log-level", default="warning")
    parser.add_argument("--backlog", type=int, default=2048)
    parser.add_argument("--health-interval", type=float, default=10.0)
    parser.add_argument("--health-failures", type=int, default=3)
    parser.add_argument("--ready-timeout", type=float, default=120.0)
    parser.add_argument("--stop-timeout", type=float, default=25.0)
    # Inside a worker (set by the launcher).
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fd", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--private-fd", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    return serve_worker(args) if args.worker else supervise(args)


if __name__ == "__main__":
    sys.exit(main())
