"""Detector for personal data in free text: Norwegian identity numbers, phone numbers, e-mail.

The text is normalised first (``textnorm.normalise``: NFKC, format characters removed, every
space and dash in one spelling). A ``Finding``'s span indexes that normalised text, not the
input; callers use only ``kind`` and whether anything was found. A Finding never carries the
matched text, so it cannot end up in a log by accident.

Digits: a *chain* is digit groups joined by separators, each separator a run of 1-3 of
``' ' . - / _``. Groups are the unbroken digit runs of a chain. Numbers are read from whole
groups (a number never starts or ends inside a group, except a glued country prefix).

Identity numbers (11 digits; DDMMYY, a 3-digit individual number, two mod-11 check digits):
- 'fodselsnummer'; 'd_number' (day + 40); 'h_number' (month + 40, health services).
- Any run of consecutive groups with 11 digits and valid check digits is reported, in any
  grouping (``150511 12382``, ``15.05.11 12382``, ``150 511 123 82``, separators anywhere).
- 'identity_like': 11 digits whose check digits are wrong but whose first six are a plausible
  DDMMYY (with the D or H offset), either unbroken or, at the start or the end of a chain,
  in the shape 6+5, 2-2-2-5, 6-3-2, 2-2-2-3-2 or 3-3-3-2.
Phone numbers (kind 'phone'): 8 digits starting with 2-9, optionally after +47, 0047 or 47
(also glued: ``4791234567``); text before the digits does not matter (``tlf91234567``).
- Found when those 8 digits are a whole chain in any grouping; when a chain splits into
  several such numbers (``912 34 567 / 987 65 432``); when a phone word (tlf, tel, telefon,
  mob, mobil, ring, sms) or +47/0047 comes just before, the first 8 digits of the chain; and
  as an unbroken run of 8 digits anywhere.
- Not a phone: an unbroken DDMMYYYY or YYYYMMDD date (year 1900-2099); 2+2+4 digits that are
  a DD MM YYYY date and 4+2+2 digits that are YYYY MM DD; 2+2+2+2 digits read as two times
  (HH.MM-HH.MM) or two day.month dates when the inner separators are '.' or '/'; two years
  (``2023/2024``); a year then 4 digits joined by '/' or '-' (``2026/1234``, a case number);
  1-2 digits, one '.', then the rest (a decimal); digits right after a decimal comma; money
  (kr/NOK before, or kr/kroner/,-/mill/% after).
- International: '+' (or glued '00') and a country code other than 47, 8-15 digits in all.
E-mail (kind 'email'):
- ``name@host`` (no top-level domain needed); spaces around '@' (``ola @ politiet.no``)
  need a dotted domain. '@' with no local part (``@kommunen``) is a mention, not an e-mail.
- '@' spelled ``(at)``, ``[at]``, ``{at}``, ``<at>``, ``(krøll)``, ``(krøllalfa)``; '.' spelled
  ``(dot)``, ``[dot]``, ``{dot}``, ``(punktum)``, `` dot ``, `` punktum ``, `` prikk ``.
- A bare word `` at `` or `` krøllalfa `` between a name and a dotted domain that ends in a
  2-12 letter top-level domain; the name must not be a common Norwegian word that precedes
  "at" (that) in a sentence (``sa at vg.no``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .emails import email_spans
from .textnorm import digit_count, normalise

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


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


def _plausible_date(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def _birth_kind(six: str) -> str | None:
    """Which identity-number type the first six digits fit, by the D (day) or H (month) offset."""
    day, month = int(six[:2]), int(six[2:4])
    if _plausible_date(day, month):
        return "fodselsnummer"
    if _plausible_date(day - 40, month):
        return "d_number"
    if _plausible_date(day, month - 40):
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
_PHONE_WORD = re.compile(r"(?:tlf|tel|telefon|telefonnr|tlfnr|mob|mobil|mobilnr|ring|sms)"
                         r"\.?\s*:?\s*(?:\+|00)?$", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:\bkr|\bnok|kroner)\.?\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"\s*(?:,-|kr\b|kroner|nok\b|mill|%|prosent)", re.IGNORECASE)
_LIKE_SHAPES = frozenset({(11,), (6, 5), (2, 2, 2, 5), (6, 3, 2), (2, 2, 2, 3, 2), (3, 3, 3, 2)})
_LOOKBACK = 16
Span = tuple[int, int]


def _digits(text: str, groups: list[Span]) -> str:
    return "".join(text[s:e] for s, e in groups)


def _identity_at(text: str, groups: list[Span], i: int) -> tuple[int, str] | None:
    """(last group index, kind) for an identity number starting at group ``i``, if any."""
    total = 0
    for j in range(i, len(groups)):
        total += groups[j][1] - groups[j][0]
        if total < 11:
            continue
        if total > 11:
            return None
        number = _digits(text, groups[i:j + 1])
        kind = identity_number_kind(number)
        if kind:
            return j, kind
        shape = tuple(e - s for s, e in groups[i:j + 1])
        at_edge = i == 0 or j == len(groups) - 1
        if (shape == (11,) or (at_edge and shape in _LIKE_SHAPES)) and _birth_kind(number[:6]):
            return j, "identity_like"
        return None
    return None


def _year(digits: str) -> bool:
    return len(digits) == 4 and 1900 <= int(digits) <= 2099


def _date(day: str, month: str, year: str) -> bool:
    return _year(year) and _plausible_date(int(day), int(month))


def _pair(a: str, b: str) -> bool:
    """Two 2-digit groups that read as a time HH.MM (24.00 included) or a day.month date."""
    return (int(a) <= 24 and int(b) <= 59) or _plausible_date(int(a), int(b))


def _halves(four: str) -> tuple[str, str]:
    return four[:2], four[2:]


def _looks_like_other_number(parts: list[str], seps: list[str]) -> bool:
    """Eight digits that are a date, two times, two years, a case number or a decimal."""
    shape = tuple(len(p) for p in parts)
    if shape == (8,):
        d = parts[0]
        return _date(d[:2], d[2:4], d[4:]) or _date(d[6:], d[4:6], d[:4])
    if shape == (2, 2, 4):
        return _date(*parts)
    if shape == (4, 2, 2):
        return _date(parts[2], parts[1], parts[0])
    if shape == (2, 2, 2, 2) and seps[0] in "./" and seps[2] in "./":
        return _pair(parts[0], parts[1]) and _pair(parts[2], parts[3])
    if shape == (2, 2, 2, 2) and seps[0] == seps[1] in "./-" and " " in seps[2]:
        return _plausible_date(int(parts[0]), int(parts[1]))
    if shape == (4, 4) and ("/" in seps[0] or "-" in seps[0]):
        return _year(parts[0]) or _pair(parts[0][:2], parts[0][2:]) and _pair(*_halves(parts[1]))
    if shape == (4, 4):
        return _year(parts[0]) and _year(parts[1])
    return len(parts) == 2 and shape[0] <= 2 and seps[0] == "."


def _is_phone(text: str, groups: list[Span]) -> bool:
    parts = [text[s:e] for s, e in groups]
    if parts[0][0] not in "23456789" or sum(map(len, parts)) != 8:
        return False
    seps = [text[a[1]:b[0]] for a, b in zip(groups, groups[1:], strict=False)]
    start, end = groups[0][0], groups[-1][1]
    if start >= 2 and text[start - 1] == "," and text[start - 2].isdigit():
        return False
    if _MONEY_BEFORE.search(text, max(0, start - _LOOKBACK), start):
        return False
    if _MONEY_AFTER.match(text, end):
        return False
    return not _looks_like_other_number(parts, seps)


def _drop_digits(groups: list[Span], count: int) -> list[Span]:
    """The groups without their first ``count`` digits (a country prefix)."""
    rest = list(groups)
    while rest and count:
        s, e = rest[0]
        if e - s <= count:
            count -= e - s
            rest.pop(0)
        else:
            rest[0] = (s + count, e)
            count = 0
    return rest


def _aligned(groups: list[Span], size: int) -> list[list[Span]]:
    """The groups cut into consecutive runs of exactly ``size`` digits, or [] if they do not."""
    runs: list[list[Span]] = []
    current: list[Span] = []
    total = 0
    for span in groups:
        current.append(span)
        total += span[1] - span[0]
        if total == size:
            runs.append(current)
            current, total = [], 0
        elif total > size:
            return []
    return runs if not current else []


def _country_prefix(text: str, digits: str, start: int) -> tuple[int, bool]:
    """(prefix digits to drop, whether it is international and not Norwegian)."""
    plus = start > 0 and text[start - 1] == "+"
    if digits.startswith("0047"):
        return 4, False
    if plus:
        return (2, False) if digits.startswith("47") else (0, True)
    if digits.startswith("00") and digits[2:3] not in ("", "0"):
        return 2, True
    return (2, False) if digits.startswith("47") and len(digits) == 10 else (0, False)


def _phones(text: str, groups: list[Span]) -> list[list[Span]]:
    """The phone numbers in a run of groups, each as the groups it covers."""
    start = groups[0][0]
    digits = _digits(text, groups)
    prefix, international = _country_prefix(text, digits, start)
    if international:
        return [groups] if 8 <= len(digits) - prefix <= 15 else []
    rest = _drop_digits(groups, prefix)
    lead = prefix > 0 or _PHONE_WORD.search(text, max(0, start - _LOOKBACK), start)
    if len(digits) - prefix == 8:
        runs = [rest]
    elif lead:
        cut = _first_cut(rest, 8)
        runs = [rest[:cut]] if cut else []
    else:
        runs = _aligned(rest, 8)
    found = [run for run in runs if _is_phone(text, run)]
    if found:
        return found
    return [[g] for g in groups if _is_phone(text, _drop_digits([g], _glued_prefix(text, g)))]


def _first_cut(groups: list[Span], size: int) -> int:
    """How many leading groups hold exactly ``size`` digits (0 when no group boundary fits)."""
    total = 0
    for i, (s, e) in enumerate(groups):
        total += e - s
        if total >= size:
            return i + 1 if total == size else 0
    return 0


def _glued_prefix(text: str, group: Span) -> int:
    run = text[group[0]:group[1]]
    if len(run) == 12 and run.startswith("0047"):
        return 4
    return 2 if len(run) == 10 and run.startswith("47") else 0


def _chain_findings(text: str, groups: list[Span]) -> list[Finding]:
    """Identity numbers first, then phone numbers in what lies before, between and after."""
    findings: list[Finding] = []
    free_from = 0
    i = 0
    pieces: list[list[Span]] = []
    while i < len(groups):
        hit = _identity_at(text, groups, i)
        if hit is None:
            i += 1
            continue
        last, kind = hit
        findings.append(Finding(kind, groups[i][0], groups[last][1]))
        pieces.append(groups[free_from:i])
        free_from = i = last + 1
    pieces.append(groups[free_from:])
    for piece in pieces:
        if sum(e - s for s, e in piece) >= 8:
            findings.extend(Finding("phone", run[0][0], run[-1][1]) for run in _phones(text, piece))
    return findings


def _number_findings(text: str) -> list[Finding]:
    findings: list[Finding] = []
    for chain in _CHAIN.finditer(text):
        if chain.end() - chain.start() >= 8:
            groups = [g.span() for g in _GROUP.finditer(text, chain.start(), chain.end())]
            findings.extend(_chain_findings(text, groups))
    return findings


def find_personal_data(text: str) -> list[Finding]:
    """Every identity number, phone number and e-mail address in the text, in order.

    Spans index ``textnorm.normalise(text)``; an e-mail wins over digits inside it.
    """
    text = normalise(text)
    emails = [Finding("email", s, e) for s, e in email_spans(text)]
    numbers = _number_findings(text) if digit_count(text) >= 8 else []
    findings = list(emails)
    for finding in numbers:
        if not any(e.start < finding.end and finding.start < e.end for e in emails):
            findings.append(finding)
    return sorted(findings, key=lambda f: f.start)


def contains_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))
