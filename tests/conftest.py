"""Shared fixtures: keep every device secret inside the test's temporary directory."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_keystore(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("POLITIKONTAKT_KEYSTORE_DIR", str(tmp_path_factory.mktemp("keystore")))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers the suites are split by (``tests/run_suites.py``): ``backend`` for the tests
    under tests/sync, ``pg`` for those that run on PostgreSQL."""
    for item in items:
        module = item.nodeid.split("::")[0]
        if module.startswith("tests/sync/"):
            item.add_marker("backend")
        if "postgres" in module or "[postgres" in item.nodeid:
            item.add_marker("pg")
