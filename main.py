"""Composition root of the Politikontakt field app and the entry of ``flet build``.

It decides where the logbook lives, where the device secret is kept (the phone's keystore
through flet-secure-storage in a phone build, a 0600 file elsewhere), which device adapters to
use and how loud logging may be; builds one AppState per session and hands the page to
``views.app.mount``. ``python -m fieldapp`` (the launcher ``fieldapp/__main__.py``) calls
``cli``, which reads the command line and calls ``run``; ``flet build`` runs ``main``.

Logging: ``POLITIKONTAKT_LOG_LEVEL`` sets our own loggers' level; third-party loggers (Flet's
at DEBUG write control values — a PIN, a name — to stderr) never go below WARNING.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict, Unpack

import flet as ft

from fieldapp import KeyStore, Logbook
from fieldapp.device import DevicePorts
from fieldapp.paths import resolve_data_dir
from fieldapp.store.kdf import KdfParams
from fieldapp.store.keystore import DEVICE_FILE_NAME, VALUE_NAME, FileKeyStore, default_keystore
from views.app import mount
from views.device import is_phone
from views.device.keystore import SecureStorageKeyStore, SplitKeyStore, UnavailableKeyStore
from views.state import AppState

ROOT = Path(__file__).resolve().parent
ASSETS = ROOT / "assets"
log = logging.getLogger("politikontakt")
OUR_LOGGERS = ("politikontakt", "fieldapp", "views", "sync", "main", "__main__")
# Loggers of the libraries under us (the names their modules use): never below WARNING.
THIRD_PARTY_LOGGERS = (
    "flet", "flet_components", "flet_controls", "flet_object_patch", "flet_transport",
    "flet_web", "flet_web.fastapi", "flet-charts.matplotlib", "flet_geolocator",
    "flet_secure_storage", "flet_permission_handler", "uvicorn", "uvicorn.error",
    "uvicorn.access", "uvicorn.asgi", "fastapi", "starlette", "websockets", "httpx", "httpcore",
    "asyncio", "urllib3", "requests", "plyer", "PIL", "fontTools", "fpdf", "matplotlib",
)


class OnlyOursBelowWarning(logging.Filter):
    """A handler filter: records below WARNING pass only from the app's own loggers."""

    def filter(self, record: logging.LogRecord) -> bool:
        return (record.levelno >= logging.WARNING
                or record.name.split(".")[0] in OUR_LOGGERS)


def configure_logging(level: str | None = None) -> None:
    """Our level from ``POLITIKONTAKT_LOG_LEVEL`` (default WARNING); third parties at
    WARNING or above whatever it says, both by their loggers' levels and a root filter."""
    level = (level or os.environ.get("POLITIKONTAKT_LOG_LEVEL") or "WARNING").upper()
    logging.basicConfig(level=level)
    logging.getLogger().setLevel(level)  # also when something configured logging before us
    for name in THIRD_PARTY_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.WARNING, logger.level))
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, OnlyOursBelowWarning) for f in handler.filters):
            handler.addFilter(OnlyOursBelowWarning())


class FileSecrets:
    """The file key store as the one-time migration into the phone's keystore reads and
    clears it: the secret and, with ``with_values``, the named values beside it (deleted
    before the secret file, which goes last)."""

    def __init__(self, store: FileKeyStore, *, with_values: bool = True):
        self.store = store
        self.with_values = with_values

    def secret(self) -> bytes | None:
        return self.store.device_secret() if self.store.path.is_file() else None

    def _value_files(self) -> list[Path]:
        folder = self.store.path.parent
        if not self.with_values or not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.is_file() and VALUE_NAME.match(p.name)
                      and not p.name.startswith(".") and p.name != DEVICE_FILE_NAME)

    def values(self) -> dict[str, bytes]:
        found = {p.name: self.store.read_value(p.name) for p in self._value_files()}
        return {name: value for name, value in found.items() if value is not None}

    def discard(self) -> None:
        for path in [*self._value_files(), self.store.path]:
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # make the deletions durable where we can
            fd = os.open(self.store.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def phone_keystore(page: ft.Page, data_dir: Path) -> KeyStore:
    """The device secret in the phone's keystore (taking over one an earlier build kept in a
    file); the store's named values in files beside, never inside, the data directory (in
    the app's own storage: a phone may have no usable home directory)."""
    values = FileKeyStore(data_dir.parent / f".{data_dir.name}.keystore" / DEVICE_FILE_NAME)
    try:
        legacy = FileSecrets(default_keystore(data_dir), with_values=False)
    except (KeyError, OSError, RuntimeError):  # no home directory to look in
        legacy = None
    try:
        secure = SecureStorageKeyStore.for_page(page, legacy)
        return SplitKeyStore(secret_from=secure, values_in=values)
    except ImportError:
        log.error("flet-secure-storage is missing from this phone build")
        return UnavailableKeyStore("no_client")


class LogbookOptions(TypedDict, total=False):
    keystore: KeyStore  # a platform key store
    kdf: KdfParams      # tests: the cheapest key derivation (only when creating)


class DirectoryLogbooks:
    """Opens and creates the one sealed logbook in a data directory."""

    def __init__(self, data_dir: Path, **options: Unpack[LogbookOptions]):
        self.data_dir = data_dir
        self.options = options

    def with_options(self, **options: Unpack[LogbookOptions]) -> DirectoryLogbooks:
        merged: LogbookOptions = {**self.options, **options}
        return DirectoryLogbooks(self.data_dir, **merged)

    def exists(self) -> bool:
        return Logbook.exists(self.data_dir)

    def create(self, pin: str) -> Logbook:
        return Logbook.create(self.data_dir, pin, **self.options)

    def open(self, pin: str) -> Logbook:
        return Logbook.open(self.data_dir, pin, keystore=self.options.get("keystore"))


def make_session(factory: DirectoryLogbooks,
                 ports: Callable[[], DevicePorts] = DevicePorts.plyer_or_null,
                 ) -> Callable[[ft.Page], None]:
    """The per-session entry: one AppState for each page (a phone has one). A phone build
    keeps the device secret in the phone's keystore; desktop, web and tests in a file."""
    def session(page: ft.Page) -> None:
        mount(page, AppState(factory_for(page, factory), ports()))
    return session


def factory_for(page: ft.Page, factory: DirectoryLogbooks) -> DirectoryLogbooks:
    """The phone's keystore in a phone build (unless a test chose one); files elsewhere."""
    if is_phone(page) and "keystore" not in factory.options:
        return factory.with_options(keystore=phone_keystore(page, factory.data_dir))
    return factory


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
    configure_logging()
    factory = DirectoryLogbooks(resolve_data_dir(data_dir))
    web = not has_display() or os.environ.get("FLET_FORCE_WEB_SERVER") == "1"
    if web:
        _announce_when_listening(host, port)
    ft.run(make_session(factory), host=host, port=port, assets_dir=str(ASSETS),
           view=ft.AppView.WEB_BROWSER if web else ft.AppView.FLET_APP, no_cdn=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fieldapp",
                                     description="Politikontakt – feltapp for politikontakten")
    parser.add_argument("--port", type=int, default=8550, help="web port (default 8550)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--data-dir", default=None, help="where the logbook is kept")
    return parser.parse_args(argv)


def cli(argv: list[str] | None = None) -> None:
    """``python -m fieldapp [--port N] [--data-dir DIR] [--host 127.0.0.1]``."""
    args = parse_args(argv)
    run(port=args.port, host=args.host, data_dir=args.data_dir)


def main(page: ft.Page) -> None:
    """The app as ``flet build`` runs it: data under FLET_APP_STORAGE_DATA."""
    configure_logging()
    make_session(DirectoryLogbooks(resolve_data_dir()))(page)


if __name__ == "__main__":
    ft.run(main, assets_dir=str(ASSETS))
