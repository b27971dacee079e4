"""The PIN policy refuses what is easy to guess and says why, in words, without the PIN."""

from __future__ import annotations

import secrets

import pytest

from fieldapp.store.errors import PinRejected
from fieldapp.store.pin_policy import PATTERNS, TrivialPin, check_pin_policy, trivial_pattern
from views.lock.presenter import pin_error_text


@pytest.mark.parametrize(("pin", "pattern"), [
    ("112233", "pairs"), ("998877", "pairs"),
    ("123321", "mirror"), ("135531", "mirror"),
    ("111222", "blocks"), ("777888", "blocks"),
    ("147258", "keypad"), ("159753", "keypad"), ("25802580", "repeat"), ("147852", "keypad"),
    ("789456", "keypad"), ("2580147", "keypad"), ("159357", "keypad"),
    ("000001", "nearly"), ("100000", "nearly"), ("555565", "nearly"),
    ("240385", "date"), ("24031985", "date"), ("19850324", "date"), ("290200", "date"),
    ("password", "common"), ("passord1", "common"), ("Passord123!", "common"),
    ("politi2024", "common"), ("p@ssw0rd", "common"), ("abcd1234", "common"),
    ("qwertyui", "keyboard"), ("asdfghjk", "keyboard"), ("qwerty123", "keyboard"),
    ("abcdefgh", "alphabet"),
    ("1234 5678", "run"), (" 123456 ", "run"), ("12-34-56-78", "run"), ("11 22 33", "pairs"),
    ("000000", "same"), ("123456", "run"), ("121212", "repeat"),
])
def test_trivial_pins_are_refused_with_their_reason(pin, pattern):
    with pytest.raises(TrivialPin) as caught:
        check_pin_policy(pin)
    assert caught.value.reason == "trivial" and caught.value.pattern == pattern
    assert isinstance(caught.value, PinRejected)
    assert pin.strip() not in str(caught.value)


@pytest.mark.parametrize(("pin", "nb"), [
    ("147258", "For lett å gjette: PIN-koden er et tastaturmønster. Velg en annen."),
    ("112233", "For lett å gjette: PIN-koden består av doble sifre. Velg en annen."),
    ("123321", "For lett å gjette: PIN-koden er lik forlengs og baklengs. Velg en annen."),
    ("111222", "For lett å gjette: PIN-koden er to blokker med like sifre. Velg en annen."),
    ("159753", "For lett å gjette: PIN-koden er et tastaturmønster. Velg en annen."),
    ("000001", "For lett å gjette: PIN-koden er nesten bare ett siffer. Velg en annen."),
    ("password", "For lett å gjette: det er et vanlig passord. Velg en annen."),
    ("passord1", "For lett å gjette: det er et vanlig passord. Velg en annen."),
    ("qwertyui", "For lett å gjette: det er en rad på tastaturet. Velg en annen."),
    ("1234 5678", "For lett å gjette: PIN-koden er en tallrekke. Velg en annen."),
])
def test_the_refusal_says_why_in_bokmal_and_english(pin, nb):
    with pytest.raises(TrivialPin) as caught:
        check_pin_policy(pin)
    assert pin_error_text(caught.value, "nb") == nb
    english = pin_error_text(caught.value, "en")
    assert english.startswith("Too easy to guess:") and english != nb


def test_every_pattern_has_a_sentence_in_both_languages():
    from views.strings import en, nb

    for pattern in PATTERNS:
        assert "pin.rejected.trivial." + pattern in nb.STRINGS
        assert "pin.rejected.trivial." + pattern in en.STRINGS


@pytest.mark.parametrize("pin", ["904182", "481529", "1357924680", "korrekt hest",
                                 "Ørret-17", "4815 2963", "blå-sykkel-9"])
def test_ordinary_pins_and_passphrases_are_accepted(pin):
    check_pin_policy(pin)


def test_random_six_digit_pins_are_mostly_accepted():
    """A random PIN is refused only when it happens to fall into a pattern (mostly dates)."""
    pins = ["".join(secrets.choice("0123456789") for _ in range(6)) for _ in range(2000)]
    refused = [p for p in pins if trivial_pattern(p)]
    assert len(refused) < 0.06 * len(pins)
    check_pin_policy("904182")


def test_short_and_strange_input_keep_their_old_reasons():
    for pin, reason in (("12345", "too_short"), ("abc123", "too_short"),
                        ("4815\n29", "not_digits_or_passphrase"),
                        ("  ", "not_digits_or_passphrase")):
        with pytest.raises(PinRejected) as caught:
            check_pin_policy(pin)
        assert caught.value.reason == reason and not isinstance(caught.value, TrivialPin)
