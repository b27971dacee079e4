"""The catalogs: same keys in both languages, bokmål first, plurals, no domain duplicates."""

from __future__ import annotations

import re
from pathlib import Path

from fieldapp.domain.messages import CODES, FIELDS
from views import strings
from views.strings import en, nb

VIEWS = Path(__file__).resolve().parents[2] / "views"


def test_both_languages_have_the_same_keys():
    plain = {k for k in nb.STRINGS if not k.endswith(".one")}
    assert plain == {k for k in en.STRINGS if not k.endswith(".one")}


def test_every_key_used_in_the_views_exists():
    used = set()
    for path in VIEWS.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\"([a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    missing = {k for k in used if k not in nb.STRINGS and not k.endswith((".", "_"))}
    assert not missing


def test_bokmal_is_the_default_and_unknown_languages_fall_back_to_it():
    assert strings.text("home.title") == "I dag"
    assert strings.text("home.title", "sv") == "I dag"
    assert strings.text("home.title", "en") == "Today"


def test_counts_of_one_use_the_singular():
    assert strings.text("home.waiting_sync", count=1) == "1 registrering venter på synk"
    assert strings.text("home.waiting_sync", count=3) == "3 registreringer venter på synk"
    assert strings.text("pin.wrong_wait", seconds=1) == "Feil PIN. Vent 1 sekund."
    assert strings.text("pin.wrong_attempts", count=4) == "Feil PIN. 4 forsøk igjen."


def test_a_missing_parameter_shows_the_template_rather_than_crashing():
    assert strings.text("home.checked_in") == "Sjekket inn på {school} kl. {time}"


def test_field_and_code_labels_are_not_repeated_in_the_ui_catalogs():
    for lang, catalog in (("nb", nb.STRINGS), ("en", en.STRINGS)):
        assert not set(catalog) & (set(FIELDS[lang]) | set(CODES[lang]))


def test_each_key_lives_in_one_feature_table():
    for language in (nb, en):
        tables = [m for m in vars(language).values() if hasattr(m, "STRINGS") and m is not language]
        assert len(tables) >= 10
        assert sum(len(m.STRINGS) for m in tables) == len(language.STRINGS)
