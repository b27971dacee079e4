"""UI timings in the real web client (headless Debian Chromium), medians of a few runs:

- server start → first frame: ``python -m fieldapp`` started until Flutter drew its first frame
- unlock tap → Home: the PIN's key derivation and the first Home render
- save tap → "Observasjon lagret": quick-add's last tap until the confirmation is on screen
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTS = int(os.environ.get("UI_BENCH_STARTS", "3"))
SAVES = int(os.environ.get("UI_BENCH_SAVES", "5"))
PIN = "482913"
TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    def __init__(self, root: Path):
        self.port = _free_port()
        env = dict(os.environ, POLITIKONTAKT_KEYSTORE_DIR=str(root / "keystore"))
        env.pop("DISPLAY", None)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fieldapp", "--port", str(self.port),
             "--data-dir", str(root / "data")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError("the app did not start")
        self.url = line.strip()

    def stop(self) -> None:
        self.proc.terminate()
        for step in (lambda: self.proc.send_signal(signal.SIGINT), self.proc.kill):
            try:
                self.proc.wait(timeout=10)
                return
            except subprocess.TimeoutExpired:
                step()


def _first_frame(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("() => !document.getElementById('loading')", timeout=TIMEOUT_MS)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=TIMEOUT_MS)
    page.evaluate("() => document.querySelector('flt-semantics-placeholder').click()")


def _by_id(page, ident: str):
    locator = page.locator(f"[flt-semantics-identifier='{ident}']").first
    locator.wait_for(state="visible", timeout=TIMEOUT_MS)
    return locator


def _type(page, ident: str, text: str) -> None:
    field = _by_id(page, ident).locator("input").first
    field.click()
    field.fill(text)


def _start_to_first_frame(browser) -> list[float]:
    times = []
    for _ in range(STARTS):
        with tempfile.TemporaryDirectory() as tmp:
            app = App(Path(tmp))
            context = browser.new_context(viewport={"width": 390, "height": 844})
            try:
                _first_frame(context.new_page(), app.url)
                times.append(time.perf_counter() - app.started)
            finally:
                context.close()
                app.stop()
    return times


def _unlock_and_saves(browser) -> tuple[list[float], list[float]]:
    unlocks, saves = [], []
    with tempfile.TemporaryDirectory() as tmp:
        app = App(Path(tmp))
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        try:
            _first_frame(page, app.url)
            _type(page, "pin-1", PIN)
            _type(page, "pin-2", PIN)
            _by_id(page, "pin-create").click()
            _by_id(page, "home-observation")
            for _ in range(2):
                _by_id(page, "nav-lock").click()
                _type(page, "pin", PIN)
                started = time.perf_counter()
                _by_id(page, "pin-unlock").click()
                _by_id(page, "home-observation")
                unlocks.append(time.perf_counter() - started)
            for i in range(SAVES):
                _by_id(page, "home-observation").click()
                _by_id(page, "obs-categories-alcohol").click()
                if i == 0:
                    _type(page, "obs-place", "Ålgård stasjon")
                started = time.perf_counter()
                _by_id(page, "obs-save").click()
                page.get_by_text("Observasjon lagret").first.wait_for(timeout=TIMEOUT_MS)
                saves.append(time.perf_counter() - started)
                page.locator("[flt-semantics-identifier='toast']").first.wait_for(
                    state="detached", timeout=TIMEOUT_MS)
        finally:
            context.close()
            app.stop()
    return unlocks, saves


def _row(name: str, times: list[float]) -> dict:
    return {"measure": name, "runs": len(times), "median_ms": statistics.median(times) * 1000,
            "min_ms": min(times) * 1000, "max_ms": max(times) * 1000}


def run() -> list[dict]:
    if not Path(CHROMIUM).exists():
        return [{"measure": "skipped: /usr/bin/chromium missing (make browser)", "runs": 0}]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            starts = _start_to_first_frame(browser)
            unlocks, saves = _unlock_and_saves(browser)
        finally:
            browser.close()
    return [_row("server start → first frame", starts),
            _row("unlock tap → Home (KDF)", unlocks),
            _row("save tap → 'Observasjon lagret'", saves)]


if __name__ == "__main__":
    for result in run():
        print(result)
