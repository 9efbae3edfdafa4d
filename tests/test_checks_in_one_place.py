"""Checks in one place: a role check and its message are written once, in the policies, and
every message a service raises is translated where it is raised.

The first two tests read the source: a front or service that writes its own ``raise
Forbidden("…")`` again, or raises an English sentence the pages cannot translate, fails here,
named by file and line. The last one asks both fronts for the same refusal in Romanian.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from casework.models import Case, ClosingReview
from tests.conftest import client_for
from tests.factories import World

ROOT = Path(__file__).resolve().parent.parent
# Every app of the project (a folder with an apps.py), so a new one is read the day it appears.
PACKAGES = tuple(sorted(p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name != "config"))
POLICIES = {Path(package) / "policies.py" for package in PACKAGES} | {
    Path("counselling/reports/policies.py")
}
# file -> why it may raise a role refusal with words of its own. Keep this short.
EXEMPT: dict[Path, str] = {}
DOMAIN_ERRORS = {"Conflict", "Invalid", "Forbidden", "NotFound"}
REFUSALS = {"Forbidden", "PermissionDenied"}
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "pgettext"}
# Where a service collects its field messages before raising Invalid.
ERROR_DICTS = {"errors", "problems", "fields"}


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            yield relative, ast.parse(path.read_text(), filename=str(relative))


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _has_text(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.JoinedStr) or (isinstance(n, ast.Constant) and isinstance(n.value, str))
        for n in ast.walk(node)
    )


def _untranslated(node: ast.AST) -> Iterator[ast.AST]:
    """Sentences (a string with a space, or an f-string) not passed through gettext."""
    if isinstance(node, ast.Call) and _name(node) in GETTEXT:
        return
    if isinstance(node, ast.JoinedStr):
        yield node
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value:
        yield node
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        # gettext("… %(x)s …") % {...}: the values filled in are data.
        yield from _untranslated(node.left)
        return
    if isinstance(node, ast.Call):
        # ", ".join(…): a separator, not a sentence; look at the arguments only.
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            yield from _untranslated(arg)
        return
    if isinstance(node, ast.Dict):
        # Keys are field names; only the values are read by people.
        for value in node.values:
            yield from _untranslated(value)
        return
    if isinstance(node, ast.DictComp):
        yield from _untranslated(node.value)
        return
    for child in ast.iter_child_nodes(node):
        yield from _untranslated(child)


def test_it_writes_role_refusals_only_in_the_policies() -> None:
    found = []
    for path, tree in _sources():
        if path in POLICIES or path in EXEMPT:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            if _name(node.exc) in REFUSALS and _has_text(node.exc):
                found.append(f"{path}:{node.lineno}")
    assert not found, (
        "Role refusals written outside the policies (add a require_… there and call it): "
        + ", ".join(found)
    )


def test_it_raises_every_domain_message_translated() -> None:
    found = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) in DOMAIN_ERRORS:
                # Keyword arguments are data for the API (stage, status), not words.
                sentences = [s for arg in node.args for s in _untranslated(arg)]
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Subscript)
                and ast.unparse(node.targets[0].value) in ERROR_DICTS
            ):
                sentences = list(_untranslated(node.value))
            else:
                continue
            found += [f"{path}:{s.lineno}" for s in sentences]  # type: ignore[attr-defined]
    assert not found, "Messages raised without gettext: " + ", ".join(found)


@pytest.mark.django_db
def test_it_shows_a_service_refusal_in_the_language_of_the_request(
    world: World, case: Case
) -> None:
    """The closing review of a case still in monitoring: the service's 409, in Romanian on the
    page and through the API, and in English when the API client asks for English."""
    review = {
        "feedback": "f",
        "objectives_met": "all",
        "impact": "i",
        "lessons_learned": "l",
    }
    romanian = "Evaluarea finală se scrie în etapa de încheiere."
    api = client_for(world.coordinator)
    answer = api.post(
        f"/api/cases/{case.pk}/closing-review/",
        review,
        format="json",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert answer.status_code == 409 and answer.json()["detail"] == romanian
    english = api.post(
        f"/api/cases/{case.pk}/closing-review/",
        review,
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.status_code == 409
    assert english.json()["detail"] == "The closing review is written while the case is closing."
    page = Client(HTTP_ACCEPT_LANGUAGE="ro")
    page.force_login(world.coordinator)
    response = page.post(f"/cases/{case.pk}/closing-review/", review)
    assert response.status_code == 409
    assert romanian in response.content.decode()
    assert not ClosingReview.objects.filter(case=case).exists()
