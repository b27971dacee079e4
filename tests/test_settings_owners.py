"""Only the repositories touch the settings document: a screen or a sync module reads and
writes typed values through ``lb.agreements``, ``lb.served``, ``lb.preferences`` or sync's
ledger, never a key of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OWNERS = {"fieldapp/repositories", "sync/ledger.py", "fieldapp/sync_records.py"}
SOURCES = sorted(p for pkg in ("fieldapp", "sync", "views") for p in (ROOT / pkg).rglob("*.py"))


def _owner(path: Path) -> bool:
    rel = path.relative_to(ROOT).as_posix()
    return any(rel == o or rel.startswith(o + "/") for o in OWNERS)


def _settings_calls(tree: ast.AST) -> list[str]:
    """``<x>.settings.<get|write>(...)`` and the old ``get_setting``/``set_setting`` calls."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        func = node.func
        if func.attr in ("get_setting", "set_setting"):
            found.append(f"line {node.lineno}: {func.attr}")
        elif (func.attr in ("get", "write") and isinstance(func.value, ast.Attribute)
              and func.value.attr == "settings"):
            found.append(f"line {node.lineno}: settings.{func.attr}")
    return found


@pytest.mark.parametrize("path", [p for p in SOURCES if not _owner(p)],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_outside_the_repositories_reads_or_writes_a_setting(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert _settings_calls(tree) == []


def test_the_check_sees_a_settings_call():
    tree = ast.parse("lb.settings.get('agreements')\nscreen.logbook.settings.write({})\n"
                     "lb.get_setting('x')\n")
    assert _settings_calls(tree) == ["line 1: settings.get", "line 2: settings.write",
                                     "line 3: get_setting"]
