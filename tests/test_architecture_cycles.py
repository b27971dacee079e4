"""No import cycles among the project's modules: the graph is built from the source with ``ast``.

Every import counts, wherever it stands (at the top, inside a function, under
``TYPE_CHECKING``): a cycle that only a late import keeps from failing at start is still a
cycle. ``from package import name`` is an edge to ``package.name`` when that is a module, else to
the package. Importing a module is not counted as importing its parent packages.

There are no known cycles: ``ALLOWED_CYCLES`` is empty. A cycle that truly cannot be removed
would be listed there by name, with its reason; any other cycle fails with its path.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("fieldapp", "sync", "views")
ROOT_MODULES = ("main",)

# name (with the reason it cannot be removed) -> the import edges (importer, imported) that
# may lie on a cycle. A test below fails when a listed edge no longer is on one. The views'
# screens <-> shell <-> routes cycle and the screen-to-screen imports are gone since views are
# organised by feature (screens navigate by path; shell knows the router as a protocol).
ALLOWED_CYCLES: dict[str, frozenset[tuple[str, str]]] = {}


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for the packages and the root modules."""
    found = {name: ROOT / f"{name}.py" for name in ROOT_MODULES}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _known(dotted: str, known: dict[str, Path]) -> str | None:
    """The longest prefix of a dotted name that is one of our modules."""
    while dotted and dotted not in known:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _base(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[:len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def imported_modules(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    is_package = path.name == "__init__.py"
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _base(node, module, is_package)
            names += [f"{base}.{alias.name}" for alias in node.names]
    found = {_known(name, known) for name in names}
    return {name for name in found if name is not None and name != module}


def import_graph() -> dict[str, set[str]]:
    known = module_files()
    return {module: imported_modules(module, path, known) for module, path in known.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of two or more modules that all reach each other (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return groups


def edges_on_cycles(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Every import that lies on some cycle: the edges inside a strongly connected group."""
    return {(a, b) for group in strongly_connected(graph) for a in group
            for b in graph[a] if b in group}


def cycle_through(graph: dict[str, set[str]], edge: tuple[str, str]) -> list[str]:
    """A shortest cycle that uses ``edge``: a -> b -> ... -> a."""
    first, second = edge
    came_from: dict[str, str | None] = {second: None}
    queue = deque([second])
    while queue:
        node = queue.popleft()
        if node == first:
            break
        for child in sorted(graph[node]):
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    path: list[str] = []
    node: str | None = first
    while node is not None:
        path.append(node)
        node = came_from[node]
    return [first, *reversed(path)]


def cycle_text(cycle: list[str]) -> str:
    """A cycle written from its smallest module, so each cycle is named once."""
    ring = cycle[:-1]
    start = ring.index(min(ring))
    ring = ring[start:] + ring[:start]
    return " -> ".join([*ring, ring[0]])


def test_the_graph_sees_the_packages_and_their_relative_imports():
    graph = import_graph()
    assert len(graph) > 60
    assert "fieldapp.domain.records" in graph["fieldapp.domain.meetings"]  # from .records
    assert "fieldapp.report.texts" in graph["fieldapp.report.pdf"]  # from . import texts
    assert "views.app" in graph["main"]


def test_the_cycle_finder_finds_and_names_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert strongly_connected(graph) == [{"a", "b", "c"}]
    assert edges_on_cycles(graph) == {("a", "b"), ("b", "c"), ("c", "a")}
    assert cycle_through(graph, ("c", "a")) == ["c", "a", "b", "c"]
    assert cycle_text(["c", "a", "b", "c"]) == "a -> b -> c -> a"


def test_no_import_cycles_but_the_allowed_ones():
    graph = import_graph()
    allowed = frozenset().union(*ALLOWED_CYCLES.values())
    new = sorted(edges_on_cycles(graph) - allowed)
    cycles = sorted({cycle_text(cycle_through(graph, edge)) for edge in new})
    assert not cycles, "import cycles:\n  " + "\n  ".join(cycles)


def test_every_allowed_cycle_still_exists():
    """When a step removes an allowed import from a cycle, it is taken off the list too."""
    on_cycles = edges_on_cycles(import_graph())
    gone = {name: sorted(edges - on_cycles) for name, edges in ALLOWED_CYCLES.items()}
    gone = {name: edges for name, edges in gone.items() if edges}
    assert not gone, f"no longer on a cycle; remove from ALLOWED_CYCLES: {gone}"
