"""Code labels: the options of a choice field, in bokmål first."""

from fieldapp.domain.messages import code_choices, code_label


def test_code_choices_keep_the_order_and_label_each_code():
    codes = ("open", "closed")
    assert code_choices(codes) == [(c, code_label(c, "nb")) for c in codes]
    assert code_choices(codes, "en") == [(c, code_label(c, "en")) for c in codes]
    assert code_choices(("no_such_code",), "nb") == [("no_such_code", "no_such_code")]
