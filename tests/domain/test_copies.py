"""Record copies (``fieldapp.domain.copies``): equal to the original, of the same class, in
the same order, and sharing no mutable part at any depth, whatever the mix of classes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from fieldapp.domain import (
    CrisisCallout,
    FollowUpAction,
    FollowUpCase,
    Observation,
    SchoolVisit,
    TimelineEntry,
)
from fieldapp.domain.copies import ByClass, copy_record
from fieldapp.domain.kinds import RECORD_TYPES_BY_KIND


@dataclass(kw_only=True)
class _Leaf:
    tags: set[str] = field(default_factory=set)
    text: str = ""


@dataclass(kw_only=True)
class _Branch:
    leaves: list[_Leaf] = field(default_factory=list)
    one: _Leaf | None = None
    names: list[str] = field(default_factory=list)


def _mutables(value: Any, path: str = "") -> dict[str, Any]:
    """Every list, set, dict and dataclass instance reachable from ``value``, by its path."""
    found: dict[str, Any] = {}
    if isinstance(value, list | set | dict) or hasattr(value, "__dataclass_fields__"):
        found[path] = value
    items = vars(value).items() if hasattr(value, "__dataclass_fields__") else \
        enumerate(value) if isinstance(value, list) else ()
    for name, v in items:
        found.update(_mutables(v, f"{path}.{name}"))
    return found


def _assert_shares_nothing_mutable(original: Any, copy: Any) -> None:
    assert copy == original and type(copy) is type(original)
    theirs, ours = _mutables(original), _mutables(copy)
    assert theirs.keys() == ours.keys()
    shared = [path for path in theirs if theirs[path] is ours[path]]
    assert shared == []


def _records(rng: random.Random, n: int) -> list[Any]:
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    made: list[Any] = []
    for i in range(n):
        pick = rng.randrange(5)
        if pick == 0:
            made.append(Observation(place=f"Sted {i}", categories={"alcohol", "unrest"}))
        elif pick == 1:
            made.append(SchoolVisit(school="Gjesdal ungdomsskole", contacts_met=["Rektor"],
                                    topics=["bullying"] * rng.randrange(3)))
        elif pick == 2:
            made.append(FollowUpCase(person_name="Ola Nordmann", services={"skole"},
                                     actions=[FollowUpAction(description=f"Steg {k}",
                                                             due_date=date(2027, 1, 1))
                                              for k in range(rng.randrange(3))]))
        elif pick == 3:
            made.append(CrisisCallout(timeline=[TimelineEntry(at=now, text="Innkalt")]))
        else:
            made.append(rng.choice(list(RECORD_TYPES_BY_KIND.values()))())
    return made


def test_a_mix_of_classes_comes_back_in_its_order_sharing_nothing_mutable():
    records = _records(random.Random(3), 300)
    copies = ByClass(records).copy()
    assert len(copies) == len(records)
    for original, copy in zip(records, copies, strict=True):
        _assert_shares_nothing_mutable(original, copy)


def test_a_changed_copy_leaves_the_original_as_it_was():
    case = FollowUpCase(services={"skole"}, actions=[FollowUpAction(description="Ringe mor")])
    [copy] = ByClass([case]).copy()
    copy.services.add("nav")
    copy.actions[0].description = "endret"
    copy.actions.append(FollowUpAction())
    assert case.services == {"skole"} and [a.description for a in case.actions] == ["Ringe mor"]


def test_nested_dataclasses_with_containers_of_their_own_are_copied_all_the_way_down():
    branch = _Branch(leaves=[_Leaf(tags={"a"}), _Leaf(tags={"b"}, text="x")],
                     one=_Leaf(tags={"c"}), names=["n"])
    for copy in (copy_record(branch), ByClass([branch]).copy()[0]):
        _assert_shares_nothing_mutable(branch, copy)


def test_a_missing_container_or_nested_value_stays_missing():
    branch = _Branch(one=None)
    branch.names = None  # type: ignore[assignment]  # a stored null decodes to None
    branch.leaves = None  # type: ignore[assignment]
    case = FollowUpCase()
    case.actions = None  # type: ignore[assignment]
    [branch_copy, case_copy] = ByClass([branch, case]).copy()
    assert (branch_copy.names, branch_copy.leaves, branch_copy.one) == (None, None, None)
    assert case_copy.actions is None and copy_record(branch).names is None


def test_nothing_to_copy_is_an_empty_list():
    assert ByClass([]).copy() == []


def test_a_grouping_kept_up_to_date_copies_what_a_new_one_copies():
    rng = random.Random(5)
    records = _records(rng, 50)
    grouping = ByClass(records)
    for step in range(200):
        if rng.random() < 0.4:
            records.append(_records(rng, 1)[0])
            grouping.append(records[-1])
        else:
            at = rng.randrange(len(records))
            records[at] = type(records[at])()  # another record of the same class
            grouping.replace(at, records[at])
        if step % 20 == 0:
            assert grouping.copy() == ByClass(records).copy() == records


def test_replacing_with_a_record_of_another_class_is_refused():
    grouping = ByClass([Observation(), SchoolVisit()])
    with pytest.raises(ValueError):
        grouping.replace(0, SchoolVisit())
    with pytest.raises(ValueError):
        grouping.replace(0, FollowUpCase())
