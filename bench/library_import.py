"""Benchmark: what checking a partner's library export costs — signature, schema, anonymiser.

    .venv/bin/python bench/library_import.py [--entries 100]

Entries are built from the held-out test set's texts, scrubbed first (what a partner running
this software sends), in the exchange format; the document is signed once. Then, as an import
does before writing anything: the Ed25519 check over the canonical JSON, the JSON Schema, and
every narrative field through the anonymiser (per entry, warm). Also counted: entries whose
scrubbed text the anonymiser would change again (an import would refuse them). No database.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from _common import ROOT, Distribution, log, table

NARRATIVE = ("situation", "intervention", "what_worked", "lessons_learned", "outcome")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DEBUG"] = "1"
    os.environ["LIBRARY_SIGNING_KEY_FILE"] = str(Path(tempfile.mkdtemp()) / "key.pem")
    import django

    django.setup()
    from casework.anonymise import scrub
    from casework.errors import Invalid
    from casework.services.library_exchange import _check_scrubbed
    from casework.services.library_format import document_check
    from casework.services.library_keys import _private_key, canonical_json, document_sign
    from tests.casework.heldout.measure import load, strip

    log("building entries…")
    cases = (load("test") * (args.entries // 100 + 1))[: args.entries]
    entries = []
    for case in cases:
        texts = [scrub(strip(t)[0], language="ro").text for t in case["texts"].values()]
        narrative = {"title": "Sprijin pedagogic (16-17 ani, mecanică)"}
        for i, name in enumerate(NARRATIVE):
            narrative[name] = texts[i] if i < len(texts) else ""
        entries.append({
            "uuid": str(uuid.uuid4()), "version": 1, "status": "published", "language": "ro",
            "published_at": "2025-06-30T11:00:00+03:00", "narrative": narrative,
            "facts": {"profile": {"age_band": "16-17", "programme": "mechanics",
                                  "programme_level": "family", "region": "Nord-Est"},
                      "functions": ["pedagogical"]},
            "tags": ["function:pedagogical"],
        })  # fmt: skip
    body = {
        "schema": "action-office/case-library", "schema_version": 2, "publisher": {"name": "P"},
        "exported_at": "2025-06-30T12:00:00+03:00", "entries": entries,
    }  # fmt: skip
    started = time.perf_counter()
    document = document_sign(body)
    sign_s = time.perf_counter() - started
    public = _private_key().public_key()
    started = time.perf_counter()
    public.verify(base64.b64decode(document["signature"]["value"]), canonical_json(body))
    verify_s = time.perf_counter() - started
    started = time.perf_counter()
    document_check(document)
    schema_s = time.perf_counter() - started
    samples, refused = [], 0
    for index, entry in enumerate(entries):
        started = time.perf_counter()
        try:
            _check_scrubbed(index, entry)
        except Invalid:
            refused += 1
        samples.append(time.perf_counter() - started)
    size = len(canonical_json(document))
    print(f"{len(entries)} entries, {size / 2**20:.2f} MiB of canonical JSON")
    print(table("Whole document", ["step", "seconds"], [
        ["sign (export)", f"{sign_s:.3f}"], ["verify signature", f"{verify_s:.3f}"],
        ["JSON Schema", f"{schema_s:.3f}"], ["anonymiser, all entries", f"{sum(samples):.3f}"],
    ]))  # fmt: skip
    headers = ["what", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms"]
    print(table("Anonymiser check per entry (warm)", headers,
                [Distribution.of(samples[1:]).row("per entry")]))  # fmt: skip
    print(f"entries our anonymiser would change again (an import refuses them): {refused}")


if __name__ == "__main__":
    main()
