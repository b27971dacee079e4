"""The form kit's save rules without a screen (every problem at once, room for the first
label, wrapping errors) and the quick-add's place and time rules (observations presenter)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import flet as ft
import pytest

from fieldapp.domain import Observation
from views.kit.formats import parse_date, parse_int
from views.kit.forms import FIRST_FIELD_ROOM, Form, FormProblems
from views.observations import presenter as obs
from views.observations.presenter import LastPlace

NOW = datetime(2026, 3, 11, 20, 30, tzinfo=UTC)
ALGARD = (58.7600, 5.8500)


def test_a_form_reads_on_past_an_unreadable_value_and_reports_it_with_the_rest():
    form = Form(Observation, "nb", ident="obs")
    assert form.parsed(parse_int, "sju", "youth_count") is None
    assert form.parsed(parse_date, "31.02.2026", "date") is None
    assert form.parsed(parse_int, "7", "youth_count") == 7
    with pytest.raises(FormProblems) as caught:
        form.check(Observation(place="", youth_count=None))
    assert caught.value.unreadable == {"youth_count": "form.not_a_number",
                                       "date": "form.not_a_date"}
    assert [(e.field, e.key) for e in caught.value.errors] == [("place", "required")]


def test_with_everything_readable_check_leaves_validation_to_the_logbook():
    form = Form(Observation, "nb", ident="obs")
    assert form.parsed(parse_int, "", "youth_count") is None
    form.check(Observation(place=""))  # nothing unreadable: no early complaint


def test_the_first_field_has_room_for_its_label_and_errors_wrap():
    form = Form(Observation, "nb", ident="obs")
    first, second = form.text("place"), form.text("note", multiline=True)
    assert isinstance(first, ft.Container) and first.padding.top == FIRST_FIELD_ROOM
    assert isinstance(second, ft.Semantics)
    assert all((f.error_max_lines or 1) >= 2 for f in form.fields.values())


def test_the_last_place_is_the_newest_saved_under_the_remembered_name():
    old = Observation(place="Ålgård stasjon", latitude=1.0, longitude=2.0)
    old.created_at = NOW - timedelta(days=2)
    new = Observation(place="Ålgård stasjon", latitude=ALGARD[0], longitude=ALGARD[1])
    new.created_at = NOW - timedelta(hours=1)
    other = Observation(place="Skurve")
    other.created_at = NOW
    assert obs.last_place("Ålgård stasjon", [old, other, new]) == LastPlace(
        "Ålgård stasjon", ALGARD, NOW - timedelta(hours=1))
    assert obs.last_place("", [new]) is None and obs.last_place("Bryne", [new]) is None


def test_still_there_by_the_fix_else_by_a_recent_save():
    last = LastPlace("Ålgård stasjon", ALGARD, NOW - timedelta(hours=4))
    assert obs.still_there(last, NOW, (58.7603, 5.8502))         # ~35 m
    assert not obs.still_there(last, NOW, (58.7800, 5.9000))     # ~3.5 km
    assert not obs.still_there(last, NOW, None)                  # hours ago, no fix
    recent = LastPlace("Ålgård stasjon", None, NOW - timedelta(minutes=10))
    assert obs.still_there(recent, NOW, None)
    assert 3000 < obs.metres_between(ALGARD, (58.7800, 5.9000)) < 4000


def test_a_position_goes_only_with_the_place_it_was_taken_at():
    last = LastPlace("Ålgård stasjon", ALGARD, NOW - timedelta(hours=2))
    near, far = (58.7603, 5.8502), (58.7800, 5.9000)
    assert obs.position_for("Skatebanen", last, far, NOW, NOW) == far   # typed here, now
    assert obs.position_for("Ålgård stasjon", last, near, NOW, NOW) == near
    assert obs.position_for("Ålgård stasjon", last, far, NOW, NOW) == ALGARD
    assert obs.position_for("Skatebanen", last, far, NOW - timedelta(hours=1), NOW) is None
    assert obs.position_for("Skatebanen", None, None, NOW, NOW) is None


def test_a_typed_time_is_today_unless_it_is_still_to_come():
    assert obs.observed_time(None, NOW) == NOW
    assert obs.observed_time(NOW - timedelta(hours=2), NOW) == NOW - timedelta(hours=2)
    late = NOW + timedelta(hours=2)
    assert obs.observed_time(late, NOW) == late - timedelta(days=1)
