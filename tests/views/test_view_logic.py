"""Small pure pieces of the views: PIN error sentences, typed dates and numbers, ports."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fieldapp.device import DevicePorts, FirstThatWorks, Position
from fieldapp.store.errors import LogbookBusy, PinRejected, StoreDamaged, WrongPin
from views.kit.formats import ParseProblem, parse_date, parse_int, parse_time_on
from views.lock.presenter import pin_error_text


@pytest.mark.parametrize(("error", "nb"), [
    (WrongPin(4), "Feil PIN. 4 forsøk igjen."),
    (WrongPin(0, 30), "Feil PIN. Vent 30 sekunder."),
    (WrongPin(0, 0.2), "Feil PIN. Vent 1 sekund."),
    (PinRejected("too_short"), "For kort: bruk minst 6 sifre eller en passfrase på minst 8 tegn."),
    (PinRejected("strange"), "Denne PIN-koden kan ikke brukes."),
    (StoreDamaged("bad_tag"), "Loggboken er skadet og ble ikke endret. Kontakt IT."),
    (LogbookBusy(), "Loggboken er åpen i et annet vindu."),
    (RuntimeError("Ola Nordmann 01021112345"), "Loggboken kunne ikke åpnes. Prøv igjen."),
])
def test_pin_errors_in_bokmal(error, nb):
    assert pin_error_text(error, "nb") == nb


def test_pin_errors_in_english():
    assert pin_error_text(WrongPin(2), "en") == "Wrong PIN. 2 attempts left."


def test_an_unexpected_error_is_logged_without_its_message(caplog):
    pin_error_text(RuntimeError("Ola Nordmann 01021112345"), "nb")
    assert "Ola" not in caplog.text and "RuntimeError" in caplog.text


@pytest.mark.parametrize(("typed", "expected"), [
    ("01.02.2011", date(2011, 2, 1)), ("1.2.11", date(2011, 2, 1)),
    ("2011-02-01", date(2011, 2, 1)), (" ", None),
])
def test_dates_typed_the_norwegian_way(typed, expected):
    assert parse_date(typed, "birth_date") == expected


@pytest.mark.parametrize("typed", ["31.02.2011", "i går", "2011/02/01"])
def test_a_date_that_cannot_be_read_names_its_field(typed):
    with pytest.raises(ParseProblem) as problem:
        parse_date(typed, "birth_date")
    assert (problem.value.field, problem.value.key) == ("birth_date", "form.not_a_date")


def test_numbers_and_times():
    assert parse_int(" 12 ", "youth_count") == 12 and parse_int("", "youth_count") is None
    with pytest.raises(ParseProblem):
        parse_int("tolv", "youth_count")
    assert parse_time_on(date(2026, 3, 11), "14.05", "t", UTC) == datetime(
        2026, 3, 11, 14, 5, tzinfo=UTC)
    with pytest.raises(ParseProblem):
        parse_time_on(date(2026, 3, 11), "25:00", "t", UTC)


def test_device_ports_off_phone_answer_nothing_and_never_raise():
    ports = DevicePorts.plyer_or_null()
    assert ports.location.current(0.1) is None
    assert ports.haptics.confirm() is False
    assert ports.notifier.notify("Politikontakt", "Et tiltak forfaller i dag") is False


def test_the_first_adapter_that_answers_wins_and_failures_are_skipped():
    class Broken:
        def current(self, timeout):
            raise OSError("no gps")

        def confirm(self):
            raise OSError("no motor")

    class Fixed:
        def current(self, timeout):
            return Position(58.77, 5.86)

        def confirm(self):
            return True

    assert FirstThatWorks(Broken(), Fixed()).current() == Position(58.77, 5.86)
    assert FirstThatWorks(Broken(), Fixed()).confirm() is True
    assert FirstThatWorks(Broken()).current() is None
    assert DevicePorts.null().with_first(location=Fixed()).location.current() == Position(
        58.77, 5.86)


def test_the_command_line_defaults_to_loopback_and_port_8550():
    from main import parse_args

    args = parse_args([])
    assert (args.host, args.port, args.data_dir) == ("127.0.0.1", 8550, None)
    args = parse_args(["--port", "9000", "--data-dir", "/tmp/x"])
    assert (args.port, args.data_dir) == (9000, "/tmp/x")


def test_without_a_display_the_app_serves_the_web_client(monkeypatch):
    import sys

    import main

    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main.has_display() is False
    monkeypatch.setenv("DISPLAY", ":0")
    assert main.has_display() is True


def test_the_factory_opens_the_logbook_it_created(tmp_path):
    from fieldapp.store import KdfParams, MemoryKeyStore
    from main import DirectoryLogbooks

    factory = DirectoryLogbooks(tmp_path / "lb", kdf=KdfParams.FLOOR, keystore=MemoryKeyStore())
    assert not factory.exists()
    factory.create("482913").close()
    assert factory.exists()
    with factory.open("482913") as logbook:
        assert logbook.is_open
