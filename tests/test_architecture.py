"""Dependency rules of DESIGN.md, enforced on the import statements of every module."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("fieldapp", "views", "sync")
MAX_MODULE_LINES = 300  # DESIGN.md: modules around 300 lines at most


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_there_is_code_to_check():
    assert len(_modules("fieldapp")) >= 10


# The core's one declared launcher, the only module under fieldapp/ that imports the root:
# ``python -m fieldapp --port N --data-dir D`` is the fixed scriptable surface (make run, the
# README, tests/e2e), and ``-m`` runs a module inside a package, so the handover to the
# composition root (main.py: flet, views) has to sit in the package. Nothing imports it.
LAUNCHER = "fieldapp/__main__.py"
ROOT_MODULES = {"main"}


@pytest.mark.parametrize("path", _modules("fieldapp"), ids=_rel)
def test_fieldapp_imports_no_ui_no_network(path):
    roots = _roots(_imports(path))
    assert not roots & {"flet", "requests", "httpx", "urllib3"}
    if _rel(path) != LAUNCHER:
        assert not roots & {"views", "sync", *ROOT_MODULES}, "the core never imports the app"
        assert "fieldapp.__main__" not in _imports(path)
    if _rel(path) != "fieldapp/device.py":
        assert "plyer" not in roots
    else:
        assert "plyer" not in _roots(_imports(path, top_level_only=True)), "plyer must be lazy"


def test_the_launcher_only_hands_over_to_the_root_app():
    assert _imports(ROOT / LAUNCHER) == {"main"}


@pytest.mark.parametrize("path", _modules("fieldapp/domain"), ids=_rel)
def test_domain_uses_only_the_standard_library(path):
    roots = _roots(_imports(path)) - {"fieldapp"}
    assert roots <= set(sys.stdlib_module_names), roots - set(sys.stdlib_module_names)
    assert not {n for n in _imports(path) if n.startswith("fieldapp.") and
                not n.startswith("fieldapp.domain")}


@pytest.mark.parametrize("path", _modules("views"), ids=_rel)
def test_views_never_touch_the_store_or_the_network(path):
    names = _imports(path)
    assert not _roots(names) & {"tinydb", "cryptography", "requests", "plyer"}
    assert not {n for n in names if n.startswith("fieldapp.store")}


@pytest.mark.parametrize("path", _modules("sync"), ids=_rel)
def test_sync_never_imports_views_or_flet(path):
    names = _imports(path)
    assert not _roots(names) & {"views", "flet", "tinydb", "cryptography"}
    if "/server/" in _rel(path):  # the domain, and the report built from plain records
        assert not {n for n in names if n.startswith("fieldapp.") and
                    not n.startswith(("fieldapp.domain", "fieldapp.report"))}


@pytest.mark.parametrize("path", _modules("fieldapp/report"), ids=_rel)
def test_the_report_reads_only_the_domain(path):
    """The backend builds the report too, so it must not reach the store or the Logbook."""
    names = _imports(path)
    assert not _roots(names) & {"views", "flet", "tinydb", "cryptography", "requests"}
    assert not {n for n in names if n.startswith("fieldapp.") and
                not n.startswith(("fieldapp.domain", "fieldapp.report"))}


@pytest.mark.parametrize("path", [p for pkg in PACKAGES for p in _modules(pkg)], ids=_rel)
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{_rel(path)} has {lines} lines"


# -- views by feature ---------------------------------------------------------------------------
# views/<feature>/ holds a feature's screen module(s) and its flet-free presenter; views/kit/ the
# shared controls; app, routes, shell and state stay at the top. Only the route table imports
# screens; any other module reaches another feature through that feature's presenter (no flet).

VIEWS = ROOT / "views"
FEATURES = ("agreement", "crisis", "home", "lock", "meetings", "observations", "report",
            "schools", "settings", "sync", "u18")
SHARED_VIEWS = ("kit", "device", "strings")
TOP_VIEWS = ("__init__", "app", "routes", "shell", "state")


def _feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "views" and parts[1] in FEATURES else None


def _uses_flet(path: Path) -> bool:
    return bool(_roots(_imports(path)) & {"flet", "flet_charts"})


def _view_graph() -> tuple[dict[str, set[str]], dict[str, Path]]:
    from tests.test_architecture_cycles import import_graph, module_files
    return import_graph(), module_files()


def test_views_are_features_a_kit_and_four_top_modules():
    folders = {p.name for p in VIEWS.iterdir() if (p / "__init__.py").exists()}
    assert folders == {*FEATURES, *SHARED_VIEWS}
    assert {p.stem for p in VIEWS.glob("*.py")} == set(TOP_VIEWS)
    for feature in FEATURES:
        assert (VIEWS / feature / "screen.py").exists(), feature
        assert (VIEWS / feature / "presenter.py").exists(), feature


@pytest.mark.parametrize("path", sorted(VIEWS.rglob("presenter.py")), ids=_rel)
def test_presenters_are_flet_free(path):
    assert not _uses_flet(path)


def test_no_screen_imports_another_features_screen():
    """A feature's flet modules (screens, forms, charts) are imported only inside the feature
    and by the route table; cross-feature data comes from presenters or the domain."""
    graph, files = _view_graph()
    wrong = []
    for importer, imported in ((a, b) for a in graph for b in graph[a]):
        feature = _feature_of(imported)
        if feature is None or importer == "views.routes" or _feature_of(importer) == feature:
            continue
        if _uses_flet(files[imported]):
            wrong.append(f"{importer} -> {imported}")
    assert not wrong, wrong


def test_the_kit_and_the_frame_know_no_feature():
    graph, _ = _view_graph()
    for module, imported in graph.items():
        if module.startswith(("views.kit", "views.shell", "views.strings", "views.device")):
            assert not {n for n in imported if _feature_of(n)}, module
