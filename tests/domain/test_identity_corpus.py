"""Recall and false-positive rate of the personal-data detector on its corpus (see identity_corpus).

Run with ``-s`` to see the numbers.
"""

from __future__ import annotations

import timeit

from fieldapp.domain import find_personal_data
from tests.domain.identity_corpus import EMAILS, IDENTITY_NUMBERS, negatives, positives

TYPICAL_NOTE = (
    "Observasjon ved Ålgård stasjon kl. 21.30: ca. 15 ungdommer samlet, rolig stemning. Noe "
    "alkohol, to jenter (10B) virket beruset. Snakket med vekter, fulgte opp med foreldre. Ny "
    "runde 23.00, uke 12."
)


def test_the_corpus_is_large_and_varied():
    pos, neg = positives(), negatives()
    assert len(pos) >= 200 and len(neg) >= 200
    kinds = {kind for _, kind in pos}
    assert kinds == {"fodselsnummer", "d_number", "h_number", "identity_like", "phone", "email"}
    assert len(IDENTITY_NUMBERS) >= 8 and len(EMAILS) >= 30


def test_recall_is_complete():
    pos = positives()
    missed = [(text, kind) for text, kind in pos
              if kind not in {f.kind for f in find_personal_data(text)}]
    recall = 1 - len(missed) / len(pos)
    print(f"\ndetector recall: {recall:.1%} of {len(pos)} spellings ({len(missed)} missed)")
    # the escaped text is test data, never real personal data
    assert not missed, [(t.encode("unicode_escape"), k) for t, k in missed[:20]]


def test_false_positive_rate_is_low():
    neg = negatives()
    flagged = [text for text in neg if find_personal_data(text)]
    rate = len(flagged) / len(neg)
    print(f"\ndetector false positives: {rate:.1%} of {len(neg)} ordinary texts ({flagged})")
    assert rate <= 0.02, flagged


def test_speed_on_a_typical_note_is_printed():
    assert 150 <= len(TYPICAL_NOTE) <= 250 and not find_personal_data(TYPICAL_NOTE)
    calls = 2000
    seconds = timeit.timeit(lambda: find_personal_data(TYPICAL_NOTE), number=calls)
    print(f"\ndetector speed: {seconds / calls * 1e6:.1f} µs per call on "
          f"{len(TYPICAL_NOTE)} characters")
    assert seconds / calls < 0.01  # 10 ms: only a runaway pattern could be this slow
