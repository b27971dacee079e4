"""The README stays honest: every make target and every record field is documented."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from fieldapp.domain import RECORD_TYPES, FollowUpAction, TimelineEntry, sensitivity_of
from fieldapp.domain.records import Record

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    opening = README[:600]
    assert "make run" in opening and "make test" in opening


def _phony_targets() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^\.PHONY:(.*)$", makefile, re.M)
    assert line, "Makefile declares its targets in .PHONY"
    return line.group(1).split()


@pytest.mark.parametrize("target", _phony_targets())
def test_every_make_target_is_documented(target):
    assert f"`make {target}`" in README


def test_ci_calls_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _field_rows():
    base = {f.name for f in dataclasses.fields(Record)}
    for cls in [*RECORD_TYPES, FollowUpAction, TimelineEntry]:
        for name, sensitivity in sensitivity_of(cls).items():
            if issubclass(cls, Record) and name in base:
                continue
            yield cls.__name__, name, sensitivity.value


@pytest.mark.parametrize(("record", "field", "sensitivity"), list(_field_rows()))
def test_every_field_and_its_sensitivity_is_documented(record, field, sensitivity):
    section = README.split(f"**{record}**", 1)
    assert len(section) == 2, f"README has no section for {record}"
    table = section[1].split("\n\n**", 1)[0]
    row = re.search(rf"^\| `{field}` \|[^\n]*\| {sensitivity}\b", table, re.M)
    assert row, f"{record}.{field} ({sensitivity}) is not in the README"
