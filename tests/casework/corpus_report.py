"""Lines the corpus test reports at the end of the run (see tests/conftest.py)."""

from __future__ import annotations

LINES: list[str] = []


def record(line: str) -> None:
    LINES.append(line)
