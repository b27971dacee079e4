"""What `flet build` installs, for which phone and which Python, read as flet-cli 1.0.5 reads it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

# The Python lines flet-cli 1.0.5 can bundle (its python-build manifest), as full versions:
# flet picks the newest stable one whose full version satisfies requires-python.
BUNDLED_PYTHONS = ("3.12.12", "3.13.9", "3.14.0")


@dataclass(frozen=True)
class Target:
    """One phone platform: the wheel tags pip may take and the markers it evaluates."""

    name: str                      # "android" | "ios", as in [tool.flet.<name>]
    label: str
    python: str                    # "3.13"
    platform_tags: tuple[str, ...]
    markers: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def primary_tag(self) -> str:
        return self.platform_tags[0]


def phone_python(requires_python: str | None) -> str:
    """The short Python version `flet build` bundles for this requires-python."""
    spec = SpecifierSet(requires_python or "")
    fitting = [Version(v) for v in BUNDLED_PYTHONS if Version(v) in spec]
    if not fitting:
        raise ValueError(f"requires-python {requires_python!r} allows no Python that Flet "
                         f"bundles ({', '.join(v.rsplit('.', 1)[0] for v in BUNDLED_PYTHONS)})")
    best = max(fitting)
    return f"{best.major}.{best.minor}"


def _markers(python: str, system: str, sys_platform: str, machine: str) -> dict[str, str]:
    return {"python_version": python, "python_full_version": f"{python}.0",
            "platform_system": system, "sys_platform": sys_platform,
            "platform_machine": machine, "os_name": "posix",
            "implementation_name": "cpython", "platform_python_implementation": "CPython"}


def android(python: str, api_level: int = 24) -> Target:
    """arm64-v8a; a wheel for an older API level also installs (as pip on the phone says)."""
    tags = tuple(f"android_{level}_arm64_v8a" for level in range(api_level, 15, -1))
    return Target("android", "Android arm64-v8a", python, tags,
                  _markers(python, "Android", "android", "aarch64"))


def ios(python: str) -> Target:
    """A device (iphoneos) arm64; iOS 13.0 is the deployment target Flet builds for."""
    tags = ("ios_13_0_arm64_iphoneos",
            *(f"ios_12_{minor}_arm64_iphoneos" for minor in range(9, -1, -1)))
    return Target("ios", "iOS arm64 (iphoneos)", python, tags,
                  _markers(python, "iOS", "ios", "arm64"))


def phone_targets(python: str) -> list[Target]:
    return [android(python), ios(python)]


def load_pyproject(path: Path) -> dict:
    with path.open("rb") as f:
        return tomllib.load(f)


def phone_requirements(pyproject: dict, platform: str) -> list[str]:
    """``[project].dependencies`` plus ``[tool.flet.<platform>].dependencies``."""
    project = pyproject.get("project", {}).get("dependencies", [])
    extra = pyproject.get("tool", {}).get("flet", {}).get(platform, {}).get("dependencies", [])
    return sorted({*project, *extra})
