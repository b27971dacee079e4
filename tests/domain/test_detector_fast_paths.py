"""The detector's quick answers give what its full reading gives.

``textnorm.normalise`` returns text of printable ASCII and Latin-1 letters as it is, and
``contains_personal_data`` answers most text (no e-mail marker, fewer than eight digits)
without reading it through; the consent gate scans with ``contains_personal_data``.
"""

from __future__ import annotations

import enum
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain import contains_personal_data, find_personal_data
from fieldapp.domain.consent_fields import _text_is_clean
from fieldapp.domain.textnorm import _TABLE, normalise
from tests.domain.identity_corpus import negatives, positives

KEPT = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(
    chr(c) for c in range(0xC0, 0x100) if chr(c) not in "×÷")


def _read_through(text: str) -> str:
    """What normalise gives by its full path: NFKC, then the table."""
    return unicodedata.normalize("NFKC", text).translate(_TABLE)


def test_every_kept_character_is_one_the_full_path_keeps():
    for char in KEPT:
        assert _read_through(char) == char, hex(ord(char))


@given(st.text(alphabet=KEPT, max_size=60))
def test_text_of_kept_characters_comes_back_as_it_is(text):
    assert normalise(text) is text
    assert _read_through(text) == text


# every Latin-1 character the quick path must not keep: it changes under the full path
CHANGED = ["\u00a0", "\u00ad", "\u00b2", "\u00b9", "\u00aa", "\u00bd", "\u00b4", "\t", "\n",
           "\u00d7"]


def test_a_text_with_any_other_character_is_read_through():
    for char in CHANGED:
        text = f"Møte{char}92 66 31 04"
        assert normalise(text) == _read_through(text), hex(ord(char))
    # a no-break space between the groups of a phone number is still a space
    assert contains_personal_data("Tlf\u00a0922\u00a066\u00a0310")
    assert contains_personal_data("Ring på \uff19\uff12\uff16\uff16\uff13\uff11\uff10\uff14")


# the spellings the detector knows, odd Unicode among them, and text hypothesis makes up
# (full-width digits, lone surrogates as JSON can carry them, Latin-1 and marks)
odd_text = st.text(alphabet=st.one_of(
    st.sampled_from("0123456789 .-/@ataøåÆØ()[]krølalfKRØLL\u00a0\u00ad\u200b\ufeff"),
    st.characters(min_codepoint=0xFF10, max_codepoint=0xFF19),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    st.characters()), max_size=40)


def test_the_quick_answer_agrees_on_the_corpus():
    for text in [t for t, _ in positives()] + negatives():
        assert contains_personal_data(text) == bool(find_personal_data(text)), \
            text.encode("unicode_escape")
    assert sum(contains_personal_data(t) for t, _ in positives()) == len(positives())


@settings(max_examples=400)
@given(odd_text)
def test_the_quick_answer_agrees_on_any_text(text):
    assert contains_personal_data(text) == bool(find_personal_data(text))


class Code(enum.StrEnum):
    PHONE = "Ring 922 66 310"


def test_the_gate_scans_strings_of_every_shape():
    assert not _text_is_clean("Ring 922 66 310")
    assert not _text_is_clean(Code.PHONE)  # a str subclass is text too
    assert not _text_is_clean(["rolig", "ola@politiet.no"])
    assert not _text_is_clean({"Ring 922 66 310", "rolig"})
    assert _text_is_clean("") and _text_is_clean(None) and _text_is_clean(12345678901)
    assert _text_is_clean(["rolig", "alkohol"])
