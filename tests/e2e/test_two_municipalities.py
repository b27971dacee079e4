"""Two municipalities served, each with its own backend: a quick-added observation goes to the
municipality chosen on the form, and only there – in the real web client and real backends.

Gjesdal (1122) and Stjørdal (5035) each run `python -m sync.server serve` on loopback over
their own database; the phone enrols with both (Synk), quick-adds one observation in Gjesdal
and three in Stjørdal (the remembered choice keeps quick-add at three taps), syncs, and the
Stjørdal backend's records and its evaluation report count Stjørdal's, Gjesdal's none of them.
"""

from __future__ import annotations

import csv
import sqlite3
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.support.backend import BackendProcess, server_cli
from tests.support.pins import PIN

pytestmark = pytest.mark.e2e

MAX_QUICK_ADD_TAPS = 3
OBSERVATIONS = "4. Observasjoner i ungdomsmiljøet"


def _server(*args) -> str:
    return server_cli(*args, check=True).stdout


class Kommune:
    """One municipality's backend: configured, a one-time code, serving on a free port."""

    def __init__(self, root, code: str, name: str):
        self.db = root / f"kommune-{code}.sqlite3"
        self.code, self.name = code, name
        _server("config", "--db", self.db, "--municipality", code, "--name", name)
        self.enrol_code = _server("enrol", "--db", self.db,
                                  "--device", "telefon-e2e").strip().splitlines()[-1]
        self.server = BackendProcess(self.db, stderr=subprocess.DEVNULL).start(
            municipality=None, timeout=30)
        self.url = self.server.url

    def observations(self) -> list[tuple[str, str]]:
        with sqlite3.connect(self.db) as conn:
            return conn.execute("SELECT kind, municipality FROM records "
                                "WHERE kind = 'observation'").fetchall()

    def municipalities(self) -> set[str]:
        with sqlite3.connect(self.db) as conn:
            return {row[0] for row in conn.execute("SELECT municipality FROM records")}

    def report_rows(self, out) -> list[list[str]]:
        year = datetime.now(ZoneInfo("Europe/Oslo")).year
        _server("report", "--db", self.db, "--year", year, "--format", "csv", "--out", out)
        return list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(),
                               delimiter=";"))

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="module")
def kommuner(tmp_path_factory):
    root = tmp_path_factory.mktemp("kommuner")
    gjesdal = Kommune(root, "1122", "Gjesdal")
    stjordal = Kommune(root, "5035", "Stjørdal")
    yield gjesdal, stjordal
    gjesdal.stop()
    stjordal.stop()


def _enrol(ui, kommune: Kommune) -> None:
    ui.fill("sync-url", kommune.url)
    ui.fill("sync-code", kommune.enrol_code)
    ui.tap("sync-enrol")
    ui.see("Telefonen er registrert hos")


def test_enrol_with_both_municipalities(ui, kommuner):
    gjesdal, stjordal = kommuner
    ui.first_run(PIN)
    ui.tap("home-synk")
    _enrol(ui, gjesdal)
    _enrol(ui, stjordal)
    ui.wait("sync-enrolment-1")
    ui.tap("nav-back")
    ui.wait("home-observation")


def _selected(ui, ident: str) -> bool:
    """A chip is chosen: its semantics node (or one inside) says checked or selected."""
    states = ui.wait(ident).evaluate(
        "e => [e, ...e.querySelectorAll('*')].flatMap(n => ['aria-checked', 'aria-selected',"
        " 'aria-pressed'].map(a => n.getAttribute(a)))")
    return "true" in states


def _quick_add(ui, municipality: str | None, place: str | None) -> int:
    ui.taps = 0
    ui.tap("home-observation")
    if municipality:
        ui.tap(f"obs-municipality-{municipality}")
    ui.tap("obs-categories-alcohol")
    if place:
        ui.fill("obs-place", place)
    ui.tap("obs-save")
    ui.see("Observasjon lagret")
    ui.wait("home-observation")
    return ui.taps


def test_the_form_offers_both_by_name_with_the_first_preselected(ui):
    ui.tap("home-observation")
    assert ui.content("obs-municipality-1122").strip().startswith("Gjesdal")
    assert "Stjørdal" in ui.content("obs-municipality-5035")
    assert _selected(ui, "obs-municipality-1122") and not _selected(ui, "obs-municipality-5035")
    ui.shot("two-municipalities-01-quick-add")
    assert (ui.small_targets(), ui.unnamed_targets()) == ([], [])
    ui.tap("nav-back")
    ui.wait("home-observation")


def test_quick_add_in_gjesdal_then_stjordal_remembered(ui):
    _quick_add(ui, None, "Ålgård stasjon")            # Gjesdal: preselected
    _quick_add(ui, "5035", "Stjørdal torg")           # Stjørdal chosen once …
    ui.tap("home-observation")
    ui.wait("obs-municipality-5035")
    ui.shot("two-municipalities-02-stjordal-remembered")
    ui.tap("nav-back")
    ui.wait("home-observation")
    for _ in range(2):                                # … and remembered: three taps again
        taps = _quick_add(ui, None, None)
        assert taps <= MAX_QUICK_ADD_TAPS, f"quick-add took {taps} taps"


def test_sync_sends_each_to_its_own_municipality(ui, kommuner, tmp_path):
    gjesdal, stjordal = kommuner
    ui.tap("home-synk")
    ui.tap("sync-now")
    ui.see("Ferdig: 4 registreringer sendt", timeout=60_000)
    ui.shot("two-municipalities-03-synced")
    assert stjordal.observations() == [("observation", "5035")] * 3
    assert gjesdal.observations() == [("observation", "1122")]
    assert stjordal.municipalities() == {"5035"} and gjesdal.municipalities() == {"1122"}
    stjordal_rows = stjordal.report_rows(tmp_path / "stjordal.csv")
    total = next(r for r in stjordal_rows if r[:2] == [OBSERVATIONS, "Sum"])
    assert total[-1] == "3"                              # the first Sum is the section's total
    assert [OBSERVATIONS, "Stjørdal torg", "Antall", "3"] in stjordal_rows
    gjesdal_rows = gjesdal.report_rows(tmp_path / "gjesdal.csv")
    assert next(r for r in gjesdal_rows if r[:2] == [OBSERVATIONS, "Sum"])[-1] != "3"
    assert not any(r[:2] == [OBSERVATIONS, "Stjørdal torg"] for r in gjesdal_rows)
