"""The Synk screen in the real web client, against the real backend on loopback: not enrolled
→ preview says it stays → enrol with URL and one-time code → preview says it goes → Synk nå."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest

from tests.support.backend import BackendProcess, server_cli
from tests.support.pins import PIN

pytestmark = pytest.mark.e2e



def _server(*args) -> str:
    return server_cli(*args, check=True).stdout


@pytest.fixture(scope="module")
def kommune(tmp_path_factory):
    db = tmp_path_factory.mktemp("kommune") / "kommune.sqlite3"
    code = _server("enrol", "--db", db, "--device", "telefon-e2e").strip().splitlines()[-1]
    _server("config", "--db", db, "--municipality", "1122")
    server = BackendProcess(db, stderr=subprocess.DEVNULL).start(municipality=None, timeout=30)
    yield server.url, code, db
    server.stop()


def test_enrol_preview_and_sync_now(ui, kommune):
    url, code, db = kommune
    ui.fill("pin-1", PIN)
    ui.fill("pin-2", PIN)
    ui.tap("pin-create")
    ui.wait("home-observation", timeout=60_000)
    ui.tap("home-observation")
    ui.tap("obs-categories-unrest")
    ui.fill("obs-place", "Ålgård stasjon")
    ui.tap("obs-save")
    ui.see("Observasjon lagret")

    ui.tap("home-synk")
    assert "1 registrering venter" in ui.text("sync-pending")
    ui.wait("sync-not-enrolled")
    assert "Blir på telefonen" in ui.content("sync-item-0")
    ui.shot("sync-01-not-enrolled")

    ui.fill("sync-url", url)
    ui.fill("sync-code", code)
    ui.tap("sync-enrol")
    ui.see("Telefonen er registrert hos")
    assert "Sendes til" in ui.content("sync-item-0")
    ui.shot("sync-02-enrolled")

    ui.tap("sync-now")
    ui.see("Ferdig: 1 registrering sendt")
    assert "0 registreringer venter" in ui.text("sync-pending")
    ui.see("Ingenting venter på synk.")
    ui.shot("sync-03-sent")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM records").fetchone() == (1,)
