"""Fixtures for the sync tests: the real backend on loopback and an in-memory logbook."""

from __future__ import annotations

import pytest

from fieldapp import Logbook
from sync import enrol
from tests.support.backend import Backend

MUNICIPALITY = "1122"   # Gjesdal: every test backend serves one municipality


@pytest.fixture
def backend(tmp_path):
    b = Backend(tmp_path / "kommune.sqlite3").start(MUNICIPALITY)
    yield b
    b.stop()


@pytest.fixture
def lb():
    book = Logbook.in_memory()
    yield book
    book.close()


@pytest.fixture
def enrolled(lb, backend):
    enrol(lb, backend.url, backend.code())
    return lb
