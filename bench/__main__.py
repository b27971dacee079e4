"""Run every benchmark suite, print a table per suite, write ``artifacts/bench/bench.json``.

A suite is a module with ``run() -> list[dict]``; add yours to ``SUITES``. Every row gets a
``suite`` key. ``BENCH_SIZES`` (e.g. ``1000`` or ``1000,10000``) is read by the suites that
take sizes.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

SUITES = ["bench.store_bench", "bench.records_bench", "bench.sync_bench", "bench.load_bench",
          "bench.report_bench", "bench.ui_bench"]
OUTPUT = Path("artifacts/bench/bench.json")


def format_value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value == 0 or abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def print_table(title: str, rows: list[dict]) -> None:
    columns = [c for c in dict.fromkeys(k for row in rows for k in row) if c != "suite"]
    cells = [[format_value(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    text = [isinstance(rows[0].get(c), str) for c in columns]
    print(f"\n== {title} ==")
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.ljust(w) if t else v.rjust(w)
                        for v, w, t in zip(row, widths, text, strict=True)))


def main() -> int:
    results = []
    # BENCH_SUITES (e.g. "bench.records_bench,bench.sync_bench") runs only those suites
    chosen = [s for s in os.environ.get("BENCH_SUITES", "").split(",") if s] or SUITES
    for name in chosen:
        started = time.perf_counter()
        rows = importlib.import_module(name).run()
        for row in rows:
            row.setdefault("suite", name)
        title = f"{name} ({time.perf_counter() - started:.0f} s)"
        for shape in dict.fromkeys(tuple(row) for row in rows):
            # One table per row shape, so that ratio rows do not widen the measurements.
            print_table(title, [row for row in rows if tuple(row) == shape])
        results.extend(rows)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "rows": results,
    }
    OUTPUT.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
