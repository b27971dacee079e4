"""``python -m phonecheck``: can `flet build apk|ipa` install the phone set? (make phone-check)

Exit 0: every dependency has a wheel for the phone. Exit 1: problems, each named. Exit 2: the
package index did not answer, so nothing was proven – unless PHONECHECK_OFFLINE=1, which skips
loudly (or reuses a cached answer of any age). Environment: PHONECHECK_CACHE (folder, default
artifacts/phonecheck), PHONECHECK_MAX_AGE (seconds a cached answer counts, default 86400),
PHONECHECK_INDEX_URL (another package index), PHONECHECK_REFRESH=1 (ignore the cache).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from phonecheck.resolver import IndexUnreachable, PipResolver
from phonecheck.target import load_pyproject, phone_python, phone_requirements, phone_targets
from phonecheck.verdict import MobileIndex, Verdict, judge, wheel_kind

ROOT = Path(__file__).resolve().parents[1]
BANNER = "=" * 78


def _resolver(index: MobileIndex, refresh: bool) -> PipResolver:
    cache = Path(os.environ.get("PHONECHECK_CACHE") or ROOT / "artifacts" / "phonecheck")
    max_age = 0.0 if refresh else float(os.environ.get("PHONECHECK_MAX_AGE", "86400"))
    return PipResolver(index.entries, cache, max_age=max_age,
                       index_url=os.environ.get("PHONECHECK_INDEX_URL") or None,
                       stale_when_offline=os.environ.get("PHONECHECK_OFFLINE") == "1")


def _report(verdict: Verdict, verbose: bool) -> None:
    t = verdict.target
    state = "ok" if verdict.ok else f"{len(verdict.problems)} problem(s)"
    print(f"{t.label}, Python {t.python}: {len(verdict.dists)} packages, {state}")
    if verbose or not verdict.ok:
        for d in verdict.dists:
            print(f"  {d.name}=={d.version:<14} {wheel_kind(d, t) or 'NOT FOR THE PHONE'}")
    for problem in verdict.problems:
        print(f"  PROBLEM {problem}")


def _offline(message: str) -> int:
    print(BANNER, f"PHONE BUNDLE CHECK: the package index could not be reached.\n  {message}",
          sep="\n", file=sys.stderr)
    if os.environ.get("PHONECHECK_OFFLINE") == "1":
        print("  PHONECHECK_OFFLINE=1: SKIPPED. Nothing was proven about the phone build.",
              BANNER, sep="\n", file=sys.stderr)
        return 0
    print("  Nothing was proven about the phone build. Run it where the index answers, or set\n"
          "  PHONECHECK_OFFLINE=1 to skip it knowingly (docs/PHONE.md).", BANNER,
          sep="\n", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m phonecheck", description=__doc__.split("\n")[0])
    ap.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    ap.add_argument("--requirement", "-r", action="append", default=None,
                    help="check these requirements instead of the pyproject's phone set")
    ap.add_argument("--platform", choices=["android", "ios"], action="append", default=None)
    ap.add_argument("--refresh", action="store_true", help="ignore cached answers")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every package")
    args = ap.parse_args(argv)

    pyproject = load_pyproject(args.pyproject)
    python = phone_python(pyproject["project"].get("requires-python"))
    index = MobileIndex.load()
    resolver = _resolver(index, args.refresh or os.environ.get("PHONECHECK_REFRESH") == "1")
    started = time.monotonic()
    verdicts = []
    for target in phone_targets(python):
        if args.platform and target.name not in args.platform:
            continue
        reqs = args.requirement or phone_requirements(pyproject, target.name)
        try:
            verdicts.append(judge(reqs, target, resolver, index))
        except IndexUnreachable as exc:
            return _offline(str(exc))
    for verdict in verdicts:
        _report(verdict, args.verbose)
    took = time.monotonic() - started
    if resolver.stale_used:
        print("PHONECHECK_OFFLINE=1 and the index did not answer: older cached answers used")
    if all(v.ok for v in verdicts):
        print(f"phone bundle check: ok ({resolver.pip_runs} pip runs, {took:.1f} s)")
        return 0
    print(f"phone bundle check: FAILED – `flet build` could not install the above "
          f"({resolver.pip_runs} pip runs, {took:.1f} s)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
