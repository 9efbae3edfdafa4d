"""bench/claim_contention.py runs end to end and checks exactly-once itself (tiny sizes; the
numbers are for docs/PERFORMANCE.md, never asserted here)."""

from __future__ import annotations

import pytest

from tests.bench.conftest import run_bench
from tests.conftest import requires_postgres

pytestmark = requires_postgres


@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_it_measures_claims_and_the_raw_lock_with_one_winner_per_task(mode: str) -> None:
    extra = ["--processes"] if mode == "processes" else []
    result = run_bench(
        "claim_contention.py",
        "--workers=3",
        "--tasks=4",
        "--repeat=1",
        "--nowait-tasks=2",
        "--breakdown=2",
        *extra,
    )
    assert result["exactly_once"] is True
    runs = {run["label"]: run for run in result["runs"]}
    for run in runs.values():
        assert run["outcomes"]["won"] == run["tasks"]
        assert sum(run["outcomes"].values()) == 3 * run["tasks"]
    assert any(label.startswith("raw") for label in runs)
    assert any("NOWAIT" in label for label in runs)
    assert any(label.endswith("processes") for label in runs) == (mode == "processes")
    assert result["raw_claims_per_s"] > 0 and result["wait_claims_per_s"] > 0
    assert {step["step"] for step in result["breakdown"]} >= {
        "fetch (task_get_for_user)",
        "task_claim, winner",
        "task_claim, loser (409)",
    }
