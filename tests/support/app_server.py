"""The field app as a web server: ``python -m fieldapp`` in a subprocess on a free loopback
port, with its own data directory and key store (the browser journeys' app)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.support import ROOT
from tests.support.ports import free_port


class AppServer:
    """``python -m fieldapp`` on a free port; ``url`` once it printed that it listens."""

    def __init__(self, data_root: Path):
        self.data_root = data_root
        self.port = free_port()
        self.url = ""
        self.proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []

    def start(self, timeout: float = 90.0) -> AppServer:
        env = dict(os.environ, POLITIKONTAKT_KEYSTORE_DIR=str(self.data_root / "keystore"),
                   PYTHONUNBUFFERED="1")
        env.pop("DISPLAY", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "fieldapp", "--port", str(self.port),
             "--data-dir", str(self.data_root / "data")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._pump, daemon=True).start()
        try:
            while True:
                line = self._lines.get(timeout=timeout)
                if line.startswith("http://"):
                    self.url = line.strip()
                    return self
        except queue.Empty:
            self.stop()
            raise RuntimeError("the app did not print its URL:\n" + "".join(self.output)) from None

    def _pump(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self._lines.put(line)

    def stop(self) -> None:
        """terminate, wait, then SIGINT, then kill (SIGTERM alone can hang after a disconnect)."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        for step in (lambda: proc.send_signal(signal.SIGINT), proc.kill):
            try:
                proc.wait(timeout=10)
                return
            except subprocess.TimeoutExpired:
                step()
        proc.wait(timeout=10)
