"""Text normalisation for the personal-data detector (``fieldapp.domain.identity``).

``normalise(text)`` makes every common spelling of a digit, a separator or an '@' look the same:

1. Unicode NFKC: full-width digits (U+FF10..FF19) become 0-9, full-width and small '@'
   become '@', the no-break spaces become plain spaces, superscript digits become digits.
2. The soft hyphen (U+00AD, a hyphen where the line breaks) becomes '-' and the zero-width
   space (U+200B) a plain space: each marks a break between groups, so ``92.66\u00ad31\u00ad04``
   reads as ``92.66-31-04``, never as the decimal ``92.663104``. Other format characters
   (category Cf: zero-width joiners, word joiner, BOM) and combining marks (categories Mn,
   Me, e.g. a combining strike-through) are removed.
3. Every Unicode space (category Zs), line and paragraph separators (Zl, Zp) and the
   whitespace controls (tab, newline, carriage return, vertical tab, form feed, U+0085)
   become one plain space each (runs are not collapsed).
4. Every Unicode dash (category Pd) and U+2212 MINUS SIGN become '-'.
5. Every other decimal digit (category Nd, e.g. Arabic-Indic digits) becomes its ASCII digit.

The result can be shorter or longer than the input (NFKC may expand a ligature, removals
shorten), so offsets into the result do not map back to the input.
Text of printable ASCII and the Latin-1 letters (æ, ø, å, é, ü ...) comes back as it is:
neither step changes it (most notes). Other pure ASCII text skips the NFKC step, which cannot
change it.
"""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c\x85")
_BREAKS = {"\u00ad": "-", "\u200b": " "}  # invisible, but each one breaks a number apart
_CACHE_LIMIT = 4096


def _replacement(char: str) -> str | int | None:
    """What ``str.translate`` puts for ``char``: a string, its own ordinal, or None (removed)."""
    if char in _BREAKS:
        return _BREAKS[char]
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me"):
        return None
    if category in ("Zs", "Zl", "Zp") or char in _WHITESPACE_CONTROLS:
        return " "
    if category == "Pd" or char == "\u2212":
        return "-"
    if category == "Nd":
        return str(unicodedata.digit(char))
    return ord(char)


class _CharMap(dict[int, "str | int | None"]):
    """A translate table filled on demand; bounded so hostile input cannot grow it forever."""

    def __missing__(self, code: int) -> str | int | None:
        value = _replacement(chr(code))
        if len(self) < _CACHE_LIMIT:
            self[code] = value
        return value


_TABLE = _CharMap()
_ASCII_TABLE = str.maketrans({c: " " for c in "\t\n\r\x0b\x0c"})
#: A character other than printable ASCII and the Latin-1 letters À-ÿ (but × and ÷): the
#: letters are composed forms with no compatibility mapping, so NFKC and the table keep them.
_CHANGED_SOMEWHERE = re.compile("[^\x20-\x7e\xc0-\xd6\xd8-\xf6\xf8-\xff]")


def normalise(text: str) -> str:
    """The text with digits, separators and '@' in one spelling each (see the module doc)."""
    if _CHANGED_SOMEWHERE.search(text) is None:
        return text  # printable ASCII and Latin-1 letters: nothing to change (most text)
    if text.isascii():
        return text.translate(_ASCII_TABLE)
    return unicodedata.normalize("NFKC", text).translate(_TABLE)
