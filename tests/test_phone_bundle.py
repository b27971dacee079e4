"""The phone bundle check (phonecheck) and the pyproject facts a phone build depends on.

The rules run on canned resolutions (a fake resolver); the last tests ask pip and the package
index for real (cached in artifacts/phonecheck, as `make phone-check` leaves it).
"""

from __future__ import annotations

import ast
import os
import re
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from phonecheck import (
    Dist,
    IndexUnreachable,
    Missing,
    MobileIndex,
    PipResolver,
    Resolution,
    judge,
    phone_python,
    phone_requirements,
    phone_targets,
)
from phonecheck.resolver import parse_failure, stand_in_wheel
from phonecheck.target import android, ios

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
INDEX = MobileIndex.load()
PY = phone_python(PYPROJECT["project"]["requires-python"])
ANDROID, IOS = android(PY), ios(PY)


def fake(answers: dict[tuple[str, ...], Resolution]):
    calls = []

    def resolve(requirements, target):
        calls.append(tuple(requirements))
        return answers[tuple(requirements)]
    resolve.calls = calls
    return resolve


# --- the decision, on canned resolutions -------------------------------------------------

def test_pure_phone_and_mobile_index_wheels_pass():
    res = Resolution(dists=(
        Dist("requests", "2.34.2", "requests-2.34.2-py3-none-any.whl"),
        Dist("charset-normalizer", "3.5.3",
             "charset_normalizer-3.5.3-cp313-cp313-android_21_arm64_v8a.whl"),
        Dist("cryptography", "43.0.1", "cryptography-43.0.1-cp313-cp313-android_24_arm64_v8a.whl",
             mobile_index=True)))
    reqs = ["requests", "cryptography"]
    verdict = judge(reqs, ANDROID, fake({tuple(reqs): res}), INDEX)
    assert verdict.ok, verdict.problems


def test_a_desktop_wheel_or_another_phone_is_a_problem():
    res = Resolution(dists=(
        Dist("msgpack", "1.2.4", "msgpack-1.2.4-cp313-cp313-manylinux_2_17_x86_64.whl"),
        Dist("pillow", "13.0.0", "pillow-13.0.0-cp313-cp313-ios_13_0_arm64_iphoneos.whl")))
    verdict = judge(["msgpack", "pillow"], ANDROID, fake({("msgpack", "pillow"): res}), INDEX)
    assert [p.package for p in verdict.problems] == ["msgpack", "pillow"]
    assert "not for Android" in verdict.problems[0].reason


def test_a_server_only_package_fails_even_with_a_wheel():
    res = Resolution(dists=(Dist("uvloop", "0.23.0",
                                 "uvloop-0.23.0-cp313-cp313-android_24_arm64_v8a.whl"),))
    verdict = judge(["uvloop"], ANDROID, fake({("uvloop",): res}), INDEX)
    assert [p.package for p in verdict.problems] == ["uvloop"]
    assert "server-only" in verdict.problems[0].reason


def test_a_missing_package_is_named_with_what_the_mobile_index_has():
    res = Resolution(missing=(Missing("cryptography", "cryptography==50.0.2", versions="43.0.1"),))
    verdict = judge(["cryptography==50.0.2"], IOS, fake({("cryptography==50.0.2",): res}), INDEX)
    (problem,) = verdict.problems
    assert problem.package == "cryptography"
    assert "43.0.1" in problem.reason and "cryptography==50.0.2" in problem.reason


def test_after_a_failure_each_requirement_is_asked_alone_so_all_are_named():
    reqs = ["flet==1.0.5", "fancy-native", "other-native>=2"]
    resolve = fake({
        tuple(reqs): Resolution(missing=(Missing("fancy-native", "fancy-native"),)),
        ("flet==1.0.5",): Resolution(dists=(Dist("flet", "1.0.5", "flet-1.0.5-py3-none-any.whl"),)),
        ("fancy-native",): Resolution(missing=(Missing("fancy-native", "fancy-native"),)),
        ("other-native>=2",): Resolution(missing=(Missing("libthing", "libthing>=1",
                                                          wanted_by="other-native"),)),
    })
    verdict = judge(reqs, ANDROID, resolve, INDEX)
    assert {(p.package, p.wanted_by) for p in verdict.problems} == {
        ("fancy-native", "fancy-native"), ("libthing", "other-native")}
    assert "no build of it either" in verdict.problems[0].reason


def test_a_conflict_caused_by_a_package_without_phone_wheels_names_that_package():
    resolve = fake({
        ("flet-web==1.0.5",): Resolution(missing=(Missing(
            "httptools", "httptools>=0.8.0", "uvicorn[standard] 0.54.0", kind="conflict"),)),
        ("httptools>=0.8.0",): Resolution(missing=(Missing("httptools", "httptools>=0.8.0"),)),
    })
    verdict = judge(["flet-web==1.0.5"], ANDROID, resolve, INDEX)
    assert {p.package for p in verdict.problems} == {"flet-web", "httptools"}
    assert ("httptools>=0.8.0",) in resolve.calls


def test_pip_failure_output_is_read():
    res = parse_failure(
        "ERROR: Could not find a version that satisfies the requirement msgpack>=1.1.0 "
        "(from flet) (from versions: none)\nERROR: No matching distribution found for "
        "msgpack>=1.1.0\n")
    assert res.missing == (Missing("msgpack", "msgpack>=1.1.0", "flet", "none"),)
    res = parse_failure("The conflict is caused by:\n    uvicorn[standard] 0.54.0 depends on "
                        'httptools>=0.8.0; extra == "standard"\n\nERROR: ResolutionImpossible')
    assert res.missing == (Missing("httptools", "httptools>=0.8.0", "uvicorn[standard] 0.54.0",
                                   kind="conflict"),)
    assert parse_failure("ERROR: something else entirely").errors


def test_stand_in_wheels_carry_name_version_requirements_and_the_phone_tag(tmp_path):
    entry = next(e for e in INDEX.entries if e["name"] == "cryptography" and PY in e["python"])
    wheel = stand_in_wheel(tmp_path, entry, ANDROID)
    name, version, _, tags = parse_wheel_filename(wheel.name)
    assert (name, str(version)) == ("cryptography", entry["version"])
    assert {t.platform for t in tags} == {"android_24_arm64_v8a"}
    metadata = zipfile.ZipFile(wheel).read(f"cryptography-{version}.dist-info/METADATA").decode()
    assert "Requires-Dist: cffi>=1.12" in metadata


def test_the_mobile_index_data_file_says_where_each_fact_comes_from():
    assert INDEX.entries
    for entry in INDEX.entries:
        assert entry["source"].startswith("mobile-forge recipes/"), entry
        assert set(entry["platforms"]) <= {"android", "ios"} and entry["python"]


# --- the phone's Python and the phone set --------------------------------------------------

@pytest.mark.parametrize(("spec", "python"), [
    (">=3.11,<3.14", "3.13"), (">=3.11", "3.14"), (">=3.10,<3.13", "3.12")])
def test_the_phone_python_is_the_newest_flet_bundles_within_requires_python(spec, python):
    assert phone_python(spec) == python


def test_a_requires_python_flet_cannot_bundle_is_refused():
    with pytest.raises(ValueError, match="allows no Python"):
        phone_python("<3.12")


def test_the_phone_runs_python_3_13():
    assert PY == "3.13"


def test_platform_dependencies_join_the_phone_set():
    pyproject = {"project": {"dependencies": ["flet==1.0.5"]},
                 "tool": {"flet": {"android": {"dependencies": ["pyjnius"]}}}}
    assert phone_requirements(pyproject, "android") == ["flet==1.0.5", "pyjnius"]
    assert phone_requirements(pyproject, "ios") == ["flet==1.0.5"]


def _names(requirements) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def test_the_phone_set_holds_no_server_or_browser_package():
    for target in phone_targets(PY):
        assert not _names(phone_requirements(PYPROJECT, target.name)) & set(INDEX.server_only)
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "flet-web" in _names(extras["web"]) and "fastapi" in _names(extras["server"])


def test_the_phone_set_has_the_flet_extensions_pinned_to_flet():
    deps = {canonicalize_name(Requirement(r).name): str(Requirement(r).specifier)
            for r in PYPROJECT["project"]["dependencies"]}
    for name in ("flet", "flet-geolocator", "flet-charts", "flet-secure-storage",
                 "flet-permission-handler"):
        assert deps[name] == "==1.0.5", name


def _locks() -> dict[str, tuple[str, str]]:
    pins: dict[str, tuple[str, str]] = {}
    for lock in sorted(ROOT.glob("requirements*.lock")):
        for line in lock.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, version = line.split("==")
                key = canonicalize_name(name)
                assert key not in pins, f"{name} pinned twice (also in {lock.name})"
                pins[key] = (version.strip(), lock.name)
    return pins


def test_the_tests_run_on_the_cryptography_the_phone_gets():
    phone = {e["version"] for e in INDEX.builds_of("cryptography") if PY in e["python"]}
    assert _locks()["cryptography"] == (*phone, "requirements.lock")
    spec = next(Requirement(r).specifier for r in PYPROJECT["project"]["dependencies"]
                if r.startswith("cryptography"))
    assert spec.contains(*phone)


def test_every_dependency_is_pinned_within_its_range_in_the_lock_files():
    pins = _locks()
    extras = PYPROJECT["project"]["optional-dependencies"]
    for req in map(Requirement, [*PYPROJECT["project"]["dependencies"], *extras["web"],
                                 *extras["server"], *extras["dev"]]):
        version, _ = pins[canonicalize_name(req.name)]
        assert req.specifier.contains(version), f"{req} but the lock pins {version}"


# --- what the package leaves out ----------------------------------------------------------

EXCLUDED = PYPROJECT["tool"]["flet"]["app"]["exclude"]


@pytest.mark.parametrize("path", ["sync/server", "bench", "tests", "docs", "phonecheck", ".venv"])
def test_the_phone_package_leaves_out(path):
    assert path in EXCLUDED


def _shipped_modules() -> list[Path]:
    def shipped(p: Path) -> bool:
        rel = p.relative_to(ROOT).as_posix()
        return not any(rel == e or rel.startswith(e + "/") for e in EXCLUDED)
    return [p for p in [ROOT / "main.py", *(ROOT / "fieldapp").rglob("*.py"),
                        *(ROOT / "views").rglob("*.py"), *(ROOT / "sync").rglob("*.py")]
            if shipped(p)]


def test_nothing_shipped_imports_what_is_left_out():
    assert len(_shipped_modules()) > 20
    left_out = re.compile(r"^(sync\.server|bench|tests|phonecheck)(\.|$)")
    for path in _shipped_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                     else [])
            bad = [n for n in names if left_out.match(n)]
            assert not bad, f"{path.relative_to(ROOT)} imports {bad}, which the phone lacks"


def test_make_test_runs_the_bundle_check_before_pytest():
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ntest:", 1)[1]
    recipe = recipe.split("\n\n", 1)[0]
    assert recipe.index("-m phonecheck") < recipe.index("tests/run_suites.py")


# --- for real: pip and the package index (answers cached for a day) -----------------------

def _real_resolver() -> PipResolver:
    cache = Path(os.environ.get("PHONECHECK_CACHE") or ROOT / "artifacts" / "phonecheck")
    return PipResolver(INDEX.entries, cache,
                       index_url=os.environ.get("PHONECHECK_INDEX_URL") or None)


def _judge(requirements, target):
    try:
        return judge(requirements, target, _real_resolver(), INDEX)
    except IndexUnreachable as exc:
        if os.environ.get("PHONECHECK_OFFLINE") == "1":
            pytest.skip(f"PHONECHECK_OFFLINE=1 and the package index did not answer: {exc}")
        pytest.fail(f"the package index did not answer, nothing proven: {exc}")


@pytest.mark.parametrize(("requirement", "culprit"), [
    ("cryptography==50.0.2", "cryptography"), ("uvloop", "uvloop"),
    ("flet-web==1.0.5", "httptools")])
def test_a_bad_phone_set_fails_naming_the_package(requirement, culprit):
    verdict = _judge(["flet==1.0.5", requirement], ANDROID)
    assert not verdict.ok
    assert culprit in {p.package for p in verdict.problems}, verdict.problems


@pytest.mark.parametrize("target", phone_targets(PY), ids=lambda t: t.name)
def test_the_real_phone_set_installs(target):
    verdict = _judge(phone_requirements(PYPROJECT, target.name), target)
    assert verdict.ok, [str(p) for p in verdict.problems]
    kinds = {d.name: d.mobile_index for d in verdict.dists}
    assert kinds["cryptography"] and {"flet", "requests", "tinydb"} <= set(kinds)
    assert not set(kinds) & set(INDEX.server_only)
