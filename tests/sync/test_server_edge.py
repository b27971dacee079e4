"""Guessing enrolment codes: the per-address throttle, 429 with Retry-After, and an audit that
does not grow with the attack."""

from __future__ import annotations

import asyncio
import http.client
import json
from datetime import UTC, datetime

import httpx
import pytest

from sync.server.app import create_app
from sync.server.refusals import MAX_AUDITED_CLIENTS, MAX_COUNTED_CLIENTS
from sync.server.throttle import Throttle, client_key

HEADERS = {"Content-Type": "application/json", "X-App-Version": "0.1.0"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_throttle_lets_free_failures_through_then_doubles_the_wait():
    clock = FakeClock()
    throttle = Throttle(free_failures=3, base_delay=2, max_delay=60, clock=clock)
    assert [throttle.fail("a") for _ in range(3)] == [0, 0, 0]
    assert throttle.check("a") == 0
    assert [throttle.fail("a") for _ in range(7)] == [2, 4, 8, 16, 32, 60, 60]
    assert throttle.check("a") == 60 and throttle.check("b") == 0
    clock.now += 59
    assert throttle.check("a") == 1
    assert throttle.check("a") == 1       # checking is not an attempt: the wait stays
    clock.now += 1
    assert throttle.check("a") == 0
    assert throttle.fail("a") == 60       # the next failure still counts the earlier ones
    throttle.success("a")
    assert throttle.check("a") == 0 and throttle.fail("a") == 0


def test_the_throttle_forgets_old_failures_and_keeps_a_bounded_number_of_keys():
    clock = FakeClock()
    throttle = Throttle(free_failures=1, forget_after=100, max_keys=50, clock=clock)
    throttle.fail("a")
    assert throttle.fail("a") == 1
    clock.now += 101
    assert throttle.check("a") == 0 and throttle.fail("a") == 0
    for n in range(10_000):
        throttle.fail(f"k{n}")
    assert len(throttle._entries) == 50     # the least recently failed went first
    with pytest.raises(ValueError):
        Throttle(max_keys=0)


@pytest.mark.parametrize("host, key", [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),
    (None, "unknown"), ("", "unknown"), ("not-an-address\u202e", "not-an-address\u202e"),
])
def test_client_key(host, key):
    assert client_key(host) == key


def _enrol(url: str, code: str) -> tuple[int, dict[str, str], dict]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("POST", "/v1/enrol", json.dumps({"code": code}), HEADERS)
        reply = connection.getresponse()
        return reply.status, {k.lower(): v for k, v in reply.getheaders()}, \
            json.loads(reply.read())
    finally:
        connection.close()


def test_guessing_codes_on_the_real_server_gets_429_with_retry_after(backend):
    clock = FakeClock()
    backend.app.state.enrol_throttle.clock = clock
    good = backend.code()
    for _ in range(5):
        status, _, body = _enrol(backend.url, "AAAA-BBBB-CCCC")
        assert status == 401 and body["error"]["code"] == "enrolment_code_invalid"
    assert _enrol(backend.url, "AAAA-BBBB-CCCC")[0] == 401        # the 6th is tried, counted
    status, headers, body = _enrol(backend.url, good)             # locked: even the right one
    assert status == 429 and headers["retry-after"] == "1"
    assert body["error"]["code"] == "too_many_attempts" and body["error"]["retry_after"] == 1
    assert body["error"]["message"]
    clock.now += 1
    assert _enrol(backend.url, "AAAA-BBBB-CCCC")[0] == 401
    status, headers, _ = _enrol(backend.url, good)
    assert status == 429 and headers["retry-after"] == "2"        # the wait doubles
    clock.now += 2
    status, _, body = _enrol(backend.url, good)
    assert status == 200 and body["token"]
    assert _enrol(backend.url, "AAAA-BBBB-CCCC")[0] == 401        # success forgot the rest


async def _guess(app, hosts: list[str], per_host: int) -> list[int]:
    statuses = []
    for host in hosts:
        transport = httpx.ASGITransport(app=app, client=(host, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://backend") as client:
            for n in range(per_host):
                reply = await client.post("/v1/enrol", headers=HEADERS,
                                          json={"code": f"GUES-S{n:03d}-XXXX"})
                statuses.append(reply.status_code)
    return statuses


def test_ten_thousand_bad_guesses_leave_a_bounded_audit(db_target):
    app = create_app(db_target, clock=lambda: datetime(2026, 3, 1, 12, 5, tzinfo=UTC))
    app.state.enrol_throttle.clock = FakeClock()
    db = app.state.db
    audit_before = db.query("SELECT COALESCE(MAX(seq), 0) FROM audit")[0][0]
    # 1,400 addresses guess 7 times each (6 tried, the 7th throttled), one guesses 200 times
    hosts = [f"10.{n // 250}.{n % 250}.9" for n in range(1400)]
    statuses = asyncio.run(_guess(app, hosts, 7)) + asyncio.run(_guess(app, ["192.0.2.1"],
                                                                         200))
    assert len(statuses) == 10_000
    assert (statuses.count(401), statuses.count(429)) == (1401 * 6, 1400 + 194)
    app.state.refusals.flush()
    audit = db.query("SELECT event, status, reason FROM audit WHERE seq > ?", (audit_before,))
    assert 0 < len(audit) <= MAX_AUDITED_CLIENTS
    assert {(r["event"], r["status"]) for r in audit} == {("enrol", "refused")}
    counted = db.query("SELECT client, reason, count FROM refusals")
    assert len(counted) <= 2 * (MAX_COUNTED_CLIENTS + 1)
    assert sum(r["count"] for r in counted) == 10_000
    assert {r["reason"] for r in counted} == {"code_invalid", "throttled"}
    stored = " ".join(f"{r['reason']}" for r in audit) + " ".join(r["client"] for r in counted)
    assert "10.0.0.9" not in stored and "192.0.2.1" not in stored   # pseudonyms only
    db.close()
