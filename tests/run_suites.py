"""Run the test suite as three processes side by side (used by `make test`).

The browser journeys (``-m e2e``) spend much of their time waiting for Chromium and the Flet
server, and the backend tests for their servers and databases; on a 2-core machine running
them one after the other leaves a core idle for minutes, so they run at the same time, each
with its own output file and JUnit report in ``artifacts/``; the outputs are printed one after
the other when all are done. A failed browser module is run once more on its own
(``tests/rerun_browser.py``); any other failure fails the run.

    python tests/run_suites.py [extra pytest arguments]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ARTIFACTS = Path("artifacts")
# Three processes: the backend tests on SQLite, the rest of the core with the backend tests
# on PostgreSQL, and the browser journeys (which mostly wait). Together they are every test.
SUITES = {"backend": "backend and not pg and not e2e",
          "core": "not e2e and (pg or not backend)",
          "browser": "e2e"}


def start(name: str, marker: str, extra: list[str]) -> tuple[subprocess.Popen[bytes], Path]:
    log = ARTIFACTS / f"{name}.log"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", marker,
               f"--junitxml={ARTIFACTS / f'junit-{name}.xml'}", *extra]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   env=os.environ.copy())
    return process, log


def main(extra: list[str]) -> int:
    ARTIFACTS.mkdir(exist_ok=True)
    began = time.monotonic()
    running = {name: start(name, marker, extra) for name, marker in SUITES.items()}
    codes = {}
    for name, (process, log) in running.items():
        codes[name] = process.wait()
        print(f"==== {name} suite (exit {codes[name]}) ====", flush=True)
        sys.stdout.write(log.read_text(encoding="utf-8", errors="replace"))
        sys.stdout.flush()
    print(f"==== all suites done in {time.monotonic() - began:.0f} s ====", flush=True)
    if codes["browser"] not in (0, 5):  # 5: no tests collected (e.g. -k chose none there)
        codes["browser"] = subprocess.call(
            [sys.executable, "tests/rerun_browser.py", str(ARTIFACTS / "junit-browser.xml")])
    return 0 if all(code in (0, 5) for code in codes.values()) and any(
        code == 0 for code in codes.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
