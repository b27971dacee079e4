"""One word per concept in everything the officer reads in bokmål: the app's strings, the
domain's labels and messages, the report's words and the sync texts. Bokmål allows several
spellings of one word; the app keeps to one (the -en forms: loggboken, uken, sakslisten) and
to the words the agreements use."""

from __future__ import annotations

import re

import pytest

from fieldapp.domain import messages
from fieldapp.report import texts as report_texts
from sync import texts as sync_texts
from views.strings import CATALOGS

# spelling found -> the app's word for it
GLOSSARY = {
    r"\bloggboka\b": "loggboken",
    r"\buka\b": "uken",
    r"\bsakslista\b": "sakslisten",
    r"\bsakliste": "saksliste",
    r"\(er\)": "a plural written out (1 dag, 2 dager)",
    r"\bdatamaskin": "telefonen / maskinen",
    r"\bsamtykkeerklæring": "samtykke",
    r"\bkrisestaben\b|\bkriseteamet\b": "kriseledelsen (the staff) / krisestab (the meeting)",
    r"\bpolitirådsmøte": "politiråd",
    r"\bSLT-koordinatoren\b": "SLT-koordinator",
    r"\bsynkronis": "synk",
}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _bokmal() -> list[tuple[str, str]]:
    found = [("views", s) for s in _strings(CATALOGS["nb"])]
    for name in ("ERRORS", "FIELDS", "CODES", "BEFORE"):
        found += [(f"messages.{name}", s) for s in _strings(getattr(messages, name)["nb"])]
    found += [("report", s) for s in _strings(report_texts.TEXTS["nb"])]
    found += [("sync", s) for s in _strings(sync_texts.REASONS["nb"])]
    found += [("sync", s) for s in _strings(sync_texts.ERRORS["nb"])]
    return found


@pytest.mark.parametrize("pattern", GLOSSARY)
def test_one_word_per_concept(pattern):
    hits = [(where, text) for where, text in _bokmal() if re.search(pattern, text, re.I)]
    assert hits == [], f"use {GLOSSARY[pattern]!r}: {hits}"


def test_the_glossary_reads_every_catalogue():
    texts = [text for _, text in _bokmal()]
    assert len(texts) > 400
    assert any("Saksliste" in t for t in texts) and any("loggboken" in t for t in texts)
