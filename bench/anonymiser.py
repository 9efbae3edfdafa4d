"""Benchmark: the anonymiser's cost — loading its data, scrubbing a case, drafting an entry.

    .venv/bin/python bench/anonymiser.py [--postgres postgresql://user@host:port] [--cases 40]

1. Start-up: a fresh process imports ``casework.anonymise`` (nothing is loaded), then scrubs one
   sentence (the gazetteers, name lists and word filter load, once), measuring time and the
   process's resident memory after each step.
2. Scrubbing: the five texts of each case of the held-out test set, with the case's known names,
   as drafting does (p50/p95/max per case, warm).
3. Drafting: ``library_entry_draft`` on PostgreSQL with the production settings (DEBUG off), for
   archived cases whose texts are the held-out test set's — the whole service: the known
   identifiers from the database, the facts, k-anonymity, scrubbing, the audit row. The first
   draft of the process pays the loading; it is reported on its own.
Target: drafting a normal case under a second. Results go in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from _common import (
    ROOT,
    Distribution,
    add_common_arguments,
    log,
    machine_facts,
    server_url,
    setup_django,
    table,
    throwaway_database,
)

_STARTUP = """
import json, resource, time
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20
out = {"base_mb": rss()}
t = time.perf_counter()
import casework.anonymise as a
out["import_s"] = time.perf_counter() - t
out["import_mb"] = rss()
t = time.perf_counter()
a.scrub("Bunica din satul Ciorescu a vorbit cu d-na Ionescu pe 21.IX.2008.")
out["first_scrub_s"] = time.perf_counter() - t
out["loaded_mb"] = rss()
t = time.perf_counter()
a.scrub("Bunica din satul Ciorescu a vorbit cu d-na Ionescu pe 21.IX.2008.")
out["second_scrub_s"] = time.perf_counter() - t
print(json.dumps(out))
"""


def startup(runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _STARTUP], capture_output=True, text=True, check=True, cwd=ROOT
        )
        results.append(json.loads(done.stdout))
    return results


def scrubbing(cases: list[dict]) -> Distribution:
    from casework.anonymise import KnownIdentifiers, scrub
    from tests.casework.heldout.measure import strip

    scrub("warm up")
    samples = []
    for case in cases:
        known = KnownIdentifiers(student_names=case["student"], people=[case["parent"]])
        texts = [strip(t)[0] for t in case["texts"].values()]
        t = time.perf_counter()
        for text in texts:
            scrub(text, known, language="ro")
        samples.append(time.perf_counter() - t)
    return Distribution.of(samples)


def drafting(cases: list[dict]) -> tuple[float, Distribution]:
    from casework.models import Case, ClosingReview
    from casework.services.consents import consent_record
    from tests.casework.heldout.measure import strip
    from tests.casework.library_support import fill_register
    from tests.factories import advance, make_student, make_world
    from workflows.services import case_flag, library_entry_draft

    world = make_world()
    fill_register(world.school, 30)
    archived = []
    for item in cases:
        texts = {k: strip(v)[0] for k, v in item["texts"].items()}
        student = make_student(
            world.school, first_name=item["student"][0], last_name=item["student"][1]
        )
        case = case_flag(
            student=student, actor=world.teacher, reason=texts["reason"], functions=["pedagogical"]
        )
        case = advance(case, world, "archived")
        ClosingReview.objects.filter(case=case).update(
            feedback=texts["feedback"], impact=texts["impact"], lessons_learned=texts["lessons"]
        )
        consent_record(
            case=case,
            actor=world.coordinator,
            scope="library",
            given_by="parent",
            given_by_name=item["parent"],
        )
        archived.append(case.pk)
    samples = []
    first = 0.0
    for index, pk in enumerate(archived):
        case = Case.objects.get(pk=pk)
        t = time.perf_counter()
        library_entry_draft(case=case, actor=world.coordinator)
        elapsed = time.perf_counter() - t
        if index == 0:
            first = elapsed
        else:
            samples.append(elapsed)
    return first, Distribution.of(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_common_arguments(parser, db_prefix="bench_anonymiser")
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--startup-runs", type=int, default=5)
    args = parser.parse_args()
    from tests.casework.heldout.measure import load

    cases = load("test")[: args.cases]
    log("start-up runs…")
    runs = startup(args.startup_runs)
    server = server_url(args.postgres)
    facts = machine_facts(server)
    with throwaway_database(server, args.db_name, keep=args.keep_db) as url:
        setup_django(url, redis_url=None)
        from django.test.utils import setup_test_environment

        setup_test_environment()
        log("scrubbing…")
        scrub_times = scrubbing(load("test"))
        log("drafting…")
        first, drafts = drafting(cases)
    if args.json:
        print(json.dumps({"startup": runs, "scrub": scrub_times.as_dict(), "first_draft": first,
                          "drafts": drafts.as_dict(), "machine": facts}))  # fmt: skip
        return
    median = sorted(runs, key=lambda r: r["first_scrub_s"])[len(runs) // 2]
    imported = f"{median['import_s']:.3f}", f"{median['import_mb']:.1f}"
    loaded = f"{median['first_scrub_s']:.3f}", f"{median['loaded_mb']:.1f}"
    print(f"machine: {facts}")
    print(
        table(
            "Start-up (a fresh process, median of the runs)",
            ["step", "seconds", "resident MB"],
            [
                ["python", "", f"{median['base_mb']:.1f}"],
                ["import casework.anonymise", *imported],
                ["first scrub (loads the data)", *loaded],
                ["second scrub", f"{median['second_scrub_s']:.4f}", ""],
            ],
        )
    )  # fmt: skip
    headers = ["what", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms"]
    print(table("Scrubbing a case's five texts (warm)", headers, [scrub_times.row("per case")]))
    print(
        table(
            "Drafting an entry (library_entry_draft, PostgreSQL, DEBUG off)",
            headers,
            [["first draft of the process", "1", *([f"{first * 1000:.0f}"] * 4), ""],
             drafts.row("later drafts")],
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
