"""The phone bundle check: can `flet build apk|ipa` install this project's dependencies?

`flet build` (Flet 1.0.5) installs ``[project].dependencies`` plus
``[tool.flet.<platform>].dependencies`` with pip ``--only-binary :all:`` for the phone, on the
Python that ``requires-python`` picks (3.13 here), from the package index and Flet's mobile
index. A dependency therefore needs, for that Python on Android arm64 and iOS arm64:

- a pure-Python wheel on the package index, or
- a phone wheel (``android_*_arm64_v8a`` / ``ios_*_arm64_iphoneos``) on the package index, or
- a build on Flet's mobile index, named in ``mobile_index.toml`` (which cannot be reached from
  here, so the file says what it holds and where that fact comes from).

``python -m phonecheck`` (``make phone-check``) resolves the whole set, transitive dependencies
included, with the real pip against the package index, a stand-in wheel for each mobile-index
entry, and the phone's environment markers. It fails naming every package that has none of the
three, and every server-only package (flet-web, FastAPI, uvicorn, …) that crept into the set.

Errors::

    IndexUnreachable      the package index did not answer: nothing was proven (exit 2)
    Verdict.problems      one Problem per package the phone cannot get (exit 1)

Modules: ``target`` (what the build installs, for which phone), ``resolver`` (pip, cache),
``verdict`` (the decision, resolver injected), ``__main__`` (the command).
"""

from phonecheck.resolver import Dist, IndexUnreachable, Missing, PipResolver, Resolution
from phonecheck.target import Target, phone_python, phone_requirements, phone_targets
from phonecheck.verdict import MobileIndex, Problem, Verdict, judge

__all__ = [
    "Dist", "IndexUnreachable", "Missing", "MobileIndex", "PipResolver", "Problem",
    "Resolution", "Target", "Verdict", "judge", "phone_python", "phone_requirements",
    "phone_targets",
]
