"""A test that pytest would not collect is caught here instead of silently never running.

pytest collects ``test_*.py`` files, ``Test*`` classes and ``test_it_*`` functions
(pyproject.toml). A function that asserts, is used by nothing else in its module and is not a
fixture is a test by intent: its name must start ``test_it_``, and its file must be collected.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _decorated_as_fixture(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any("fixture" in ast.unparse(d) for d in node.decorator_list)


def _asserts(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Assert) or (isinstance(n, ast.Attribute) and n.attr == "raises")
        for n in ast.walk(node)
    )


def _used_names(tree: ast.Module) -> set[str]:
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return names | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def _functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    found: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(("", node))
        elif isinstance(node, ast.ClassDef):
            found += [
                (node.name, n)
                for n in node.body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
    return found


def uncollected(path: Path, source: str) -> list[str]:
    """What in one file pytest would skip although it reads like a test."""
    tree = ast.parse(source)
    used = _used_names(tree)
    collected_file = path.name.startswith("test_") and path.suffix == ".py"
    wrong = []
    for owner, node in _functions(tree):
        name = node.name
        looks_like_test = name.startswith("test") or (
            not name.startswith("_")
            and name not in used
            and not _decorated_as_fixture(node)
            and _asserts(node)
        )
        if not looks_like_test or path.name == "conftest.py":
            continue
        where = f"{path.name}:{node.lineno} {owner + '.' if owner else ''}{name}"
        if not name.startswith("test_it_"):
            wrong.append(f"{where}: a test's name starts test_it_")
        elif not collected_file:
            wrong.append(f"{where}: the file is not named test_*.py")
        elif owner and not owner.startswith("Test"):
            wrong.append(f"{where}: the class is not named Test*")
    return wrong


def test_it_finds_every_test_collected() -> None:
    wrong = []
    for path in sorted(TESTS.rglob("*.py")):
        wrong += uncollected(path, path.read_text())
    assert wrong == []


def test_it_catches_names_pytest_would_skip() -> None:
    source = (
        "def check_it_works():\n    assert True\n"
        "def it_works():\n    assert True\n"
        "def test_works():\n    pass\n"
        "class Checks:\n    def test_it_runs(self):\n        assert True\n"
        "def helper():\n    assert True\n"
        "def test_it_uses_helper():\n    helper()\n"
    )
    found = uncollected(Path("test_example.py"), source)
    assert [line.split(":")[1].split(" ")[1] for line in found] == [
        "check_it_works",
        "it_works",
        "test_works",
        "Checks.test_it_runs",
    ]
    assert uncollected(Path("example.py"), "def test_it_runs():\n    assert True\n") == [
        "example.py:1 test_it_runs: the file is not named test_*.py"
    ]
