"""The PIN policy: what a new PIN or passphrase must look like, and why one is refused.

A PIN is at least 6 ASCII digits; anything containing another character is a passphrase of at
least 8 characters. A refusal is a :class:`PinRejected` with ``reason`` ``too_short``,
``not_digits_or_passphrase`` or ``trivial``; a trivial one is a :class:`TrivialPin` whose
``pattern`` names what makes it easy to guess (the UI says it in words, never the PIN)::

    same        one digit or character repeated              000000, aaaaaaaa
    run         ascending or descending, also wrapping        123456, 654321, 890123
    repeat      a short pattern repeated                      121212, 123123, 12341234
    pairs       each digit doubled                            112233, 998877
    blocks      two blocks of one digit each                  111222, 11112222
    mirror      reads the same both ways                      123321, 135531
    nearly      all digits but one the same                   000001, 100000, 555565
    keypad      lines, columns and diagonals of the keypad    147258, 159753, 25802580
    date        a day and month first: ddmmyy, ddmmyyyy, or yyyymmdd   240385, 19850324
    common      a common password or word                     password, passord1, politi123
    keyboard    a row of the computer keyboard                qwertyui, asdfghjk
    alphabet    letters in alphabetical order                 abcdefgh

Digits typed with spaces or separators are judged without them ("1234 5678" is a run), so a
padded trivial PIN is refused as well. Dates: only the orders a Norwegian writes (day first)
and the ISO order are refused; refusing every order would turn away about one random PIN in ten.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata

from .errors import PinRejected

MIN_PIN_DIGITS = 6
MIN_PASSPHRASE_CHARS = 8
_ASCII_DIGITS = frozenset("0123456789")
_SEPARATORS = frozenset(" -._/,")

PATTERNS = ("same", "run", "repeat", "pairs", "blocks", "mirror", "nearly", "keypad", "date",
            "common", "keyboard", "alphabet")

# The phone keypad (1 2 3 / 4 5 6 / 7 8 9 / _ 0 _): its straight lines of three or four keys.
_KEYPAD_LINES = ("123", "456", "789", "147", "258", "369", "2580", "159", "357")
KEYPAD_LINES = frozenset(_KEYPAD_LINES) | {line[::-1] for line in _KEYPAD_LINES}

_KEYBOARD_ROWS = ("1234567890", "qwertyuiopå", "asdfghjkløæ", "zxcvbnm", "qwertzuiop",
                  "azertyuiop", "1qaz2wsx3edc4rfv", "qazwsxedcrfv")

# Lower case, spaces removed; checked as typed and with trailing digits/punctuation dropped.
_COMMON_WORDS = (
    "password passord passwort motdepasse passw0rd p@ssw0rd p@ssword pa55word abc123 abcd1234 "
    "iloveyou letmein welcome velkommen admin administrator root changeme endremeg default "
    "standard secret hemmelig sommer vinter høst vår sommar politi politiet politimann "
    "politikontakt politikontakten norge norway oslo bergen trondheim stavanger jegelskerdeg "
    "elskerdeg kjæreste fotball football monkey dragon master sunshine princess superman "
    "batman starwars trustno1 test testing tester login logginn bruker brukernavn mittpassord "
    "nyttpassord passordet pinkode kode kodeord"
)
COMMON = frozenset(_COMMON_WORDS.split())


class TrivialPin(PinRejected):
    """A new PIN or passphrase that is too easy to guess; ``pattern`` says why."""

    _WHY = {
        "same": "it repeats one character", "run": "it is a run of digits",
        "repeat": "it repeats a short pattern", "pairs": "it is made of doubled digits",
        "blocks": "it is two blocks of one digit", "mirror": "it reads the same both ways",
        "nearly": "it is nearly one digit repeated", "keypad": "it is a keypad pattern",
        "date": "it looks like a date", "common": "it is on the list of common choices",
        "keyboard": "it is a row of the keyboard", "alphabet": "it is a run of letters",
    }

    def __init__(self, pattern: str) -> None:
        super().__init__("trivial")
        self.pattern = pattern
        self.args = (f"The PIN is too easy to guess: {self._WHY.get(pattern, pattern)}.",)


def normalize_pin(pin: str) -> bytes:
    """The bytes that go into the KDF: NFC-normalised UTF-8, so that the same passphrase
    typed on different keyboards derives the same key."""
    return unicodedata.normalize("NFC", pin).encode("utf-8")


def check_pin_policy(pin: str) -> None:
    """Raise :class:`PinRejected` unless ``pin`` is an acceptable new PIN or passphrase."""
    if not isinstance(pin, str) or not pin.strip():
        raise PinRejected("not_digits_or_passphrase")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in pin):
        raise PinRejected("not_digits_or_passphrase")
    digits_only = set(pin) <= _ASCII_DIGITS
    minimum = MIN_PIN_DIGITS if digits_only else MIN_PASSPHRASE_CHARS
    if len(pin) < minimum:
        raise PinRejected("too_short")
    pattern = trivial_pattern(pin)
    if pattern:
        raise TrivialPin(pattern)


def trivial_pattern(pin: str) -> str | None:
    """The name of the pattern that makes ``pin`` easy to guess, or None."""
    core = "".join(ch for ch in pin if ch not in _SEPARATORS)
    if len(core) >= MIN_PIN_DIGITS and set(core) <= _ASCII_DIGITS:
        return _digit_pattern(core)
    return _text_pattern(unicodedata.normalize("NFC", core).casefold())


def _digit_pattern(digits: str) -> str | None:
    checks = (("same", _is_same), ("run", _is_run), ("repeat", _is_periodic),
              ("pairs", _is_pairs), ("blocks", _is_blocks), ("mirror", _is_mirror),
              ("nearly", _is_nearly_same), ("keypad", _is_keypad), ("date", _is_date))
    return next((name for name, check in checks if check(digits)), None)


def _text_pattern(text: str) -> str | None:
    if len(set(text)) <= 1:
        return "same"
    stem = text.rstrip("0123456789!?.*#+@$%&=")
    if text in COMMON or stem in COMMON or _leet(text) in COMMON or _leet(stem) in COMMON:
        return "common"
    if _on_keyboard_row(text) or (len(stem) >= 6 and _on_keyboard_row(stem)):
        return "keyboard"
    if _is_letter_run(text):
        return "alphabet"
    return None


def _is_same(digits: str) -> bool:
    return len(set(digits)) == 1


def _is_run(digits: str) -> bool:
    """Every step is +1 (or every step is -1), modulo 10."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {9})


def _is_periodic(text: str) -> bool:
    """``text`` repeats a pattern of at most half its length (all-same digits included)."""
    return any(text[period:] == text[:-period] for period in range(1, len(text) // 2 + 1))


def _is_pairs(digits: str) -> bool:
    return len(digits) % 2 == 0 and digits[0::2] == digits[1::2]


def _is_blocks(digits: str) -> bool:
    half = len(digits) // 2
    return len(digits) % 2 == 0 and _is_same(digits[:half]) and _is_same(digits[half:])


def _is_mirror(digits: str) -> bool:
    return digits == digits[::-1]


def _is_nearly_same(digits: str) -> bool:
    most = max(digits.count(d) for d in set(digits))
    return most >= len(digits) - 1


def _is_keypad(digits: str) -> bool:
    """The PIN splits into straight keypad lines of three or four keys (147-258, 159-753)."""
    reachable = [True] + [False] * len(digits)
    for end in range(1, len(digits) + 1):
        reachable[end] = any(reachable[end - size] and digits[end - size:end] in KEYPAD_LINES
                             for size in (3, 4) if end - size >= 0)
    return reachable[-1]


def _is_date(digits: str) -> bool:
    if len(digits) == 6:
        return _valid(digits[4:], digits[2:4], digits[:2], two_digit_year=True)
    if len(digits) == 8:
        return (_valid(digits[4:], digits[2:4], digits[:2])
                or _valid(digits[:4], digits[4:6], digits[6:]))
    return False


def _valid(year: str, month: str, day: str, *, two_digit_year: bool = False) -> bool:
    full = int(year) + 2000 if two_digit_year else int(year)
    if not two_digit_year and not 1900 <= full <= 2099:
        return False
    try:
        _dt.date(full, int(month), int(day))
    except ValueError:
        return two_digit_year and (month, day) == ("02", "29")  # 29.02 of a leap year 19xx
    return True


def _leet(text: str) -> str:
    return text.translate(str.maketrans("0134@$5!7", "oieaassit"))


def _on_keyboard_row(text: str) -> bool:
    return len(text) >= 6 and any(text in row or text in row[::-1] for row in _KEYBOARD_ROWS)


def _is_letter_run(text: str) -> bool:
    """abcdefgh, hgfedcba: every step one letter up, or every step one down."""
    if not text.isalpha():
        return False
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})
