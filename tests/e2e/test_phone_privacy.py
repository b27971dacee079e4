"""STORAGE-2 in the real web client: with our logging at DEBUG (and Flet asked for DEBUG too),
a PIN typed on the setup and unlock screens and a marker saved in a record never reach the
app's stdout or stderr; third-party loggers stay at WARNING."""

from __future__ import annotations

import os

import pytest

from tests.support.app_server import AppServer

pytestmark = pytest.mark.e2e

PIN = "718254"
CANARY = "Kanari Q7X9Z"


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """The app server of this module, started with every log level turned up."""
    saved = {k: os.environ.get(k) for k in ("POLITIKONTAKT_LOG_LEVEL", "FLET_LOG_LEVEL")}
    os.environ.update(POLITIKONTAKT_LOG_LEVEL="DEBUG", FLET_LOG_LEVEL="debug")
    try:
        server = AppServer(tmp_path_factory.mktemp("privacy")).start()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield server
    server.stop()


def test_no_pin_and_no_record_text_in_the_logs_at_debug(ui, app_server):
    ui.wait("pin-1")
    ui.first_run(PIN)
    ui.tap("home-observation")
    ui.tap("obs-categories-unrest")
    ui.fill("obs-place", CANARY)
    ui.tap("obs-save")
    ui.see("Observasjon lagret")
    ui.wait("home-observation")
    ui.tap("nav-lock")
    ui.fill("pin", PIN)
    ui.tap("pin-unlock")
    ui.wait("home-observation", timeout=60_000)
    ui.tap("home-observations-list")
    ui.see(CANARY)
    app_server.stop()
    output = "".join(app_server.output)
    assert "sync.auto trigger=" in output, "our own INFO/DEBUG lines must show: DEBUG was on"
    assert PIN not in output
    for spelling in (CANARY, CANARY.split()[1], "Q7X9Z".lower()):
        assert spelling not in output
    assert "flet_transport" not in output and "DEBUG:flet" not in output
