"""Detector for personal data in free text: Norwegian identity numbers, phone numbers, e-mail.

The text is normalised first (``textnorm.normalise``: NFKC, format characters removed, every
space and dash in one spelling). A ``Finding``'s span indexes that normalised text, not the
input; callers use only ``kind`` and whether anything was found. A Finding never carries the
matched text, so it cannot end up in a log by accident.

Digits: a *chain* is digit groups joined by separators, each separator a run of 1-3 of
``' ' . - / _``. Groups are the unbroken digit runs of a chain. Numbers are read from whole
groups (a number never starts or ends inside a group, except a glued country prefix).
A chain glued to a word on its left is part of a code (``KANARI004791``, ``AB12345678``) and
yields only identity numbers with valid check digits, unless the word ends in a phone or
number word: tlf, tel, telefon, mob, mobil, ring, sms, nr, nummer, fnr, pnr (``tlf91234567``).

Identity numbers (11 digits; DDMMYY, a 3-digit individual number, two mod-11 check digits):
- 'fodselsnummer'; 'd_number' (day + 40); 'h_number' (month + 40, health services).
- Any run of consecutive groups with 11 digits and valid check digits is reported, in any
  grouping (``150511 12382``, ``15.05.11 12382``, ``150 511 123 82``, separators anywhere),
  and as a birth date with a 4-digit year then the 5 digits (``15.05.2011 12382``).
- 'identity_like': 11 digits whose check digits are wrong but whose first six are a plausible
  DDMMYY (with the D or H offset), either unbroken or, at the start or the end of a chain,
  in the shape 6+5, 2-2-2-5, 6-3-2, 2-2-2-3-2 or 3-3-3-2.
Phone numbers (kind 'phone'): see ``phones``.
E-mail (kind 'email'): see ``emails``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .emails import email_spans, may_hold_address
from .phones import Span, digits_of, international_spans, phone_runs, plausible_date
from .textnorm import normalise

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def check_digits(first_nine: str) -> tuple[int, int] | None:
    """The two mod-11 check digits for nine digits, or None when no valid number exists."""
    digits = [int(c) for c in first_nine]
    k1 = _check_digit(digits, _K1_WEIGHTS)
    if k1 is None:
        return None
    k2 = _check_digit(digits + [k1], _K2_WEIGHTS)
    if k2 is None:
        return None
    return k1, k2


def _birth_kind(six: str) -> str | None:
    """Which identity-number type the first six digits fit, by the D (day) or H (month) offset."""
    day, month = int(six[:2]), int(six[2:4])
    if plausible_date(day, month):
        return "fodselsnummer"
    if plausible_date(day - 40, month):
        return "d_number"
    if plausible_date(day, month - 40):
        return "h_number"
    return None


def identity_number_kind(number: str) -> str | None:
    """'fodselsnummer', 'd_number', 'h_number' or None for an 11-digit string."""
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return None
    if check_digits(number[:9]) != (int(number[9]), int(number[10])):
        return None
    return _birth_kind(number[:6])


@dataclass(frozen=True)
class Finding:
    """Where personal data was found: the kind and the span, never the text itself."""

    kind: str
    start: int
    end: int = field(compare=True)


_CHAIN = re.compile(r"[0-9]+(?:[ ./_-]{1,3}[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")
_NUMBER_WORD = re.compile(r"(?:tlf|tel|telefon|mob|mobil|ring|sms|nr|nummer|fnr|pnr)$",
                          re.IGNORECASE)
_LIKE_SHAPES = frozenset({(11,), (6, 5), (2, 2, 2, 5), (6, 3, 2), (2, 2, 2, 3, 2), (3, 3, 3, 2)})
_LOOKBACK = 16
_NOT_DIGITS = bytes(b for b in range(256) if not 0x30 <= b <= 0x39)


def _eight_digits(text: str) -> bool:
    """Whether the text holds eight ASCII digits: fewer make no number the detector reads
    (its shortest is a phone number of eight). UTF-8 bytes of other characters are no digits;
    a lone surrogate (JSON may carry one) is encoded as it is."""
    return len(text.encode("utf-8", "surrogatepass").translate(None, _NOT_DIGITS)) >= 8


def _identity_at(text: str, groups: list[Span], i: int,
                 look_alikes: bool) -> tuple[int, str] | None:
    """(last group index, kind) for an identity number starting at group ``i``, if any."""
    four = [text[s:e] for s, e in groups[i:i + 4]]
    if [len(g) for g in four] == [2, 2, 4, 5]:  # DD.MM.YYYY nnnnn: drop the century
        kind = identity_number_kind(four[0] + four[1] + four[2][2:] + four[3])
        if kind:
            return i + 3, kind
    total = 0
    for j in range(i, len(groups)):
        total += groups[j][1] - groups[j][0]
        if total < 11:
            continue
        if total > 11:
            return None
        number = digits_of(text, groups[i:j + 1])
        kind = identity_number_kind(number)
        if kind:
            return j, kind
        shape = tuple(e - s for s, e in groups[i:j + 1])
        at_edge = i == 0 or j == len(groups) - 1
        if not look_alikes or not (shape == (11,) or (at_edge and shape in _LIKE_SHAPES)):
            return None
        return (j, "identity_like") if _birth_kind(number[:6]) else None
    return None


def _glued_to_a_word(text: str, start: int) -> bool:
    """Digits glued to a word that is no phone or number word (``KANARI0047...``, a code)."""
    if start == 0 or not text[start - 1].isalpha():
        return False
    return not _NUMBER_WORD.search(text, max(0, start - _LOOKBACK), start)


def _chain_findings(text: str, groups: list[Span]) -> list[Finding]:
    """Identity numbers first, then phone numbers in what lies before, between and after."""
    findings: list[Finding] = []
    free_from = 0
    i = 0
    pieces: list[list[Span]] = []
    code = _glued_to_a_word(text, groups[0][0])
    while i < len(groups):
        hit = _identity_at(text, groups, i, not code)
        if hit is None:
            i += 1
            continue
        last, kind = hit
        findings.append(Finding(kind, groups[i][0], groups[last][1]))
        pieces.append(groups[free_from:i])
        free_from = i = last + 1
    pieces.append(groups[free_from:])
    for piece in pieces if not code else ():
        if sum(e - s for s, e in piece) >= 8:
            runs = phone_runs(text, piece)
            findings.extend(Finding("phone", run[0][0], run[-1][1]) for run in runs)
    return findings


def _number_findings(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for chain in _CHAIN.finditer(text):
        if chain.end() - chain.start() >= 8:
            groups = [g.span() for g in _GROUP.finditer(text, chain.start(), chain.end())]
            findings.extend(_chain_findings(text, groups))
    for span in international_spans(text):
        if not _overlaps(span, findings):
            findings.append(Finding("phone", *span))
    return findings


def _overlaps(span: Span, findings: list[Finding]) -> bool:
    return any(f.start < span[1] and span[0] < f.end for f in findings)


def find_personal_data(text: str) -> list[Finding]:
    """Every identity number, phone number and e-mail address in the text, in order.

    Spans index ``textnorm.normalise(text)``; an e-mail wins over digits inside it.
    """
    return _findings(normalise(text))


def _findings(text: str) -> list[Finding]:
    emails = [Finding("email", s, e) for s, e in email_spans(text)]
    numbers = _number_findings(text) if _eight_digits(text) else []
    findings = list(emails)
    findings += [f for f in numbers if not _overlaps((f.start, f.end), emails)]
    return sorted(findings, key=lambda f: f.start)


def contains_personal_data(text: str) -> bool:
    """Whether ``find_personal_data`` finds anything; most text (no marker an e-mail needs,
    fewer than eight digits) is answered in two quick passes."""
    text = normalise(text)
    if not may_hold_address(text) and not _eight_digits(text):
        return False
    return bool(_findings(text))
