"""Plumbing shared by the benchmarks: a throwaway PostgreSQL database with the project's schema,
Django set up on it, the data built through the real services, and tables of results.

Every benchmark creates its own database (``CREATE DATABASE`` against the server's ``postgres``
database), migrates it, and drops it at the end, even when interrupted: nothing it writes can
touch a real database.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgresql://127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"

# What the benchmark processes (and the daphne workers they start) run with: the production
# settings, on the throwaway database.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-0123456789-0123456789-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
    # With DEBUG off the product refuses to start without SMTP; nothing is sent by a benchmark.
    "EMAIL_URL": "smtp://127.0.0.1:25",
}


def add_common_arguments(parser: argparse.ArgumentParser, *, db_prefix: str) -> None:
    parser.add_argument(
        "--postgres",
        default=None,
        help="PostgreSQL server URL (postgresql://user@host:port); default: the server of "
        f"DATABASE_URL if set, else {DEFAULT_SERVER}",
    )
    parser.add_argument(
        "--db-name",
        default=f"{db_prefix}_{os.getpid()}",
        help="name of the throwaway database created and dropped by the run (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="do not drop the database at the end"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON only")


def server_url(explicit: str | None) -> str:
    """The PostgreSQL server to use, without a database name."""
    raw = explicit or os.environ.get("DATABASE_URL", "")
    if not raw.startswith(("postgres://", "postgresql://")):
        raw = DEFAULT_SERVER
    parts = urlsplit(raw)
    return urlunsplit(("postgresql", parts.netloc, "", "", ""))


def database_url(server: str, name: str) -> str:
    return f"{server}/{name}"


@contextmanager
def throwaway_database(server: str, name: str, *, keep: bool = False) -> Iterator[str]:
    """Create database ``name`` on ``server``, yield its URL, drop it afterwards."""
    import psycopg
    from psycopg import sql

    if not name.replace("_", "").isalnum():
        raise SystemExit(f"--db-name: letters, digits and underscores only; got {name!r}")
    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url(server, name)
    finally:
        if not keep:
            _close_django_connections()
            with psycopg.connect(database_url(server, "postgres"), autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def _close_django_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def setup_django(url: str, *, redis_url: str | None) -> None:
    """Point Django at ``url`` (and Redis, or the in-memory layer), set it up and migrate."""
    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = url
    if redis_url:
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def log(message: str, *, quiet: bool = False) -> None:
    if not quiet:
        print(message, file=sys.stderr, flush=True)


# -- numbers -------------------------------------------------------------------------------------


def percentile(samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation: every value reported was observed)."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Distribution:
    n: int
    mean: float
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Distribution:
        return cls(
            n=len(samples),
            mean=statistics.fmean(samples) if samples else math.nan,
            p50=percentile(samples, 50),
            p95=percentile(samples, 95),
            p99=percentile(samples, 99),
            max=max(samples) if samples else math.nan,
        )

    def row(self, label: str, scale: float = 1000.0) -> list[str]:
        """A table row in milliseconds (samples are seconds)."""
        values = (self.p50, self.p95, self.p99, self.max, self.mean)
        return [label, str(self.n), *(f"{v * scale:.2f}" for v in values)]

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in ("n", "mean", "p50", "p95", "p99", "max")}


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, so that the output can be pasted into docs/PERFORMANCE.md."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=False)]
    lines = [f"### {title}", ""]
    lines.append("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [
            str(c).rjust(w) if i else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# -- the machine ---------------------------------------------------------------------------------


def machine_facts(server: str, redis_url: str | None = None) -> dict[str, Any]:
    import psycopg

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with psycopg.connect(database_url(server, "postgres")) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    facts: dict[str, Any] = {
        # Other work on the machine shows up in every number: say how busy it was.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "postgresql": row[0] if row else "",
    }
    if redis_url:
        import redis

        client = redis.Redis.from_url(redis_url)
        try:
            facts["redis"] = client.info("server").get("redis_version", "")
        finally:
            client.close()
    import django

    facts["django"] = django.get_version()
    return facts


def facts_line(facts: dict[str, Any]) -> str:
    parts = [f"{facts['cores']} cores ({facts['cpu'] or 'unknown CPU'})"]
    parts.append(f"Python {facts['python']}, Django {facts['django']}")
    parts.append(f"PostgreSQL {facts['postgresql']}")
    if facts.get("redis"):
        parts.append(f"Redis {facts['redis']}")
    parts.append(f"load average {facts['load_average_1m']} at the start")
    return "; ".join(parts)


def _no_nan(value: Any) -> Any:
    """NaN (a run that was not made) as null: JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_no_nan(v) for v in value]
    return value


def dump_json(data: dict[str, Any]) -> None:
    print(json.dumps(_no_nan(data), indent=2, default=str, allow_nan=False))


# -- data, built through the real services ------------------------------------------------------


@dataclass
class BenchOffice:
    """One school's operational office: a flagging teacher and ``pedagogues`` group 2 members."""

    school: Any
    office: Any
    teacher: Any
    pedagogues: list[Any]


def bench_user(username: str, school: Any) -> Any:
    """A token-only user: no password, so building hundreds of them costs no password hashing."""
    from casework.models import User

    return User.objects.create_user(username=username, password=None, school=school)


def build_office(code: str, *, pedagogues: int) -> BenchOffice:
    """A school with an operational office (every group seated) and ``pedagogues`` in group 2."""
    from casework.models import Group, Office, School
    from casework.services.offices import membership_set

    school = School.objects.create(code=code, name=f"Benchmark school {code}")
    office = Office.objects.create(school=school, name=f"Office {code}")
    teacher = bench_user(f"{code}-teacher", school)
    membership_set(office=office, user=teacher, group=Group.EDUCATORS)
    for group in (Group.SOCIAL, Group.ADMINISTRATION):
        membership_set(office=office, user=bench_user(f"{code}-g{int(group)}", school), group=group)
    members = []
    for i in range(pedagogues):
        user = bench_user(f"{code}-psy{i}", school)
        membership_set(office=office, user=user, group=Group.PEDAGOGY)
        members.append(user)
    return BenchOffice(school=school, office=office, teacher=teacher, pedagogues=members)


def flag_cases(office: BenchOffice, count: int) -> list[int]:
    """Flag ``count`` students through the real service; return their triage tasks' ids."""
    from tests.factories import make_student
    from workflows.models import CaseTask
    from workflows.services import case_flag

    ids = []
    for _ in range(count):
        case = case_flag(
            student=make_student(office.school),
            actor=office.teacher,
            reason="Absent for three weeks",
            functions=["pedagogical"],
        )
        ids.append(CaseTask.objects.get(case=case, name="triage").pk)
    return ids
