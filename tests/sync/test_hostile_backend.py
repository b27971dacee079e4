"""A hostile backend on loopback: a raw-socket proxy in front of the REAL backend that relays
what a test lets through and, for the paths it picks, drips the reply a byte at a time,
drips the headers, sends an endless or oversized body, or garbage. The phone enrols and syncs
with the real ``sync.enrol``/``sync_now`` through it.

Each run must end by its deadline (bounds are generous: the point is 5 s against the 150 s a
drip would take without one), cancel must work inside a read, and nothing may be lost: what
the backend did not confirm stays waiting and is synced exactly once when the backend behaves.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest

from fieldapp.domain import Observation, SyncState
from sync import enrol, sync_now
from sync.enrolment import Enrolment, save_enrolment
from sync.protocol import MAX_REPLY_BYTES
from tests.sync.sync_helpers import FAST

DRIP = 0.5   # seconds per byte: well inside FAST's 5 s read timeout, so no read ever times out


def _read_request(conn: socket.socket) -> tuple[str, str, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the request ended")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = dict(line.split(": ", 1) for line in lines[1:])
    length = int(headers.get("Content-Length", "0"))
    while len(body) < length:
        body += conn.recv(65536)
    return method, path, headers, body


class HostileProxy:
    """``modes`` maps a path prefix ("/v1/push", "/v1/reference") to a behaviour; anything
    else is relayed to the real backend. ``served`` counts the hostile answers given."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.modes: dict[str, str] = {}
        self.served = 0
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.listener.settimeout(0.1)
        self.threads: list[threading.Thread] = []
        self.accepting = threading.Thread(target=self._accept, daemon=True)
        self.accepting.start()

    def close(self) -> None:
        self.stop.set()
        self.accepting.join()
        for thread in self.threads:
            thread.join(timeout=5)
        self.listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                method, path, headers, body = _read_request(conn)
                mode = next((m for p, m in self.modes.items() if path.startswith(p)), "pass")
                if mode != "pass":
                    self.served += 1
                getattr(self, "_" + mode)(conn, method, path, headers, body)
            except OSError:
                pass   # the phone hung up: that is what a deadline or a cancel does

    def _relay(self, method, path, headers, body) -> bytes:
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        try:
            keep = {k: v for k, v in headers.items() if k.lower() not in ("host", "connection")}
            upstream.request(method, path, body=body or None, headers=keep)
            reply = upstream.getresponse()
            content = reply.read()
            head = f"HTTP/1.1 {reply.status} {reply.reason}\r\n"
            head += f"Content-Type: {reply.getheader('Content-Type', '')}\r\n"
            head += f"Content-Length: {len(content)}\r\nConnection: close\r\n\r\n"
            return head.encode("latin-1") + content
        finally:
            upstream.close()

    def _pass(self, conn, *request) -> None:
        conn.sendall(self._relay(*request))

    def _drip(self, conn: socket.socket, data: bytes) -> None:
        for byte in data:
            if self.stop.wait(DRIP):
                return
            conn.sendall(bytes([byte]))

    def _drip_reply(self, conn, *request) -> None:
        """The backend does its work (and stores the batch); the reply comes a byte at a time."""
        self._drip(conn, self._relay(*request))

    def _drip_headers(self, conn, *request) -> None:
        self._drip(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"X-Padding: " + b"x" * 400 + b"\r\n\r\n{}")

    def _endless(self, conn, *request) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Connection: close\r\n\r\n{\"items\": [")
        while not self.stop.is_set():
            conn.sendall(b"0," * 32768)

    def _slow_endless(self, conn, *request) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        while not self.stop.wait(0.1):
            conn.sendall(b"400\r\n" + b" " * 1024 + b"\r\n")

    def _huge_length(self, conn, *request) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000000000000\r\n\r\n{\"results\": [")
        self.stop.wait(30)

    def _garbage(self, conn, *request) -> None:
        body = b'{"results": [{"id": \xff\xfe garbage'
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body)


@pytest.fixture
def proxy(backend):
    p = HostileProxy(backend.port)
    yield p
    p.close()


@pytest.fixture
def phone(lb, backend, proxy):
    enrol(lb, proxy.url, backend.code())
    ids = [lb.add(Observation(place=f"Sted {i}", youth_count=i)) for i in range(3)]
    return lb, ids


def _states(lb, ids):
    return {lb.get(rid).sync_state for rid in ids}


def _sync(lb, **kw):
    started = time.monotonic()
    report = sync_now(lb, **{**FAST, **kw})
    return report, time.monotonic() - started


def _recovers(lb, ids, backend, proxy):
    """With the backend behaving again, every record is synced, each stored exactly once."""
    proxy.modes.clear()
    report, _ = _sync(lb)
    assert report.ok, report.errors
    assert _states(lb, ids) == {SyncState.SYNCED}
    rows = backend.rows("SELECT id, COUNT(*) AS n FROM records GROUP BY id")
    assert {r["id"]: r["n"] for r in rows} == dict.fromkeys(ids, 1)


@pytest.mark.parametrize("mode", ["drip_reply", "drip_headers"])
def test_a_dripped_reply_ends_by_the_call_deadline(phone, backend, proxy, mode):
    lb, ids = phone
    proxy.modes["/v1/push"] = mode
    report, elapsed = _sync(lb, call_deadline=3.0)
    assert proxy.served >= 1
    assert elapsed < 30, f"a 3 s call deadline took {elapsed:.0f} s"
    assert report.errors == {"1122": "timed_out"} and not report.sent
    assert _states(lb, ids) == {SyncState.FAILED}   # waiting: nothing marked sent
    _recovers(lb, ids, backend, proxy)


def test_the_run_deadline_stops_a_run_that_a_drip_would_keep(phone, backend, proxy):
    lb, ids = phone
    proxy.modes["/v1/push"] = "drip_reply"
    report, elapsed = _sync(lb, deadline=4.0)   # the call deadline (60 s) would not stop it
    assert elapsed < 30, f"a 4 s run deadline took {elapsed:.0f} s"
    assert report.errors == {"1122": "run_timed_out"} and not report.cancelled
    assert _states(lb, ids) == {SyncState.FAILED}
    _recovers(lb, ids, backend, proxy)


def test_cancel_takes_effect_inside_a_read(phone, backend, proxy):
    lb, ids = phone
    proxy.modes["/v1/push"] = "drip_reply"
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    report, elapsed = _sync(lb, cancel=cancel.is_set)   # deadlines at their 60 s / 5 min
    assert cancel.is_set() and elapsed < 30, f"cancel took {elapsed:.0f} s to stop the run"
    assert report.cancelled and not report.sent
    assert _states(lb, ids) <= {SyncState.FAILED, SyncState.PENDING}
    _recovers(lb, ids, backend, proxy)


@pytest.mark.parametrize(("mode", "error"), [
    ("endless", "protocol_error"),        # too large: cut at MAX_REPLY_BYTES
    ("slow_endless", "timed_out"),        # never too large in time: cut at the deadline
    ("huge_length", "protocol_error"),    # refused from its Content-Length, before reading
    ("garbage", "protocol_error"),
])
def test_hostile_push_replies_are_refused_and_nothing_is_lost(phone, backend, proxy, mode,
                                                              error):
    lb, ids = phone
    proxy.modes["/v1/push"] = mode
    report, elapsed = _sync(lb, call_deadline=3.0)
    assert elapsed < 30
    assert report.errors == {"1122": error} and not report.sent
    assert _states(lb, ids) == {SyncState.FAILED}
    _recovers(lb, ids, backend, proxy)


def test_an_endless_reference_feed_is_cut_without_reading_it_all(phone, backend, proxy):
    lb, ids = phone
    proxy.modes["/v1/reference"] = "endless"
    report, elapsed = _sync(lb)
    assert elapsed < 30
    # the push went through; the endless pull is refused past MAX_REPLY_BYTES (4 MiB)
    assert sorted(report.sent) == sorted(ids) and report.errors == {"1122": "protocol_error"}
    assert MAX_REPLY_BYTES < 10 * 1024 * 1024
    assert lb.municipalities()[0]["schools"] == []


def test_a_deadline_in_the_pull_keeps_what_was_sent(phone, backend, proxy):
    lb, ids = phone
    proxy.modes["/v1/reference"] = "drip_headers"
    report, elapsed = _sync(lb, call_deadline=2.0)
    assert elapsed < 30
    assert sorted(report.sent) == sorted(ids) and report.errors == {"1122": "timed_out"}
    assert _states(lb, ids) == {SyncState.SYNCED}
    assert json.loads(json.dumps(report.summary()))["errors"] == {"1122": "timed_out"}


@pytest.fixture
def tls_dripper():
    """Answers a TLS ClientHello with the start of a 16 KiB handshake record, a byte at a
    time: the phone's TLS handshake never completes."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.recv(65536)
                    for byte in b"\x16\x03\x03\x40\x00" + b"\x02" * 16384:
                        if stop.wait(DRIP):
                            break
                        conn.sendall(bytes([byte]))
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(timeout=5)
    listener.close()


def test_a_dripped_tls_handshake_ends_by_the_call_deadline(lb, tls_dripper):
    save_enrolment(lb, Enrolment(url=tls_dripper, municipality="1122", recipient="slt",
                                 device_id="d", device_name="t", server_name="s",
                                 token="t" * 43))
    lb.served.add("1122", "Gjesdal")
    ids = [lb.add(Observation(place="Torget", youth_count=2))]
    # generous socket timeouts: two attempts would take 40 s; the call deadline ends it at 3
    report, elapsed = _sync(lb, call_deadline=3.0, timeout=(20.0, 20.0))
    assert elapsed < 30, f"a 3 s call deadline took {elapsed:.0f} s"
    assert report.errors == {"1122": "timed_out"}
    assert _states(lb, ids) == {SyncState.FAILED}
