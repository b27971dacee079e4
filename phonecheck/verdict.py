"""The decision: which packages of the phone set the phone cannot get, and why.

``judge`` takes the resolver as a function, so the rules run on canned resolutions in tests:

- every installed wheel must be pure Python (platform ``any``), a wheel for the target's
  platform tags, or a stand-in for a ``mobile_index.toml`` entry;
- a package pip cannot find for the phone is a problem, said with what the mobile index has
  of it (e.g. only cryptography 43.0.1 for Python 3.13);
- a server-only package (``[server_only]`` in the data file) is a problem wherever it comes from;
- pip stops at the first missing package, so after a failure each top-level requirement is
  resolved alone: the verdict names every missing package and who wants it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from phonecheck.resolver import Dist, Missing, Resolution
from phonecheck.target import Target

DATA_FILE = Path(__file__).with_name("mobile_index.toml")
Resolve = Callable[[list[str], Target], Resolution]


@dataclass(frozen=True)
class MobileIndex:
    entries: list[dict]
    server_only: dict[str, str]

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> MobileIndex:
        with path.open("rb") as f:
            data = tomllib.load(f)
        return cls(data.get("package", []),
                   {canonicalize_name(k): v for k, v in data.get("server_only", {}).items()})

    def builds_of(self, name: str) -> list[dict]:
        return [e for e in self.entries if canonicalize_name(e["name"]) == name]


@dataclass(frozen=True)
class Problem:
    package: str
    reason: str
    wanted_by: str = ""

    def __str__(self) -> str:
        via = f" (wanted by {self.wanted_by})" if self.wanted_by else ""
        return f"{self.package}{via}: {self.reason}"


@dataclass
class Verdict:
    target: Target
    requirements: list[str]
    dists: tuple[Dist, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def wheel_kind(dist: Dist, target: Target) -> str | None:
    """'pure', 'phone wheel', 'mobile index' – or None when the phone cannot use it."""
    if dist.mobile_index:
        return "mobile index"
    try:
        tags = parse_wheel_filename(dist.wheel)[3]
    except ValueError:
        return None
    platforms = {t.platform for t in tags}
    if platforms == {"any"}:
        return "pure"
    if platforms & set(target.platform_tags):
        return "phone wheel"
    return None


def _missing_reason(miss: Missing, target: Target, index: MobileIndex) -> str:
    where = f"Python {target.python} on {target.label}"
    text = f"no pure-Python or phone wheel on the package index for {where}"
    if miss.versions and miss.versions != "none":
        text += f" (pip saw, stand-ins for the mobile index included: {miss.versions})"
    builds = index.builds_of(miss.name)
    if not builds:
        return text + "; Flet's mobile index has no build of it either"
    have = "; ".join(f"{b['version']} for Python {', '.join(b['python'])} on "
                     f"{', '.join(b['platforms'])}" for b in builds)
    return (f"{text}; Flet's mobile index has {miss.name} {have} only – "
            f"{miss.requirement} wants another")


def classify(res: Resolution, target: Target, index: MobileIndex, wanted_by: str = "",
             ) -> list[Problem]:
    problems = []
    for dist in res.dists:
        if dist.name in index.server_only:
            problems.append(Problem(dist.name, f"server-only, never on the phone: "
                                               f"{index.server_only[dist.name]}", wanted_by))
        elif wheel_kind(dist, target) is None:
            problems.append(Problem(dist.name, f"pip chose {dist.wheel}, which is not for "
                                               f"{target.label}", wanted_by))
    for miss in res.missing:
        if miss.kind == "conflict":
            problems.append(Problem(miss.name, f"pip found no versions that fit together for "
                                               f"the phone ({miss.requirement})",
                                    miss.wanted_by or wanted_by))
            continue
        reason = _missing_reason(miss, target, index)
        if miss.name in index.server_only:
            reason = f"server-only ({index.server_only[miss.name]}); {reason}"
        problems.append(Problem(miss.name, reason, miss.wanted_by or wanted_by))
    problems += [Problem("(resolver)", err, wanted_by) for err in res.errors]
    return problems


def _explain(res: Resolution, target: Target, resolve: Resolve) -> Resolution:
    """A conflict is often a package with no phone wheel: resolve each one alone to see."""
    kept: list[Missing] = []
    for miss in res.missing:
        if miss.kind == "conflict":
            alone = resolve([miss.requirement], target)
            if any(m.kind == "missing" for m in alone.missing):
                kept += [Missing(m.name, m.requirement, m.wanted_by or miss.wanted_by, m.versions)
                         for m in alone.missing if m.kind == "missing"]
                continue
        kept.append(miss)
    return Resolution(res.dists, tuple(kept), res.errors)


def _requested_server_only(requirements: list[str], index: MobileIndex) -> list[Problem]:
    names = {_requested_name(r): r for r in requirements}
    return [Problem(name, f"server-only, never on the phone: {index.server_only[name]}", req)
            for name, req in names.items() if name in index.server_only]


def _requested_name(requirement: str) -> str:
    return canonicalize_name(Requirement(requirement).name)


def judge(requirements: list[str], target: Target, resolve: Resolve,
          index: MobileIndex) -> Verdict:
    res = resolve(requirements, target)
    verdict = Verdict(target, requirements, res.dists, classify(res, target, index))
    if res.failed:
        problems = _requested_server_only(requirements, index)
        for req in requirements if len(requirements) > 1 else []:
            alone = _explain(resolve([req], target), target, resolve)
            problems += classify(alone, target, index, wanted_by=req)
        if len(requirements) == 1:
            problems += classify(_explain(res, target, resolve), target, index)
        unique = list(dict.fromkeys(problems))
        named = {p.package for p in unique}
        verdict.problems = unique + [p for p in verdict.problems if p.package not in named]
    return verdict
