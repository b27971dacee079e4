"""E-mail addresses in normalised text (see ``textnorm``), plain and obfuscated.

The scan looks for an '@' marker first and reads the address outwards from it, so text with
no marker costs one quick pass. An '@' with no name before it (``@kommunen``) is a mention,
not an e-mail. Markers and their rules:
- ``@`` with nothing around it: ``name@host``; no top-level domain is needed
  (``ola@politiet``), but the host must hold a letter (``3@50`` is no address).
- ``@`` with spaces on either side (``ola @ politiet.no``): the host must be dotted and end
  in a top-level domain of 2-12 letters, all lower or all upper case.
- ``(at)``, ``[at]``, ``{at}``, ``<at>``, ``(a)``, ``(krøll)``, ``(krøllalfa)``: any host.
- the bare words ``at``, ``krøllalfa``, ``alfakrøll`` between spaces: a top-level domain as
  for a spaced '@'.
Except for a plain ``name@host``, the name must not be a common Norwegian word that can stand
before "at" (that) or '@' in a sentence (``Han sa at vg.no ...``, ``se oss @ politiet.no``).
A dot in the name or the host may be spelled ``.``, `` . ``, ``(dot)``, ``[dot]``, ``{dot}``,
``(punktum)``, ``(prikk)``, or the bare words ``dot``, ``punktum``, ``prikk`` between spaces.
"""

from __future__ import annotations

import re

_PART = r"[\w+-]+"
_DOT = (r"(?:\.| \. |\s*[(\[{<]\s*(?:dot|punktum|prikk)\s*[)\]}>]\s*"
        r"|\s+(?:dot|punktum|prikk)\s+)")
_NAME = re.compile(rf"(?<![\w.+-]){_PART}(?:{_DOT}{_PART})*$", re.IGNORECASE)
_HOST = re.compile(rf"{_PART}(?:{_DOT}{_PART})*", re.IGNORECASE)
_TLD = re.compile(rf"{_DOT}([^\W\d_]{{2,12}})$", re.IGNORECASE)
_MARKER = re.compile(
    r"(?P<at> *@ *)"
    r"|(?P<bracket> *[(\[{<] *(?:at|a|krøll|krøllalfa) *[)\]}>] *)"
    r"|(?P<word> +(?:at|krøllalfa|alfakrøll) +)",
    re.IGNORECASE,
)
_HINTS = ("@", " at ", "krøll")
_BRACKET_HINT = re.compile(r"[(\[{<] *a", re.IGNORECASE)
_NAME_WINDOW = 128
# Words that end a clause before "at" (that) in Norwegian.
_CLAUSE_WORDS = frozenset({
    "sa", "sier", "si", "mente", "mener", "tror", "trodde", "tenkte", "vet", "visste",
    "viste", "viser", "fortalte", "forteller", "opplyste", "opplyser", "oppga", "oppgir",
    "skrev", "skriver", "hevdet", "hevder", "meldte", "melder", "bekreftet", "bekrefter",
    "antar", "antok", "håper", "håpet", "sikre", "passe", "og", "men", "så", "slik", "fordi",
    "uten", "enn", "for", "om", "ble", "er", "var", "har", "hadde", "kom", "fram", "frem",
    "klart", "sett", "hørt", "vist", "gjort", "at", "det", "den", "dette", "han", "hun", "de",
    "vi", "jeg", "du", "dem", "ham", "henne", "seg", "noe", "ingen", "alle", "på", "til",
    "fra", "i", "med", "hos", "av", "se", "oss", "meg", "deg", "greit", "viktig", "sikkert",
    "mulig", "bra", "godt", "enige", "beskjed", "informert", "opplyst", "meldt", "kjent",
    "usikkert", "tydelig", "sannsynlig", "fortalt", "redd", "glad", "ønsker", "ønsket", "vil",
    "ville", "kan", "kunne", "skal", "skulle", "må", "måtte", "burde", "bør", "nå", "da", "når",
})


def _top_level_domain(host: str) -> bool:
    """Whether the host ends in a dot and a top-level domain in one case (``no``, ``NO``)."""
    tld = _TLD.search(host)
    return tld is not None and (tld.group(1).islower() or tld.group(1).isupper())


def _address(text: str, marker: re.Match[str]) -> tuple[int, int] | None:
    """The span of the address around one marker, or None when it is no address."""
    start, end = marker.span()
    host = _HOST.match(text, end)
    if host is None or not any(c.isalpha() for c in host.group()):
        return None
    kind = marker.lastgroup
    spaced = kind == "at" and marker.group() != "@"
    if (kind == "word" or spaced) and not _top_level_domain(host.group()):
        return None
    name = _NAME.search(text, max(0, start - _NAME_WINDOW), start)
    if name is None:
        return None
    if (kind != "at" or spaced) and name.group().lower() in _CLAUSE_WORDS:
        return None
    return name.start(), host.end()


def may_hold_address(text: str) -> bool:
    """False when normalised text holds no marker an address needs (one quick pass)."""
    low = text.lower()
    return any(hint in low for hint in _HINTS) or _BRACKET_HINT.search(text) is not None


def email_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every e-mail address in normalised text, in order, not overlapping."""
    if not may_hold_address(text):
        return []
    spans: list[tuple[int, int]] = []
    for marker in _MARKER.finditer(text):
        span = _address(text, marker)
        if span and not (spans and span[0] < spans[-1][1]):
            spans.append(span)
    return spans
