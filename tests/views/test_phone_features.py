"""Sync when the network returns (debounced, only unlocked), FLAG_SECURE through a stand-in
for pyjnius, the privacy cover, and third-party loggers pinned at WARNING."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import flet as ft
import pytest

from fieldapp.device import DeviceStatus
from views.device.connectivity import ReconnectSync
from views.device.privacy import PrivacyCover, secure_window


class Timers:
    """A fake clock for ``loop.call_later``: timers fire only when ``advance`` passes them."""

    def __init__(self):
        self.now = 0.0
        self.pending: list[list] = []

    def call_later(self, delay, callback):
        timer = [self.now + delay, callback, False]
        self.pending.append(timer)
        return SimpleNamespace(cancel=lambda: timer.__setitem__(2, True))

    def advance(self, seconds):
        self.now += seconds
        due = [t for t in self.pending if t[0] <= self.now and not t[2]]
        self.pending = [t for t in self.pending if t not in due]
        for timer in due:
            timer[1]()


@pytest.fixture
def sync_setup():
    timers, triggers, state = Timers(), [], {"unlocked": True}
    reconnect = ReconnectSync(trigger=triggers.append, is_unlocked=lambda: state["unlocked"],
                              schedule=timers.call_later, delay=5.0)
    return reconnect, timers, triggers, state


def test_a_flapping_network_gives_one_sync_five_seconds_after_it_settles(sync_setup):
    reconnect, timers, triggers, _ = sync_setup
    for kinds in (["mobile"], ["none"], ["wifi"], ["none"], ["wifi", "mobile"]):
        reconnect.changed(kinds)
        timers.advance(1.0)
    assert triggers == []
    timers.advance(3.9)
    assert triggers == []
    timers.advance(0.2)
    assert triggers == ["online"]
    timers.advance(60)
    assert triggers == ["online"]


def test_going_offline_cancels_and_locked_means_no_sync(sync_setup):
    reconnect, timers, triggers, state = sync_setup
    reconnect.changed(["wifi"])
    reconnect.changed(["none"])
    timers.advance(10)
    assert triggers == []
    state["unlocked"] = False
    reconnect.changed(["wifi"])
    timers.advance(10)
    assert triggers == []
    state["unlocked"] = True
    reconnect.changed(["wifi"])
    reconnect.stop()
    timers.advance(10)
    assert triggers == []


class FakeJnius:
    """pyjnius as Flet's Android build has it: autoclass, PythonJavaClass, java_method."""

    class PythonJavaClass:
        pass

    @staticmethod
    def java_method(signature):
        return lambda fn: fn

    def __init__(self):
        self.flags = []
        self.ui_thread_runs = 0
        jnius = self

        class Window:
            def setFlags(self, flags, mask):  # noqa: N802 - the Java name
                jnius.flags.append((flags, mask))

        class Activity:
            def getWindow(self):  # noqa: N802
                return Window()

            def runOnUiThread(self, runnable):  # noqa: N802
                jnius.ui_thread_runs += 1
                runnable.run()

        self.classes = {"com.example.politikontakt.MainActivity":
                        SimpleNamespace(mActivity=Activity()),
                        "android.view.WindowManager$LayoutParams":
                        SimpleNamespace(FLAG_SECURE=8192)}

    def autoclass(self, name):
        return self.classes[name]


ACTIVITY = {"MAIN_ACTIVITY_HOST_CLASS_NAME": "com.example.politikontakt.MainActivity"}


def test_flag_secure_is_set_on_the_ui_thread_on_android_only():
    jnius = FakeJnius()
    android = SimpleNamespace(web=False, platform=ft.PagePlatform.ANDROID)
    assert secure_window(android, environ=ACTIVITY, jnius=jnius) is DeviceStatus.OK
    assert jnius.flags == [(8192, 8192)] and jnius.ui_thread_runs == 1
    for page in (SimpleNamespace(web=True, platform=ft.PagePlatform.ANDROID),
                 SimpleNamespace(web=False, platform=ft.PagePlatform.IOS)):
        assert secure_window(page, environ=ACTIVITY, jnius=jnius) is DeviceStatus.UNAVAILABLE
    assert secure_window(android, environ={}, jnius=jnius) is DeviceStatus.UNAVAILABLE
    assert secure_window(android, environ={"MAIN_ACTIVITY_HOST_CLASS_NAME": "x.Missing"},
                         jnius=jnius) is DeviceStatus.FAILED
    assert jnius.flags == [(8192, 8192)]


def test_without_pyjnius_flag_secure_is_reported_unavailable():
    android = SimpleNamespace(web=False, platform=ft.PagePlatform.ANDROID)
    assert secure_window(android, environ=ACTIVITY) is DeviceStatus.UNAVAILABLE


class FakePage:
    def __init__(self):
        self.overlay = []
        self.updates = 0

    def update(self):
        self.updates += 1


@pytest.mark.parametrize(("cover_inactive", "states", "shown"), [
    (True, ["inactive"], True), (False, ["inactive"], False), (False, ["hide"], True),
    (True, ["inactive", "hide", "pause"], True), (True, ["hide", "show"], False),
    (True, ["inactive", "resume"], False), (True, ["detach"], False),
])
def test_the_privacy_cover_follows_the_lifecycle(cover_inactive, states, shown):
    page = FakePage()
    cover = PrivacyCover(page, "Politikontakt", cover_inactive=cover_inactive)
    assert page.overlay == [cover.control] and not cover.shown
    for state in states:
        cover.on_lifecycle(state)
    assert cover.shown is shown


def test_third_party_loggers_stay_at_warning_even_at_debug(capsys):
    import main

    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    root.handlers = [logging.StreamHandler()]
    try:
        main.configure_logging("DEBUG")
        for name in ("flet", "flet_transport", "flet_components", "flet_object_patch",
                     "flet_web.fastapi", "uvicorn.error"):
            logging.getLogger(name).info("pin=482913 canary-A7")
            logging.getLogger(name).debug("pin=482913 canary-A7")
        logging.getLogger("some.new.library").debug("canary-B8")
        logging.getLogger("views.app").debug("ours at debug")
        logging.getLogger("flet").warning("a flet warning")
        err = capsys.readouterr().err
        assert "canary" not in err and "482913" not in err
        assert "ours at debug" in err and "a flet warning" in err
        assert logging.getLogger("flet").getEffectiveLevel() >= logging.WARNING
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers = saved[1]
        root.setLevel(saved[0])
