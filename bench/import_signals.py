"""Benchmark the signal import on PostgreSQL, next to a raw bulk_create of the same rows.

    createdb ao_bench
    DATABASE_URL=postgresql://$USER@127.0.0.1:5432/ao_bench .venv/bin/python bench/import_signals.py

What it does, in one run against a throwaway database (it migrates it and uses schools BENCH
and BENCHRISK, emptied first):

1. registers 2,000 students with ``import_students`` and writes 100,000 signal rows to a CSV
   (and the same rows to an XLSX);
2. times ``manage.py import_signals`` on the CSV in a fresh process, with its peak memory, then
   the same file again (the idempotent re-import), then the XLSX;
3. empties the signals and times a raw ``Signal.objects.bulk_create`` of the same rows, in a fresh
   process too: once for the insert alone (objects built beforehand, the strictest baseline) and
   once including reading the CSV;
4. imports 10k, 50k, 100k and 200k rows, each in a fresh process, to show the peak memory does
   not grow with the file;
5. recomputes the risk of 10,000 students with 100,000 signals.

Numbers go to stdout as a Markdown table; docs/PERFORMANCE.md keeps the latest run.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-deployment-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

KINDS = [
    "attendance",
    "behaviour",
    "attendance",
    "grade_failures",
    "self_assessment",
    "observation",
]
RISK_KINDS = ["attendance", "behaviour", "grade_failures", "self_assessment", "behaviour"]
TODAY = datetime.date.today()


def _setup() -> None:
    import django

    django.setup()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- data --------------------------------------------------------------------------------------


def signal_rows(n: int, students: int) -> Any:
    """``n`` rows over ``students`` students, each (student, kind, day) once."""
    for i in range(n):
        s, j = i % students, i // students
        kind = KINDS[j % len(KINDS)]
        day = TODAY - datetime.timedelta(days=1 + j)
        if kind == "attendance":
            value: Any = 80 + (i * 7) % 21
        elif kind == "behaviour":
            value = (i * 3) % 3
        elif kind == "grade_failures":
            value = (i * 5) % 3
        elif kind == "self_assessment":
            value = 30 + (i * 11) % 70
        else:
            value = f"Observation {i}: arrived late, seemed tired."
        yield [f"B-{s:05d}", kind, value, day.isoformat(), "" if i % 10 else "from the register"]


def write_csv(path: Path, n: int, students: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["student_code", "kind", "value", "observed_on", "note"])
        writer.writerows(signal_rows(n, students))


def write_xlsx(path: Path, n: int, students: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["student_code", "kind", "value", "observed_on", "note"])
    for row in signal_rows(n, students):
        sheet.append(row)
    workbook.save(path)


def write_students(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "first_name", "last_name", "class_name", "programme"])
        for s in range(n):
            writer.writerow([f"B-{s:05d}", "Ana", f"Pop{s}", f"{9 + s % 4}{'ABCD'[s % 4]}", "x"])


# -- steps run in fresh processes ----------------------------------------------------------------


def child(argv: list[str]) -> dict[str, Any]:
    """Run a step in a fresh Python process; it prints one JSON line of results."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", *argv],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"step {argv} failed:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_child(step: str, args: list[str]) -> None:
    _setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    from casework.models import School, Signal

    base = _rss_mb()
    out: dict[str, Any] = {"base_mb": round(base, 1)}
    cpu = time.process_time()
    if step == "import":
        started = time.perf_counter()
        call_command("import_signals", args[0], "--school", "BENCH", stdout=StringIO())
        out["seconds"] = time.perf_counter() - started
    elif step in ("bulk_create", "bulk_create_with_csv"):
        school = School.objects.get(code="BENCH")
        codes = dict(school.students.values_list("code", "pk"))
        started = time.perf_counter()
        objects = []
        with open(args[0], newline="", encoding="utf-8") as file:
            reader = csv.reader(file)
            next(reader)
            for code, kind, value, observed_on, note in reader:
                text = value if kind == "observation" else ""
                objects.append(
                    Signal(
                        student_id=codes[code],
                        kind=kind,
                        value=None if text else value,
                        text=text,
                        text_key=_key(text),
                        note=note,
                        observed_on=datetime.date.fromisoformat(observed_on),
                        source="import",
                    )
                )
        if step == "bulk_create":
            started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            Signal.objects.bulk_create(objects, batch_size=1000)
        out["seconds"] = time.perf_counter() - started
    elif step == "risk":
        from casework.models import Student
        from casework.services.risk import risk_refresh

        students = Student.objects.filter(school__code="BENCHRISK")
        started = time.perf_counter()
        out["students"] = risk_refresh(students)
        out["seconds"] = time.perf_counter() - started
    out["cpu_seconds"] = time.process_time() - cpu
    out["peak_mb"] = round(_rss_mb(), 1)
    print(json.dumps(out))


def _key(text: str) -> str:
    from casework.models.signals import text_key

    return text_key(text)


def median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def spread(runs: list[dict[str, Any]]) -> str:
    times = sorted(r["seconds"] for r in runs)
    if len(times) == 1:
        return f"{times[0]:.2f} s"
    return f"{median(runs)['seconds']:.2f} s ({times[0]:.2f} to {times[-1]:.2f})"


# -- the run ---------------------------------------------------------------------------------------


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM casework_signal WHERE student_id IN (SELECT s.id FROM "
            "casework_student s JOIN casework_school c ON c.id = s.school_id "
            "WHERE c.code IN ('BENCH', 'BENCHRISK'))"
        )


def empty_schools() -> None:
    from casework.models import ImportRun, School, Student, StudentRisk

    reset()
    StudentRisk.objects.filter(student__school__code__in=["BENCH", "BENCHRISK"]).delete()
    Student.objects.filter(school__code__in=["BENCH", "BENCHRISK"]).delete()
    ImportRun.objects.filter(school__code__in=["BENCH", "BENCHRISK"]).delete()
    School.objects.filter(code__in=["BENCH", "BENCHRISK"]).delete()


def risk_data(students: int, per_student: int) -> None:
    """10,000 students and their signals, written with COPY: set-up, not measured."""
    from django.db import connection

    from casework.models import School, Student

    school = School.objects.create(code="BENCHRISK", name="Bench risk")
    Student.objects.bulk_create(
        Student(
            school=school,
            code=f"R-{s:05d}",
            first_name="Ana",
            last_name=f"Pop{s}",
            class_name="10A",
            programme="x",
        )
        for s in range(students)
    )
    ids = list(school.students.order_by("pk").values_list("pk", flat=True))
    now = datetime.datetime.now(datetime.UTC)
    with connection.cursor() as cursor:
        copy_sql = (
            "COPY casework_signal (student_id, kind, value, text, text_key, note, observed_on, "
            "source, created_at, updated_at) FROM STDIN"
        )
        with cursor.cursor.copy(copy_sql) as copy:
            for i, pk in enumerate(ids):
                for j in range(per_student):
                    kind = RISK_KINDS[j % len(RISK_KINDS)]
                    day = TODAY - datetime.timedelta(days=1 + j * 3 + i % 3)
                    value = {
                        "attendance": 80 + (i + j) % 21,
                        "behaviour": (i + j) % 3,
                        "grade_failures": (i * j) % 2,
                        "self_assessment": 30 + (i + j) % 70,
                    }[kind]
                    copy.write_row((pk, kind, value, "", "", "", day, "import", now, now))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--students", type=int, default=2_000)
    parser.add_argument("--risk-students", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs="+")
    options = parser.parse_args()
    if options.child:
        run_child(options.child[0], options.child[1:])
        return
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        raise SystemExit("Set DATABASE_URL to a throwaway PostgreSQL database.")
    _setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    started_load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    call_command("migrate", verbosity=0)
    empty_schools()
    from casework.models import School

    School.objects.create(code="BENCH", name="Bench")
    results: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        students_csv = folder / "students.csv"
        write_students(students_csv, options.students)
        started = time.perf_counter()
        call_command("import_students", str(students_csv), "--school", "BENCH", stdout=StringIO())
        results.append(
            (
                f"import_students, {options.students:,} rows (CSV)",
                f"{time.perf_counter() - started:.2f} s",
            )
        )
        signals_csv = folder / "signals.csv"
        write_csv(signals_csv, options.rows, options.students)
        signals_xlsx = folder / "signals.xlsx"
        write_xlsx(signals_xlsx, options.rows, options.students)
        size = signals_csv.stat().st_size / 1e6
        n = options.rows

        # Each measurement is repeated, alternating import and bulk_create so that load from
        # elsewhere on the machine falls on both; the median is reported, with the range.
        firsts, agains, raws, raw_csvs = [], [], [], []
        for _ in range(options.repeat):
            firsts.append(child(["import", str(signals_csv)]))
            agains.append(child(["import", str(signals_csv)]))
            reset()
            raws.append(child(["bulk_create", str(signals_csv)]))
            reset()
            raw_csvs.append(child(["bulk_create_with_csv", str(signals_csv)]))
            reset()
        xlsx = child(["import", str(signals_xlsx)])
        reset()
        first, again, raw, raw_csv = (
            median(firsts),
            median(agains),
            median(raws),
            median(raw_csvs),
        )
        rate = n / first["seconds"]
        raw_rate = n / raw["seconds"]
        results += [
            (
                f"import_signals, {n:,} rows (CSV, {size:.1f} MB), new",
                f"{spread(firsts)} — {rate:,.0f} rows/s — CPU of the process "
                f"{first['cpu_seconds']:.2f} s — peak {first['peak_mb']} MB "
                f"(process at start {first['base_mb']} MB)",
            ),
            (
                f"import_signals, same {n:,} rows again (nothing changes)",
                f"{spread(agains)} — peak {again['peak_mb']} MB",
            ),
            (
                f"import_signals, {n:,} rows (XLSX), new",
                f"{xlsx['seconds']:.2f} s — {n / xlsx['seconds']:,.0f} rows/s — "
                f"peak {xlsx['peak_mb']} MB",
            ),
            (
                f"raw bulk_create, {n:,} rows, objects built beforehand",
                f"{spread(raws)} — {raw_rate:,.0f} rows/s — CPU of the process "
                f"{raw['cpu_seconds']:.2f} s — peak {raw['peak_mb']} MB",
            ),
            (
                f"raw bulk_create, {n:,} rows, reading the CSV included",
                f"{spread(raw_csvs)} — {n / raw_csv['seconds']:,.0f} rows/s — "
                f"peak {raw_csv['peak_mb']} MB",
            ),
            ("import rate / raw bulk_create rate (medians)", f"{rate / raw_rate:.2f}"),
        ]
        for rows in (10_000, 50_000, 100_000, 200_000):
            path = folder / f"flat-{rows}.csv"
            write_csv(path, rows, options.students)
            measured = child(["import", str(path)])
            reset()
            results.append(
                (
                    f"peak memory, import of {rows:,} rows",
                    f"{measured['peak_mb']} MB ({measured['seconds']:.2f} s)",
                )
            )
    risk_data(options.risk_students, 10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE casework_signal")
    risks = [child(["risk"]) for _ in range(options.repeat)]
    risk = median(risks)
    results.append(
        (
            f"recompute risk, {risk['students']:,} students, {risk['students'] * 10:,} signals",
            f"{spread(risks)} — CPU of the process {risk['cpu_seconds']:.2f} s — "
            f"peak {risk['peak_mb']} MB",
        )
    )
    empty_schools()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{version}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print(f"load average at the start {started_load}, at the end {load}\n")
    print("| measurement | result |\n|---|---|")
    for name, value in results:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
