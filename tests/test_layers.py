"""The layers of the house (docs/DEVELOPMENT.md draws them), read from the source.

Every import between project modules is read with ``ast``, the ones inside functions too, and
checked against the rules: no circle between modules, ``casework`` never imports ``workflows``,
each module imports only from its own layer or the ones below (so nothing below the fronts
imports a view), and the few imports inside functions are counted and say why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("casework", "workflows", "counselling", "support", "plans", "config")
# The areas built on casework and workflows, one Django app each; the core never imports them.
AREAS = ("counselling", "support", "plans")

# Layers from the bottom up; a module belongs to the first pattern it matches (a pattern ending
# in "." is a package prefix). A module may import from its own layer and the ones below.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "casework records",
        (
            "casework.models.",
            "casework.migrations.",
            "casework.anonymise.",
            "casework.errors",
            "casework.dates",
            "casework.roles",
            "casework.positions",
            "casework.risk",
            "casework.tabular",
            "casework.audit_chain",
            "casework.context",
            "casework.lockout",
            "casework.instrument_defaults",
            "casework.sockets",
            "casework.stored_text",
            "casework.compiled",
            "casework.apps",
            "casework",
        ),
    ),
    (
        "casework rules and writes",
        (
            "casework.policies",
            "casework.selectors",
            "casework.library_selectors",
            "casework.services.",
        ),
    ),
    (
        "workflows core",
        (
            "workflows.models",
            "workflows.migrations.",
            "workflows.notify",
            "workflows.notification_text",
            "workflows.policies",
            "workflows.permissions",
            "workflows.due_periods",
            "workflows.selectors",
            "workflows.agenda",
            "workflows.lifecycle",
            "workflows.task_writes",
            "workflows.nodes",
            "workflows.flows",
            "workflows.locking",
            "workflows.demo",
            "workflows.apps",
            "workflows",
        ),
    ),
    ("workflows services", ("workflows.services.", "workflows.calendar", "workflows.minutes")),
    (
        "areas",
        (
            "counselling.models",
            "counselling.migrations.",
            "counselling.apps",
            "counselling.policies",
            "counselling.selectors",
            "counselling.services",
            "counselling.attendance_sheet",
            "counselling.forms",
            "counselling.reports.periods",
            "counselling.reports.policies",
            "counselling.reports.content",
            "counselling.reports.selectors",
            "counselling.reports.steps",
            "counselling.reports.flows",
            "counselling.reports.services",
            "counselling.reports.due",
            "counselling.reports.export",
            "counselling.reports.words",
            "counselling.reports",
            "counselling.demo",
            "counselling",
            "support.models",
            "support.kinds",
            "support.countries",
            "support.migrations.",
            "support.policies",
            "support.selectors",
            "support.services.",
            "support.services",
            "support.export",
            "support.participants_export",
            "support.case_links",
            "support.forms",
            "support.demo",
            "support",
            "plans.apps",
            "plans.policies",
            "plans.outcomes",
            "plans.periods",
            "plans.labels",
            "plans.charts",
            "plans.export",
            "plans.models",
            "plans.migrations.",
            "plans.school_years",
            "plans.measures",
            "plans.achieved",
            "plans.reminders",
            "plans.words",
            "plans.selectors",
            "plans.template_mobility",
            "plans.services",
            "plans.demo",
            "plans",
        ),
    ),
    (
        "fronts",
        (
            "counselling.api",
            "counselling.api_urls",
            "counselling.web",
            "counselling.context",
            "counselling.reports.api",
            "counselling.reports.web",
            "counselling.tasks",
            "counselling.public",
            "support.api",
            "support.api_partners",
            "support.api_evidence",
            "support.api_urls",
            "support.web",
            "support.web_partners",
            "support.context",
            "support.case_page",
            # Support's AppConfig plugs its parts into the core's hooks, the case page's too.
            "support.wiring",
            "support.apps",
            "plans.api",
            "plans.api_urls",
            "plans.web",
            "plans.context",
            "plans.api_plans",
            "plans.web_plans",
            "plans.tasks",
            "casework.web.",
            "casework.api.",
            "casework.admin.",
            "casework.admin",
            "casework.middleware",
            "casework.management.",
            "casework.tasks",
            "casework.public",
            "workflows.web.",
            "workflows.api.",
            "workflows.admin",
            "workflows.management.",
            "workflows.templatetags.",
            "workflows.tasks",
            "workflows.consumers",
            "workflows.routing",
            "workflows.ws_auth",
        ),
    ),
    ("config", ("config.",)),
]

# Imports inside functions: at most this many, each with a comment (on its line or the one
# above) saying why it cannot sit at the top of the module.
MAX_FUNCTION_IMPORTS = 10


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    path: str
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[module_name(path)] = path
    return modules


def _targets(node: ast.Import | ast.ImportFrom, source: str, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = source.split(".")
        is_package = modules.get(source, Path()).name == "__init__.py"
        anchor = package if is_package else package[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    # ``from package import module`` imports the module; ``from module import name`` the module.
    found = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
    return found or [base]


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


class _Reader(ast.NodeVisitor):
    def __init__(self, source: str, path: Path, modules: dict[str, Path]) -> None:
        self.source, self.path, self.modules = source, path, modules
        self.depth = 0
        self.found: list[Import] = []

    def _function(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        for target in _targets(node, self.source, self.modules):
            owner = _owner(target, self.modules)
            if owner is not None and owner != self.source:
                self.found.append(
                    Import(
                        self.source,
                        owner,
                        str(self.path.relative_to(ROOT)),
                        node.lineno,
                        self.depth > 0,
                    )
                )

    visit_Import = visit_ImportFrom = _import


def project_imports() -> list[Import]:
    modules = project_modules()
    found: list[Import] = []
    for name, path in modules.items():
        reader = _Reader(name, path, modules)
        reader.visit(ast.parse(path.read_text(), str(path)))
        found.extend(reader.found)
    return found


def layer_of(module: str) -> int:
    for rank, (_name, patterns) in enumerate(LAYERS):
        for pattern in patterns:
            if module == pattern.rstrip(".") or (
                pattern.endswith(".") and module.startswith(pattern)
            ):
                return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/DEVELOPMENT.md")


def circles(imports: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for edge in imports:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _commented(edge: Import) -> bool:
    """A comment on the import's line (not a bare ``noqa``), or above its block of imports."""
    lines = (ROOT / edge.path).read_text().splitlines()
    at = edge.line - 1
    if "#" in lines[at] and "# noqa" not in lines[at]:
        return True
    while at > 0 and lines[at - 1].strip().startswith(("from ", "import ")):
        at -= 1
    return at > 0 and lines[at - 1].strip().startswith("#")


def test_it_finds_no_circle_between_modules() -> None:
    assert circles(project_imports()) == []


def test_it_keeps_casework_free_of_workflows() -> None:
    wrong = [
        f"{e.path}:{e.line} imports {e.target}"
        for e in project_imports()
        if e.source.startswith("casework") and e.target.startswith("workflows")
    ]
    assert wrong == []


def test_it_keeps_the_core_free_of_the_areas() -> None:
    wrong = [
        f"{e.path}:{e.line} imports {e.target}"
        for e in project_imports()
        if e.source.startswith(("casework", "workflows")) and e.target.startswith(AREAS)
    ]
    assert wrong == []


def test_it_imports_only_from_the_same_layer_or_below() -> None:
    wrong = [
        f"{e.path}:{e.line} ({LAYERS[layer_of(e.source)][0]}) imports {e.target} "
        f"({LAYERS[layer_of(e.target)][0]})"
        for e in project_imports()
        if layer_of(e.target) > layer_of(e.source)
    ]
    assert wrong == []


def test_it_keeps_imports_inside_functions_few_and_explained() -> None:
    inside = [e for e in project_imports() if e.in_function]
    assert len(inside) <= MAX_FUNCTION_IMPORTS, [f"{e.path}:{e.line}" for e in inside]
    assert [f"{e.path}:{e.line}" for e in inside if not _commented(e)] == []


def test_it_reads_imports_inside_functions_and_finds_a_circle(tmp_path: Path) -> None:
    tree = ast.parse("def f():\n    from casework import roles\n")
    reader = _Reader("casework.dates", ROOT / "casework" / "dates.py", project_modules())
    reader.visit(tree)
    assert [(e.target, e.in_function) for e in reader.found] == [("casework.roles", True)]
    edges = [
        Import("a", "b", "a.py", 1, False),
        Import("b", "c", "b.py", 1, True),
        Import("c", "a", "c.py", 1, False),
    ]
    assert circles(edges) == [["a", "b", "c"]]


# Data, not logic: word lists and tables the anonymiser reads.
DATA_MODULES = {
    "casework/anonymise/places.py": "place-name lists",
    "casework/anonymise/names.py": "first-name and surname lists",
}
MAX_MODULE_LINES = 500


def test_it_keeps_every_module_but_data_under_500_lines() -> None:
    long = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "/migrations/" in relative or relative in DATA_MODULES:
                continue
            lines = path.read_text(encoding="utf-8").count("\n")
            if lines > MAX_MODULE_LINES:
                long[relative] = lines
    assert long == {}, "split these by concept (see docs/DEVELOPMENT.md)"
