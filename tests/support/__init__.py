"""Helpers shared by the test packages: settable clocks, the test PIN, free loopback ports,
the reference backend on loopback and the field app as a web server.

Import them by package (``from tests.support.clocks import WallClock``); pytest puts the
project root on the path (``pythonpath`` in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The project root: the working directory of every subprocess a test starts."""
