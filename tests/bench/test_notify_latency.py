"""bench/notify_latency.py runs end to end: two daphne workers, every claim's frame reaches
the partner on the other worker and nobody else (tiny sizes; no timing asserted)."""

from __future__ import annotations

from tests.bench.conftest import run_bench
from tests.conftest import requires_postgres, requires_redis

pytestmark = [requires_postgres, requires_redis]


def test_it_measures_each_claims_frame_at_the_partner_and_the_redis_floor() -> None:
    result = run_bench(
        "notify_latency.py", "--clients=4", "--rounds=2", "--redis-samples=20", "--concurrency=2"
    )
    assert result["claims"] == 4
    assert (result["api_errors"], result["frames_lost"], result["strays"]) == (0, 0, 0)
    assert result["from_created_at_s"]["n"] == 4
    assert result["group_send_to_frame_s"]["n"] == 4
    assert result["redis_idle_s"]["n"] == 20
    assert result["from_request_s"]["p50"] >= result["from_created_at_s"]["p50"] > 0
