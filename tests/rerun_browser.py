"""Run the browser journeys that failed once more, on their own (used by `make test`).

A safety net for timing in the real-browser journeys (Debian's Chromium, Flutter's web
engine): a journey module that fails is run again, whole, once, in a fresh process; its tests
build on each other, so a single test cannot be rerun alone. Any failure outside tests/e2e, or
a journey that fails twice, fails the run. The one cause found so far (typing lost when a
field took the focus before the semantics tree was on) is fixed in tests/e2e/conftest.py;
the rerun prints what it reruns so that a new cause is seen, not hidden.

    python tests/rerun_browser.py artifacts/junit.xml
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own pytest's report
from pathlib import Path


def failed_modules(report: Path) -> tuple[set[str], set[str]]:
    """(failed browser modules, failed tests elsewhere) from a pytest JUnit XML report."""
    browser, other = set(), set()
    for case in ET.parse(report).getroot().iter("testcase"):  # noqa: S314
        if case.find("failure") is None and case.find("error") is None:
            continue
        module = case.get("classname", "").split("::")[0]
        path = module.replace(".", "/") + ".py"
        (browser if path.startswith("tests/e2e/") else other).add(path)
    return browser, other


def main(argv: list[str]) -> int:
    report = Path(argv[1])
    if not report.exists():
        print("no test report: the test run failed before it could write one")
        return 1
    browser, other = failed_modules(report)
    if other or not browser:
        print("failed outside the browser journeys:", ", ".join(sorted(other)) or "(unknown)")
        return 1
    print("browser journeys to run again:", ", ".join(sorted(browser)))
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            *sorted(browser)])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
