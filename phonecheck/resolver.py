"""Resolve a requirement set for a phone with the real pip, against the package index.

pip runs ``install --dry-run --report`` with ``--only-binary :all:``, the phone's platform tags
and Python, the phone's environment markers, and a folder of stand-in wheels for what Flet's
mobile index builds (name, version, requirements; no code). pip stops at the first package it
cannot find: ``Resolution.missing`` names it. Results are cached by everything that decides
them (requirements, target, stand-ins, pip's version) for ``max_age`` seconds.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from importlib.metadata import version as installed_version
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from phonecheck.target import Target

# A cached answer is keyed by this file too: a change to how pip is run or read refreshes it.
CACHE_FORMAT = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
# What pip prints when the index did not answer (retries, DNS, refused, TLS, proxy).
_UNREACHABLE = re.compile(
    r"NewConnectionError|Failed to establish a new connection|Temporary failure in name "
    r"resolution|Name or service not known|Network is unreachable|Connection refused|"
    r"ConnectTimeout|ReadTimeout|timed out|ProxyError|SSLError|Could not fetch URL")
_CONFLICT = re.compile(r"^\s+(\S+ \S+) depends on (.+)$", re.M)
_NO_MATCH = re.compile(r"No matching distribution found for (.+)$", re.M)
_NO_VERSION = re.compile(
    r"Could not find a version that satisfies the requirement (.+?)(?: \(from ([^)]*)\))? "
    r"\(from versions: ([^)]*)\)", re.M)

# Runs pip with the phone's environment markers (sys_platform, python_version, …), as pip on the
# build host does for `flet build`: its own markers module is patched before pip starts.
_BOOT = """
import json, sys
import pip._vendor.packaging.markers as markers
overrides = json.loads(sys.argv[1])
host = markers.default_environment
markers.default_environment = lambda: {**host(), **overrides}
from pip._internal.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


class IndexUnreachable(RuntimeError):
    """The package index did not answer; nothing about the phone set was proven."""


@dataclass(frozen=True)
class Dist:
    name: str
    version: str
    wheel: str
    mobile_index: bool = False


@dataclass(frozen=True)
class Missing:
    """A package pip could not find for the phone (kind "missing"), or one it could not fit
    together with the rest (kind "conflict": pip's "The conflict is caused by" lines)."""

    name: str
    requirement: str
    wanted_by: str = ""
    versions: str = ""
    kind: str = "missing"


@dataclass(frozen=True)
class Resolution:
    dists: tuple[Dist, ...] = ()
    missing: tuple[Missing, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return bool(self.missing or self.errors)

    def to_json(self) -> dict:
        return {"dists": [asdict(d) for d in self.dists],
                "missing": [asdict(m) for m in self.missing], "errors": list(self.errors)}

    @classmethod
    def from_json(cls, data: dict) -> Resolution:
        return cls(tuple(Dist(**d) for d in data["dists"]),
                   tuple(Missing(**m) for m in data["missing"]), tuple(data["errors"]))


def _name(requirement: str) -> str:
    try:
        return canonicalize_name(Requirement(requirement.split(";")[0]).name)
    except InvalidRequirement:
        return canonicalize_name(re.split(r"[ ;<>=!~\[(]", requirement.strip(), maxsplit=1)[0])


def parse_failure(stderr: str) -> Resolution:
    """What pip's output says is missing or in conflict; free text when it says else."""
    missing = [Missing(_name(m.group(1)), m.group(1).strip(), m.group(2) or "",
                       m.group(3).strip()) for m in _NO_VERSION.finditer(stderr)]
    found = {m.name for m in missing}
    missing += [Missing(_name(text), text.strip()) for text in _NO_MATCH.findall(stderr)
                if _name(text) not in found]
    for who, requirement in _CONFLICT.findall(stderr):
        if _name(requirement) not in {m.name for m in missing}:
            missing.append(Missing(_name(requirement), requirement.split(";")[0].strip(),
                                   who, kind="conflict"))
    if missing:
        return Resolution(missing=tuple(missing))
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    return Resolution(errors=tuple(errors or stderr.strip().splitlines()[-5:] or ["pip failed"]))


def stand_in_wheel(folder: Path, entry: dict, target: Target) -> Path:
    """A wheel with the entry's name, version and requirements, tagged for the target."""
    name, ver = entry["name"], entry["version"]
    dist = re.sub(r"[-_.]+", "_", name)
    abi = "cp" + target.python.replace(".", "")
    path = folder / f"{dist}-{ver}-{abi}-{abi}-{target.primary_tag}.whl"
    info = f"{dist}-{ver}.dist-info"
    metadata = "".join([f"Metadata-Version: 2.1\nName: {name}\nVersion: {ver}\n",
                        "Summary: stand-in for Flet's mobile index build\n",
                        *(f"Requires-Dist: {r}\n" for r in entry.get("requires", []))])
    wheel = (f"Wheel-Version: 1.0\nGenerator: phonecheck\nRoot-Is-Purelib: false\n"
             f"Tag: {abi}-{abi}-{target.primary_tag}\n")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{info}/METADATA", metadata)
        zf.writestr(f"{info}/WHEEL", wheel)
        zf.writestr(f"{info}/RECORD", f"{info}/METADATA,,\n{info}/WHEEL,,\n{info}/RECORD,,\n")
    return path


class PipResolver:
    """``resolve(requirements, target) -> Resolution`` with pip; raises IndexUnreachable."""

    def __init__(self, mobile_entries: list[dict], cache_dir: Path | None, *,
                 max_age: float = 86400, index_url: str | None = None, timeout: int = 20,
                 stale_when_offline: bool = False):
        self.entries = mobile_entries
        self.stale_when_offline = stale_when_offline
        self.stale_used = False
        self.cache_dir = cache_dir
        self.max_age = max_age
        self.index_url = index_url
        self.timeout = timeout
        self.pip_runs = 0

    def _stand_ins(self, target: Target) -> list[dict]:
        return [e for e in self.entries
                if target.python in e["python"] and target.name in e["platforms"]]

    def _key(self, requirements: list[str], target: Target) -> str:
        blob = json.dumps([CACHE_FORMAT, sorted(requirements), target.name, target.python,
                           target.platform_tags, target.markers, self._stand_ins(target),
                           self.index_url, installed_version("pip")], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:24]

    def cached(self, requirements: list[str], target: Target, *, any_age: bool = False):
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{self._key(requirements, target)}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not any_age and time.time() - data["at"] > self.max_age:
            return None
        return Resolution.from_json(data["resolution"])

    def __call__(self, requirements: list[str], target: Target) -> Resolution:
        hit = self.cached(requirements, target)
        if hit is not None:
            return hit
        try:
            result = self._run_pip(requirements, target)
        except IndexUnreachable:
            stale = self.cached(requirements, target, any_age=True)
            if not self.stale_when_offline or stale is None:
                raise
            self.stale_used = True
            return stale
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            path = self.cache_dir / f"{self._key(requirements, target)}.json"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"at": time.time(), "resolution": result.to_json()}))
            tmp.replace(path)
        return result

    def _run_pip(self, requirements: list[str], target: Target) -> Resolution:
        self.pip_runs += 1
        with tempfile.TemporaryDirectory(prefix="phonecheck-") as tmp:
            stand_ins = Path(tmp, "mobile-index")
            stand_ins.mkdir()
            for entry in self._stand_ins(target):
                stand_in_wheel(stand_ins, entry, target)
            report = Path(tmp, "report.json")
            args = ["--isolated", "--disable-pip-version-check", "install", "--dry-run",
                    "--ignore-installed", "--report", str(report), "--target",
                    str(Path(tmp, "site-packages")), "--only-binary", ":all:",
                    "--implementation", "cp", "--python-version", target.python,
                    "--find-links", str(stand_ins), "--timeout", str(self.timeout),
                    "--retries", "2"]
            for tag in target.platform_tags:
                args += ["--platform", tag]
            if self.index_url:
                args += ["--index-url", self.index_url]
            proc = subprocess.run(
                [sys.executable, "-c", _BOOT, json.dumps(target.markers), *args,
                 "--", *requirements], capture_output=True, text=True, timeout=600)
            if proc.returncode == 0:
                return self._parse_report(report.read_text(encoding="utf-8"), stand_ins)
        output = proc.stdout + "\n" + proc.stderr
        unreachable = _UNREACHABLE.search(output)
        if unreachable:
            line = next(ln for ln in output.splitlines() if unreachable.group(0) in ln)
            raise IndexUnreachable(line.strip())
        return parse_failure(output)

    @staticmethod
    def _parse_report(text: str, stand_ins: Path) -> Resolution:
        dists = []
        for item in json.loads(text).get("install", []):
            url = item["download_info"]["url"]
            dists.append(Dist(canonicalize_name(item["metadata"]["name"]),
                              item["metadata"]["version"], url.rsplit("/", 1)[-1],
                              mobile_index=stand_ins.as_uri() in url))
        return Resolution(dists=tuple(sorted(dists, key=lambda d: d.name)))
