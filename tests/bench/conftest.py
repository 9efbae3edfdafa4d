"""The benchmarks run as a user runs them: a subprocess, its own throwaway database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]


def run_bench(script: str, *args: str) -> dict[str, Any]:
    """Run ``bench/<script>`` with ``--json`` on a database named after the test database."""
    url = os.environ["DATABASE_URL"]
    name = f"{urlsplit(url).path.lstrip('/')}_{script.removesuffix('.py')}"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args, "--json", "--db-name", name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server) as conn:
        left = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert left is None, f"the benchmark left its database {name} behind"
    result: dict[str, Any] = json.loads(done.stdout)
    return result
