"""Detector for personal data in free text: Norwegian identity numbers, phone numbers, e-mail.

A fødselsnummer is 11 digits: DDMMYY, a 3-digit individual number and two mod-11 check digits.
A D-number is the same with 4 added to the first digit (day 41-71). A match never carries the
matched text in its ``repr`` so that it cannot end up in a log by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

_ID_CANDIDATE = re.compile(r"(?<![\d])(\d{6})[ .-]?(\d{5})(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?47[\s.-]?)?"
    r"(?:[2-9]\d{7}|[2-9]\d{2}[\s.-]\d{2}[\s.-]\d{3}|[2-9]\d[\s.-]\d{2}[\s.-]\d{2}[\s.-]\d{2})"
    r"(?![\d])"
)
_INTL_PHONE = re.compile(r"(?<![\w+])\+(?!47)\d{1,3}[\s.-]?\d(?:[\s.-]?\d){6,11}(?![\d])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


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


def identity_number_kind(number: str) -> str | None:
    """'fodselsnummer', 'd_number' or None for an 11-digit string."""
    if len(number) != 11 or not number.isdigit():
        return None
    if check_digits(number[:9]) != (int(number[9]), int(number[10])):
        return None
    day, month = int(number[:2]), int(number[2:4])
    if _plausible_date(day, month):
        return "fodselsnummer"
    if day > 40 and _plausible_date(day - 40, month):
        return "d_number"
    return None


@dataclass(frozen=True)
class Finding:
    """Where personal data was found: the kind and the span, never the text itself."""

    kind: str
    start: int
    end: int = field(compare=True)


def find_personal_data(text: str) -> list[Finding]:
    """Every identity number, phone number and e-mail address in the text, in order."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for match in _ID_CANDIDATE.finditer(text):
        kind = identity_number_kind(match.group(1) + match.group(2))
        if kind:
            findings.append(Finding(kind, match.start(), match.end()))
            taken.append(match.span())
    for kind, pattern in (("email", _EMAIL), ("phone", _PHONE), ("phone", _INTL_PHONE)):
        for match in pattern.finditer(text):
            if not any(a < match.end() and match.start() < b for a, b in taken):
                findings.append(Finding(kind, match.start(), match.end()))
                taken.append(match.span())
    return sorted(findings, key=lambda f: f.start)


def contains_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))
