"""The Flet device adapters against stand-ins with the real services' API shape: location
with permission (granted, refused, off, slow, broken), haptics, the loop bridge, the ports'
honest statuses."""

from __future__ import annotations

import asyncio
import inspect
import logging

import pytest

from fieldapp.device import (
    DevicePorts,
    DeviceStatus,
    FirstThatWorks,
    LocationFix,
    NullLocation,
    Position,
)
from tests.views.device_fakes import (
    FakeGeolocator,
    FakePermissionHandler,
    FakeSecureStorage,
    LoopThread,
)
from views.device.bridge import CalledOnEventLoop, LoopBridge
from views.device.location import FletLocation


@pytest.fixture
def loop_thread():
    runner = LoopThread()
    yield runner
    runner.close()


def _params(method) -> list[tuple[str, object]]:
    return [(p.name, p.kind) for p in inspect.signature(method).parameters.values()]


@pytest.mark.parametrize(("fake", "real_module", "real_name", "methods"), [
    (FakeSecureStorage, "flet_secure_storage", "SecureStorage",
     ["get", "set", "contains_key", "remove"]),
    (FakeGeolocator, "flet_geolocator", "Geolocator",
     ["get_permission_status", "request_permission", "is_location_service_enabled",
      "get_current_position"]),
    (FakePermissionHandler, "flet_permission_handler", "PermissionHandler",
     ["get_status", "request"]),
])
def test_the_stand_ins_have_the_real_services_api(fake, real_module, real_name, methods):
    real = getattr(pytest.importorskip(real_module), real_name)
    for name in methods:
        assert inspect.iscoroutinefunction(getattr(real, name)), name
        assert inspect.iscoroutinefunction(getattr(fake, name)), name
        assert _params(getattr(fake, name)) == _params(getattr(real, name)), name


def test_a_granted_permission_gives_a_position(loop_thread):
    geo = FakeGeolocator()
    fix = FletLocation(loop_thread.page(), geolocator=geo).locate(2.0)
    assert fix == LocationFix(DeviceStatus.OK, Position(58.77, 5.86))


def test_a_phone_asks_the_permission_handler_once_then_locates(loop_thread):
    permissions = FakePermissionHandler(status="denied", after_request="granted")
    location = FletLocation(loop_thread.page(), geolocator=FakeGeolocator(),
                            permissions=permissions)
    assert location.locate(2.0).status is DeviceStatus.OK
    assert [getattr(p, "value", p) for p in permissions.requests] == ["locationWhenInUse"]


def test_a_refusal_is_reported_and_not_asked_again(loop_thread):
    permissions = FakePermissionHandler(status="denied", after_request="permanentlyDenied")
    location = FletLocation(loop_thread.page(), geolocator=FakeGeolocator(),
                            permissions=permissions)
    assert location.locate(2.0) == LocationFix(DeviceStatus.DENIED)
    assert location.locate(2.0) == LocationFix(DeviceStatus.DENIED)
    assert location.current(2.0) is None
    assert len(permissions.requests) == 1


def test_in_a_browser_the_geolocator_asks_itself(loop_thread):
    geo = FakeGeolocator(permission="denied", after_request="deniedForever")
    assert FletLocation(loop_thread.page(web=True), geolocator=geo).locate(2.0).status is (
        DeviceStatus.DENIED)
    assert geo.requests == 1


def test_location_services_off_and_a_slow_or_broken_sensor(loop_thread, caplog):
    page = loop_thread.page()
    assert FletLocation(page, geolocator=FakeGeolocator(enabled=False)).locate(2.0).status is (
        DeviceStatus.OFF)
    assert FletLocation(page, geolocator=FakeGeolocator(delay=5)).locate(0.2).status is (
        DeviceStatus.TIMEOUT)
    broken = FakeGeolocator(error=RuntimeError("Ola Nordmann at 58.77"))
    with caplog.at_level(logging.INFO):
        assert FletLocation(page, geolocator=broken).locate(2.0).status is DeviceStatus.FAILED
    assert "RuntimeError" in caplog.text and "Ola" not in caplog.text


def test_the_bridge_refuses_to_block_the_event_loop(loop_thread):
    bridge = LoopBridge(loop_thread.loop)

    async def on_the_loop():
        return bridge.call(lambda: asyncio.sleep(0), 1.0)

    future = asyncio.run_coroutine_threadsafe(on_the_loop(), loop_thread.loop)
    with pytest.raises(CalledOnEventLoop):
        future.result(2)
    assert bridge.call(lambda: asyncio.sleep(0, result=7), 1.0) == 7


def test_the_most_telling_status_wins_when_nothing_works():
    class Refused:
        def locate(self, timeout):
            return LocationFix(DeviceStatus.DENIED)

    class Broken:
        def locate(self, timeout):
            raise OSError("no gps")

    assert FirstThatWorks(NullLocation(), Refused()).locate().status is DeviceStatus.DENIED
    assert FirstThatWorks(Broken(), NullLocation()).locate().status is DeviceStatus.FAILED
    assert FirstThatWorks(NullLocation()).locate().status is DeviceStatus.UNAVAILABLE


def test_off_phone_ports_say_unavailable_rather_than_fail():
    ports = DevicePorts.plyer_or_null()
    assert ports.location.locate(0.1).status is DeviceStatus.UNAVAILABLE
    assert ports.haptics.buzz() is DeviceStatus.UNAVAILABLE
    assert ports.notifier.send("Politikontakt", "1 tiltak forfaller") in (
        DeviceStatus.UNAVAILABLE, DeviceStatus.FAILED, DeviceStatus.OK)


def test_haptics_buzz_on_a_phone_and_not_in_a_browser(loop_thread):
    from views.device.haptics import FletHaptics

    class Motor:
        def __init__(self):
            self.buzzed = asyncio.Event()

        async def medium_impact(self):
            self.buzzed.set()

    tasks = []
    page = loop_thread.page()
    page.run_task = lambda fn: tasks.append(fn)
    motor = Motor()
    assert FletHaptics(page, motor).buzz() is DeviceStatus.OK and len(tasks) == 1
    asyncio.run_coroutine_threadsafe(tasks[0](), loop_thread.loop).result(2)
    assert motor.buzzed.is_set()
    assert FletHaptics(loop_thread.page(web=True), motor).buzz() is DeviceStatus.UNAVAILABLE
