"""Benchmark what a refused import costs: peak memory, time and the size of the answer, for files
of 10,000 and 1,000,000 bad rows (CSV and XLSX), each imported in a fresh process.

    .venv/bin/python bench/import_memory.py [--rows 10000,1000000] [--formats csv,xlsx]

It creates a throwaway PostgreSQL database (dropped at the end), registers one student, writes
signal files whose every row is bad (an attendance of 300 %), and runs ``manage.py
import_signals`` on each in a child process that reports its own peak RSS (``ru_maxrss``), the
seconds taken and the bytes of the refusal it printed (what the API would answer). Memory must
not grow with the number of bad rows, and the answer must stay at the first 100 problems.
The size limits (IMPORT_MAX_BYTES, IMPORT_MAX_UNPACKED_BYTES) are raised so that the
1,000,000-row files are read, not refused for their size; a file of 1,000,000 rows is then
imported once more with the default limits, to show the refusal. Results go to stdout as a
Markdown table; docs/PERFORMANCE.md keeps the latest.
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

from _common import (
    BENCH_ENV,
    add_common_arguments,
    facts_line,
    log,
    machine_facts,
    server_url,
    setup_django,
    table,
    throwaway_database,
)

DAY = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
HEADER = ["student_code", "kind", "value", "observed_on", "note"]


def write_file(path: Path, rows: int) -> None:
    bad = ["B-1", "attendance", 300, DAY, ""]
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER)
            for _ in range(rows):
                writer.writerow(bad)
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for _ in range(rows):
        sheet.append(bad)
    workbook.save(path)


RAISED = {"IMPORT_MAX_BYTES": str(1 << 30), "IMPORT_MAX_UNPACKED_BYTES": str(1 << 34)}


def child(path: Path, limits: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, **limits},
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"child failed on {path}:\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_child(path: str) -> None:
    import django

    django.setup()
    from io import StringIO

    from django.core.management import CommandError, call_command

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    err = StringIO()
    started = time.perf_counter()
    try:
        call_command("import_signals", path, "--school", "BENCH", stderr=err, stdout=StringIO())
    except CommandError as refused:
        err.write(str(refused))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    answer = err.getvalue()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "base_mb": round(base, 1),
                "peak_mb": round(peak, 1),
                "answer_bytes": len(answer.encode()),
                "answer_lines": answer.count("\n"),
            }
        )
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        run_child(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_common_arguments(parser, db_prefix="ao_bench_import_memory")
    parser.add_argument("--rows", default="10000,1000000", help="bad rows per file")
    parser.add_argument("--formats", default="csv,xlsx", help="csv, xlsx or both")
    args = parser.parse_args()
    server = server_url(args.postgres)
    sizes = [int(n) for n in args.rows.split(",")]
    formats = args.formats.split(",")
    with throwaway_database(server, args.db_name, keep=args.keep_db) as url:
        setup_django(url, redis_url=None)
        from casework.models import School, Student

        school = School.objects.create(code="BENCH", name="Bench school")
        Student.objects.create(
            school=school, code="B-1", first_name="A", last_name="B", class_name="9A"
        )
        os.environ.update(BENCH_ENV)
        os.environ["DATABASE_URL"] = url
        rows = []
        with tempfile.TemporaryDirectory() as folder:
            for fmt in formats:
                for size in sizes:
                    path = Path(folder) / f"bad-{size}.{fmt}"
                    log(f"writing {size:,} bad rows to {path.name}", quiet=args.json)
                    write_file(path, size)
                    log(f"importing {path.name}", quiet=args.json)
                    result = child(path, RAISED)
                    result.update(format=fmt, rows=size, file_bytes=path.stat().st_size)
                    rows.append(result)
                    if size >= 1_000_000:
                        result = child(path, {})
                        result.update(
                            format=fmt,
                            rows=size,
                            file_bytes=path.stat().st_size,
                            limits="default limits",
                        )
                        rows.append(result)
        facts = machine_facts(server)
    if args.json:
        print(json.dumps({"facts": facts, "runs": rows}))
        return
    print(facts_line(facts))
    print(
        table(
            "A refused import of bad rows, each in a fresh process",
            ["file", "size", "time", "peak RSS (process at start)", "answer"],
            [
                [
                    f"{r['rows']:,} bad rows ({r['format'].upper()}), "
                    f"{r.get('limits', 'limits raised')}",
                    f"{r['file_bytes'] / 1e6:,.1f} MB",
                    f"{r['seconds']:.1f} s",
                    f"{r['peak_mb']} MB ({r['base_mb']} MB)",
                    f"{r['answer_lines']} lines, {r['answer_bytes'] / 1e3:,.1f} KB",
                ]
                for r in rows
            ],
        )
    )


if __name__ == "__main__":
    main()
