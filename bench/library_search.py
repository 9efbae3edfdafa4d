"""Benchmark: library search over 100,000 published entries on PostgreSQL.

    DATABASE_URL=postgresql://user@127.0.0.1:5432/somedb .venv/bin/python bench/library_search.py

Creates a throwaway test database (test_<name>), fills it with generated entries in Romanian and
English, and times the search API (a staff user, through Django's test client: routing,
authentication, the query, the count, serialisation and the audit row) for a mix of queries.
Target: p95 ≤ 50 ms. Results go in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "60"))

RO = [
    "elevul",
    "eleva",
    "absențe",
    "absenteism",
    "consiliere",
    "familia",
    "mama",
    "bunica",
    "bursa",
    "socială",
    "transport",
    "practică",
    "atelier",
    "mecanic",
    "coafor",
    "bucătar",
    "notele",
    "corigență",
    "examen",
    "anxietate",
    "colegi",
    "conflict",
    "sprijin",
    "pedagogic",
    "psiholog",
    "diriginta",
    "ședință",
    "săptămânală",
    "obiectiv",
    "prezența",
    "a",
    "crescut",
    "a",
    "scăzut",
    "rechizite",
    "ochelari",
    "stagiu",
    "angajator",
    "program",
    "individualizat",
    "mediator",
    "comunitate",
    "locuință",
    "chirie",
    "acte",
    "identitate",
    "echivalare",
    "limba",
    "română",
    "întârzieri",
    "dimineața",
    "autobuz",
]
EN = [
    "student",
    "attendance",
    "counselling",
    "family",
    "mother",
    "grandmother",
    "bursary",
    "transport",
    "placement",
    "workshop",
    "mechanic",
    "hairdressing",
    "catering",
    "grades",
    "resit",
    "exam",
    "anxiety",
    "classmates",
    "bullying",
    "support",
    "mentor",
    "tutor",
    "weekly",
    "meeting",
    "target",
    "rose",
    "dropped",
    "equipment",
    "glasses",
    "employer",
    "flexible",
    "timetable",
    "housing",
    "carers",
    "bereavement",
    "dyslexia",
    "reading",
    "late",
    "morning",
    "bus",
    "pass",
]
FUNCTIONS = ["information", "pedagogical", "socio_economic", "administrative"]
RISKS = ["attendance", "grades", "behaviour", "wellbeing", "poverty", "lateness", "housing"]
INTERVENTIONS = ["counselling", "bursary", "tutoring", "mentoring", "referral", "placement"]
OUTCOMES = ["all", "partly", "none"]


def _vocabulary(rng: random.Random, domain: list[str], size: int = 4000) -> list[str]:
    """The domain words first, then made-up words: case notes use a few words very often
    and thousands rarely, so words are drawn with Zipf weights (rank r has weight 1/r)."""
    syllables = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi"]
    made_up = {
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)
    }
    rare = sorted(made_up - set(domain))
    rng.shuffle(rare)
    return [*domain, *rare]


def _text(rng: random.Random, words: list[str], weights: list[float], n: int) -> str:
    return " ".join(rng.choices(words, cum_weights=weights, k=n)).capitalize() + "."


def populate() -> None:
    from casework.anonymise.text import fold
    from casework.models import LibraryEntry
    from casework.services.library import refresh_search_vector

    rng = random.Random(6)
    now = timezone.now()
    vocabularies = {}
    for name, domain in (("ro", RO), ("en", EN)):
        words = _vocabulary(rng, domain)
        # Domain words get ranks spread over the first few hundred, like real notes.
        total, cumulative = 0.0, []
        for rank in range(1, len(words) + 1):
            total += 1 / (rank if rank > len(domain) else 8 * rank)
            cumulative.append(total)
        vocabularies[name] = (words, cumulative)
    batch: list[LibraryEntry] = []
    for i in range(ENTRIES):
        words, weights = vocabularies["ro" if i % 3 else "en"]
        narrative = {
            "title": _text(rng, words, weights, 6),
            "situation": _text(rng, words, weights, 40),
            "intervention": _text(rng, words, weights, 30),
            "what_worked": _text(rng, words, weights, 20),
            "lessons_learned": _text(rng, words, weights, 20),
            "outcome": _text(rng, words, weights, 12),
        }
        tags = sorted(
            {f"function:{f}" for f in rng.sample(FUNCTIONS, rng.randint(1, 3))}
            | {f"risk:{r}" for r in rng.sample(RISKS, rng.randint(1, 2))}
            | {f"intervention:{v}" for v in rng.sample(INTERVENTIONS, rng.randint(1, 2))}
            | {f"outcome:{rng.choice(OUTCOMES)}"}
        )
        batch.append(
            LibraryEntry(
                uuid=uuid.UUID(int=rng.getrandbits(128)),
                status="published",
                language="ro" if i % 3 else "en",
                published_at=now - datetime.timedelta(minutes=i),
                tags=tags,
                search_text=fold(" ".join([*narrative.values(), " ".join(tags)])),
                **narrative,
            )
        )
        if len(batch) == 5000:
            LibraryEntry.objects.bulk_create(batch)
            batch = []
    LibraryEntry.objects.bulk_create(batch)
    refresh_search_vector(LibraryEntry.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE casework_libraryentry")


QUERIES = {
    "one common word (q=familia)": "?q=familia",
    "one word, no diacritics (q=sedinta)": "?q=sedinta",
    "one word, diacritics (q=ședință)": "?q=%C8%99edin%C8%9B%C4%83",
    "prefix of an inflected word (q=absent)": "?q=absent",
    "two words (q=bursa transport)": "?q=bursa+transport",
    "three words, rare combination": "?q=dyslexia+reading+bus",
    "word + two filters": "?q=mentor&function=pedagogical&outcome=all",
    "filters only (risk + intervention)": "?risk=housing&intervention=bursary",
    "no query: newest first": "",
}


def measure() -> list[tuple[str, int, float, float, float]]:
    from casework.models import User

    user, _ = User.objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    rows = []
    for label, query in QUERIES.items():
        for _ in range(5):
            client.get(f"/api/library/{query}")
        timings = []
        count = 0
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get(f"/api/library/{query}")
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.content
            count = response.json()["count"]
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        rows.append((label, count, statistics.median(timings), p95, timings[-1]))
    return rows


def explain(q: str) -> None:
    from casework.library_selectors import library_search

    queryset = library_search(q=q)
    print(queryset[:50].explain(analyze=True, buffers=True))
    print(queryset.count())
    with connection.cursor() as cursor:
        sql, params = queryset.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN ANALYZE SELECT count(*) FROM ({sql}) s", params)
        print("\n".join(r[0] for r in cursor.fetchall()))


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/library_search.py needs PostgreSQL: set DATABASE_URL.")
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    keep = bool(os.environ.get("BENCH_KEEPDB"))
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keep)
    try:
        from casework.models import LibraryEntry

        start = time.perf_counter()
        if LibraryEntry.objects.count() != ENTRIES:
            LibraryEntry.objects.all().delete()
            populate()
        print(f"{ENTRIES} entries ready in {time.perf_counter() - start:.0f} s")
        rows = measure()
        if os.environ.get("BENCH_EXPLAIN"):
            explain(os.environ["BENCH_EXPLAIN"])
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keep)
    print("\n| query | matches | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|")
    for label, count, p50, p95, worst in rows:
        print(f"| {label} | {count} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
    overall = max(p95 for _, _, _, p95, _ in rows)
    print(f"\nworst p95: {overall:.1f} ms (target 50 ms): {'OK' if overall <= 50 else 'MISSED'}")


if __name__ == "__main__":
    main()
