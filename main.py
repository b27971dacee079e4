"""Composition root of the Politikontakt field app and the entry of ``flet build``.

It decides where the logbook lives, which device adapters to use, builds one AppState per
session and hands the page to ``views.app.mount``. ``python -m fieldapp`` calls ``run``.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import flet as ft

from fieldapp import Logbook
from fieldapp.device import DevicePorts
from fieldapp.paths import resolve_data_dir
from views.app import mount
from views.state import AppState

ROOT = Path(__file__).resolve().parent
ASSETS = ROOT / "assets"
log = logging.getLogger("politikontakt")


class DirectoryLogbooks:
    """Opens and creates the one sealed logbook in a data directory."""

    def __init__(self, data_dir: Path, **options: object):
        self.data_dir = data_dir
        self.options = options  # e.g. kdf= for tests; keystore= for a platform key store

    def exists(self) -> bool:
        return Logbook.exists(self.data_dir)

    def create(self, pin: str) -> Logbook:
        return Logbook.create(self.data_dir, pin, **self.options)  # type: ignore[arg-type]

    def open(self, pin: str) -> Logbook:
        options = {k: v for k, v in self.options.items() if k != "kdf"}
        return Logbook.open(self.data_dir, pin, **options)  # type: ignore[arg-type]


def make_session(factory: DirectoryLogbooks,
                 ports: Callable[[], DevicePorts] = DevicePorts.plyer_or_null,
                 ) -> Callable[[ft.Page], None]:
    """The per-session entry: one AppState for each page (a phone has one)."""
    def session(page: ft.Page) -> None:
        mount(page, AppState(factory, ports()))
    return session


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or sys.platform in ("darwin", "win32"))


def _announce_when_listening(host: str, port: int, timeout: float = 120.0) -> None:
    """Print the URL once the web server accepts connections (tests wait for this line)."""
    def wait() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((host, port), timeout=1):
                    print(f"http://{host}:{port}/", flush=True)
                    return
            except OSError:
                time.sleep(0.05)
    threading.Thread(target=wait, name="announce-url", daemon=True).start()


def run(*, port: int = 8550, host: str = "127.0.0.1", data_dir: str | None = None) -> None:
    logging.basicConfig(level=os.environ.get("POLITIKONTAKT_LOG_LEVEL", "WARNING"))
    factory = DirectoryLogbooks(resolve_data_dir(data_dir))
    web = not has_display() or os.environ.get("FLET_FORCE_WEB_SERVER") == "1"
    if web:
        _announce_when_listening(host, port)
    ft.run(make_session(factory), host=host, port=port, assets_dir=str(ASSETS),
           view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP, no_cdn=True)


def main(page: ft.Page) -> None:
    """The app as ``flet build`` runs it: data under FLET_APP_STORAGE_DATA."""
    make_session(DirectoryLogbooks(resolve_data_dir()))(page)


if __name__ == "__main__":
    ft.run(main, assets_dir=str(ASSETS))
