"""Code-level security rules (SECURITY.md): no weak crypto primitives, no PRNG for secrets,
no personal data in logs or exception messages."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

import pytest

from fieldapp import Logbook, WrongPin
from fieldapp.domain import Consent, FollowUpCase, Observation, ValidationError
from fieldapp.store import KdfParams

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for pkg in ("fieldapp", "sync", "views") for p in (ROOT / pkg).rglob("*.py")]
SOURCES += [ROOT / "main.py"] if (ROOT / "main.py").exists() else []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_weak_primitives_or_disabled_checks(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\bECB\b|\bMD5\b|\bDES\b|Fernet", text)
    assert not re.search(r"^\s*(import random|from random import)", text, re.M), \
        "secrets and os.urandom only"
    assert not re.search(r"verify\s*=\s*False|trust_env\s*=\s*True", text)


def test_no_personal_data_in_logs_or_errors(tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    markers = ["MARKØR-navn-7781", "MARKØR-bekymring-7782", "MARKØR-sted-7783"]
    data = tmp_path / "data"
    messages: list[str] = []
    with Logbook.create(data, "482913", kdf=KdfParams.FLOOR) as lb:
        cid = lb.add(FollowUpCase(person_name=markers[0], birth_date=date(2011, 1, 1),
                                  concern=markers[1]))
        lb.add(Observation(place=markers[2], note=markers[1]))
        lb.add(Consent(case_id=cid, given_by=markers[0], recipients={"slt"}, purpose="SLT"))
        for bad in (FollowUpCase(person_name=markers[0], concern=markers[1],
                                 identity_number=markers[2]),
                    Observation(place=markers[2], youth_count=-1)):
            with pytest.raises(ValidationError) as caught:
                lb.add(bad)
            messages.append(str(caught.value) + repr(caught.value))
        lb.compact()
    with pytest.raises(WrongPin) as caught:
        Logbook.open(data, markers[0][:8])
    messages.append(str(caught.value) + repr(caught.value))
    out, err = capfd.readouterr()
    captured = "\n".join([caplog.text, out, err, *messages])
    assert messages and all(m not in captured for m in markers)
