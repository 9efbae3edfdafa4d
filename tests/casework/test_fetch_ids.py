"""An id that is not a number names no record: every permission-checked fetch answers it as it
answers an unknown id (NotFound, a 404), and reads it through one helper,
``casework.selectors.pk_or_not_found``, rather than a copy of the same ``try: int(pk)``."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casework import library_selectors
from casework import selectors as casework_selectors
from casework.errors import NotFound
from casework.models import Signal
from counselling import selectors as counselling_selectors
from counselling.reports import selectors as report_selectors
from plans import selectors as plan_selectors
from support import selectors as support_selectors
from tests.factories import World
from workflows import selectors as workflow_selectors

ROOT = Path(__file__).resolve().parents[2]
HELPER = Path("casework/selectors.py")

FETCHES: list[Callable[[Any, Any], Any]] = [
    casework_selectors.case_get_for_user,
    casework_selectors.student_get_for_user,
    casework_selectors.instrument_link_get_for_user,
    lambda user, pk: casework_selectors.get_for_user(user, Signal, pk),
    library_selectors.library_entry_get_for_user,
    workflow_selectors.task_get_for_user,
    workflow_selectors.referral_get_for_user,
    workflow_selectors.meeting_get_for_user,
    counselling_selectors.activity_get_for_user,
    report_selectors.report_get_for_user,
    plan_selectors.plan_get_for_user,
    plan_selectors.objective_get_for_user,
    plan_selectors.action_get_for_user,
    plan_selectors.indicator_get_for_user,
    support_selectors.partner_get_for_user,
    support_selectors.opportunity_get_for_user,
    support_selectors.participation_get_for_user,
]


@pytest.mark.parametrize("pk", ["abc", None, "", "1.5", [1]])
def test_it_reads_a_non_number_as_no_record(pk: Any) -> None:
    with pytest.raises(NotFound):
        casework_selectors.pk_or_not_found(pk)


def test_it_reads_a_numeric_id() -> None:
    assert casework_selectors.pk_or_not_found("42") == 42
    assert casework_selectors.pk_or_not_found(7) == 7


@pytest.mark.parametrize("fetch", FETCHES)
@pytest.mark.django_db
def test_it_answers_every_fetch_of_a_non_number_with_not_found(
    fetch: Callable[[Any, Any], Any], world: World
) -> None:
    for pk in ("abc", None, "1; drop"):
        with pytest.raises(NotFound):
            fetch(world.coordinator, pk)


def _parses_an_id_itself(node: ast.Try) -> bool:
    """``try: … int(…) … except (TypeError, ValueError): raise NotFound()``."""
    calls_int = any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "int"
        for statement in node.body
        for n in ast.walk(statement)
    )
    raises_not_found = any(
        isinstance(n, ast.Raise) and "NotFound" in ast.unparse(n)
        for handler in node.handlers
        for n in ast.walk(handler)
    )
    return calls_int and raises_not_found


def test_it_parses_fetched_ids_only_in_the_helper() -> None:
    found = []
    for package in ("casework", "workflows", "counselling", "support", "plans"):
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            tree = ast.parse(path.read_text(), filename=str(relative))
            for node in ast.walk(tree):
                if isinstance(node, ast.Try) and _parses_an_id_itself(node):
                    found.append(f"{relative}:{node.lineno}")
    assert found == [f"{HELPER}:{_helper_line()}"], found


def _helper_line() -> int:
    tree = ast.parse((ROOT / HELPER).read_text())
    helper = next(
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "pk_or_not_found"
    )
    return next(n.lineno for n in ast.walk(helper) if isinstance(n, ast.Try))
