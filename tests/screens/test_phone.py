"""The same app as a phone build's client reports itself (Android, not a browser): the
composition takes its phone path — the privacy cover, the phone's haptics, connectivity."""

from __future__ import annotations

import pytest

from tests.support.pins import PIN

ANDROID = {"web": False, "platform": "android"}


@pytest.fixture
def phone(screens):
    return screens(page=ANDROID)


def test_the_app_switcher_sees_only_the_cover(phone):
    assert not phone.has("privacy-cover")
    phone.lifecycle("inactive")  # the app switcher is opening: still unlocked, covered
    assert phone.has("privacy-cover") and phone.app.is_unlocked
    phone.lifecycle("resume")
    assert not phone.has("privacy-cover") and phone.route == "/"


def test_hidden_it_locks_and_comes_back_to_the_pin(phone):
    phone.lifecycle("inactive")
    phone.lifecycle("hide")
    assert not phone.app.is_unlocked and phone.has("privacy-cover")
    phone.lifecycle("show")
    assert not phone.has("privacy-cover")
    assert phone.route == "/unlock" and phone.shows("Låst fordi appen ble skjult.")
    phone.type("pin", PIN)
    phone.tap("pin-unlock")
    assert phone.route == "/"


def test_a_save_buzzes(phone):
    phone.tap("home-observation")
    phone.type("obs-place", "Ålgård stasjon")
    phone.tap("obs-save")
    assert phone.toasts() == ["Observasjon lagret"]
    assert "medium_impact" in [name for name, _ in phone.client.calls]


def test_unlocking_and_coming_back_wake_the_sync(phone, synced):
    [auto] = synced
    assert auto.started and auto.triggers == []
    phone.tap("nav-lock")
    phone.type("pin", PIN)
    phone.tap("pin-unlock")
    assert auto.triggers == ["start"]
    phone.lifecycle("resume")  # back in front: the network may be back too
    assert auto.triggers == ["start", "online"]
