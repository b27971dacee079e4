"""Norwegian (and international) phone numbers in a chain of digit groups.

``identity`` cuts normalised text into chains: digit groups joined by 1-3 of ``' ' . - / _``.
A phone number (kind 'phone') is 8 digits starting with 2-9 (mobile 4/9, landline 2-7,
service 8xx), optionally after +47, 0047 or 47 (also glued: ``4791234567``). Numbers are
read from whole groups.
- Found when those 8 digits are a whole chain in any grouping; when a chain splits into
  several such numbers (``912 34 567 / 987 65 432``); when a phone word (tlf, tel, telefon,
  mob, mobil, ring, sms) or +47/0047 comes just before, the first 8 digits of the chain; and
  as an unbroken run of 8 digits anywhere.
- Not a phone:
  an unbroken DDMMYYYY or YYYYMMDD date (year 1900-2099), so ``15052011`` is a date;
  2+2+4 digits that are DD MM YYYY and 4+2+2 digits that are YYYY MM DD (``2026-03-04``);
  2+2+2+2 digits with '.' or '/' inside each pair and another separator between the pairs,
  that read as two times or two day.month dates (``21.30-23.00``, ``21.30 23.00``,
  ``25.03-31.03``; 24.00 counts as a time), while ``22.11.20.45`` is a phone;
  DD.MM.YY then a space and 2 digits (a date and a count: ``25.05.26 21 ungdommer``);
  4+4 digits joined by '/' or '-' when the first is a year (``2026/1234``, a case number)
  or both are HHMM times (``2200-0600``); two years in any spelling (``2023 2024``);
  1-2 digits, one '.', the rest (a decimal such as a coordinate, unless +47/0047/47 comes
  just before: ``0047 45.892478`` is a phone); digits right after a
  decimal comma; money (kr/NOK just before, or kr/kroner/,-/mill/%/prosent just after).
  A time with ':' never joins a chain (``21:30``), so it is never part of a number.
- International: '+' (or '00' glued to the country code) and a country code other than 47,
  8-15 digits in all;
  after '+', brackets count as separators too (``+1 (555) 123-4567``).
"""

from __future__ import annotations

import re

_PHONE_WORD = re.compile(r"(?:tlf|tel|telefon|telefonnr|tlfnr|mob|mobil|mobilnr|ring|sms)"
                         r"\.?\s*:?\s*(?:\+|00)?$", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:\bkr|\bnok|kroner)\.?\s*$", re.IGNORECASE)
_MONEY_AFTER = re.compile(r"\s*(?:,-|kr\b|kroner|nok\b|mill|%|prosent)", re.IGNORECASE)
_INTERNATIONAL = re.compile(r"\+(?!47)[1-9][0-9]{0,2}(?:[ ./_()-]{1,3}[0-9]+)+")
_LOOKBACK = 16
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
Span = tuple[int, int]


def plausible_date(day: int, month: int) -> bool:
    """A day and month that exist in some year (29 February included)."""
    return 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]


def digits_of(text: str, groups: list[Span]) -> str:
    return "".join(text[s:e] for s, e in groups)


def international_spans(text: str) -> list[Span]:
    """'+', a country code other than 47 and 8-15 digits in all; brackets may separate."""
    if "+" not in text:
        return []
    return [m.span() for m in _INTERNATIONAL.finditer(text)
            if 8 <= sum(c.isdigit() for c in m.group()) <= 15]


def _year(digits: str) -> bool:
    return len(digits) == 4 and 1900 <= int(digits) <= 2099


def _date(day: str, month: str, year: str) -> bool:
    return _year(year) and plausible_date(int(day), int(month))


def _time(hours: str, minutes: str) -> bool:
    """Two 2-digit groups that read as a time HH.MM (24.00 included)."""
    return int(hours) <= 24 and int(minutes) <= 59


def _two_times_or_dates(a: str, b: str, c: str, d: str) -> bool:
    """a.b and c.d are both times or both day.month dates."""
    days = plausible_date(int(a), int(b)) and plausible_date(int(c), int(d))
    return days or (_time(a, b) and _time(c, d))


def _looks_like_other_number(parts: list[str], seps: list[str], *,
                             prefixed: bool = False) -> bool:
    """Eight digits that are a date, two times, two years, a case number or a decimal (not
    after a country prefix: ``+47 45.892478`` is no coordinate)."""
    shape = tuple(len(p) for p in parts)
    if shape == (8,):
        d = parts[0]
        return _date(d[:2], d[2:4], d[4:]) or _date(d[6:], d[4:6], d[:4])
    if shape == (2, 2, 4):
        return _date(*parts)
    if shape == (4, 2, 2):
        return _date(parts[2], parts[1], parts[0])
    if shape == (2, 2, 2, 2) and seps[0] in "./" and seps[2] in "./" and seps[1] != seps[0]:
        return _two_times_or_dates(*parts)
    if shape == (2, 2, 2, 2) and seps[0] == seps[1] in "./-" and " " in seps[2]:
        return plausible_date(int(parts[0]), int(parts[1]))
    if shape == (4, 4) and ("/" in seps[0] or "-" in seps[0]):
        first, second = parts
        return _year(first) or (_time(first[:2], first[2:]) and _time(second[:2], second[2:]))
    if shape == (4, 4):
        return _year(parts[0]) and _year(parts[1])
    return not prefixed and len(parts) == 2 and shape[0] <= 2 and seps[0] == "."


def _is_phone(text: str, groups: list[Span], *, prefixed: bool = False) -> bool:
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
    return not _looks_like_other_number(parts, seps, prefixed=prefixed)


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


def _country_prefix(text: str, digits: str, start: int,
                    groups_first_length: int) -> tuple[int, bool]:
    """(prefix digits to drop, whether it is international and not Norwegian)."""
    plus = start > 0 and text[start - 1] == "+"
    if digits.startswith("0047"):
        return 4, False
    if plus:
        return (2, False) if digits.startswith("47") else (0, True)
    glued = groups_first_length > 2
    if digits.startswith("00") and digits[2:3] not in ("", "0") and glued:
        return 2, True
    return (2, False) if digits.startswith("47") and len(digits) == 10 else (0, False)


def phone_runs(text: str, groups: list[Span]) -> list[list[Span]]:
    """The phone numbers in a run of groups, each as the groups it covers."""
    start = groups[0][0]
    digits = digits_of(text, groups)
    prefix, international = _country_prefix(text, digits, start, groups[0][1] - start)
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
    found = [run for run in runs if _is_phone(text, run, prefixed=prefix > 0)]
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
