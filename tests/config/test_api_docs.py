"""docs/API.md's "Beyond the contract" names calls the code serves: each operation id it gives
is in the schema at /api/schema/, under the path and method the heading says, so a renamed or
removed call fails here instead of leaving the page wrong."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
# "**`GET/PATCH /api/objectives/{id}/`** (`objectives_retrieve`, …)"
_HEADING = re.compile(
    r"^\*\*`([A-Z/]+) (/api/[^`?]+)[^`]*`\*\*(?: · \*\*`\.(\w+)`\*\*)? \(([^)]*)\)", re.M
)


def _beyond() -> str:
    text = (ROOT / "docs/API.md").read_text()
    return text.split("## Beyond the contract", 1)[1]


def _schema_operations() -> dict[str, tuple[str, str]]:
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if isinstance(operation, dict) and "operationId" in operation
    }


def _schema_path(path: str) -> str:
    # participants.xlsx and .csv are one path in the schema, {fmt}; ids are {id}.
    return re.sub(r"participants\.xlsx$", "participants.{fmt}", path)


def test_it_documents_only_calls_the_schema_serves() -> None:
    served = _schema_operations()
    headings = _HEADING.findall(_beyond())
    assert len(headings) >= 5
    problems = []
    for methods, path, _other, ids in headings:
        names = re.findall(r"`(\w+)`", ids)
        assert names, path
        for name in names:
            method, found = served.get(name, ("", ""))
            if found != _schema_path(path) or method not in methods.split("/"):
                problems.append(f"{methods} {path}: {name} is {method} {found or 'not served'}")
    assert problems == []


def test_it_documents_the_plan_notifications() -> None:
    from workflows.models import Notification

    text = _beyond()
    for kind in (Notification.Kind.PLAN_TERM_STARTED, Notification.Kind.PLAN_AT_RISK):
        assert f"`{kind.value}`" in text
