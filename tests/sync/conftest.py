"""Fixtures for the sync tests: the real backend on loopback and an in-memory logbook.

The backend's own test modules (``BOTH_DATABASES``) run every test that uses ``db_target``
(``backend`` does) twice: on a SQLite file and on a fresh database in a throwaway PostgreSQL
cluster (``tests/support/postgres.py``). Elsewhere ``db_target`` is a SQLite file. When
PostgreSQL cannot be started, its runs are skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldapp import Logbook
from sync import enrol
from tests.support.backend import Backend
from tests.support.postgres import start_cluster

MUNICIPALITY = "1122"   # Gjesdal: every test backend serves one municipality
BOTH_DATABASES = ("test_server_", "test_forged_client", "test_end_to_end", "test_tombstones",
                  "test_withdrawals", "test_console_auth", "test_console_pages", "test_archive",
                  "test_retention", "test_postgres", "test_audit_chain")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_kind" in metafunc.fixturenames and \
            Path(metafunc.module.__file__).name.startswith(BOTH_DATABASES):
        metafunc.parametrize("db_kind", ["sqlite", "postgres"], indirect=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture
def db_kind(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def db_target(db_kind, tmp_path, request):
    """Where a test's backend keeps its data: a SQLite file or a fresh PostgreSQL URL."""
    if db_kind == "sqlite":
        yield tmp_path / "kommune.sqlite3"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    url = cluster.create_database()
    yield url
    cluster.drop_database(url)


@pytest.fixture
def postgres_url(postgres_cluster):
    """A fresh, migrated PostgreSQL database for a test that is about PostgreSQL only."""
    url = postgres_cluster.create_database()
    yield url
    postgres_cluster.drop_database(url)


@pytest.fixture
def backend(db_target):
    b = Backend(db_target).start(MUNICIPALITY)
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
