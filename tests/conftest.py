"""Shared fixtures: keep every device secret inside the test's temporary directory."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_keystore(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("POLITIKONTAKT_KEYSTORE_DIR", str(tmp_path_factory.mktemp("keystore")))
