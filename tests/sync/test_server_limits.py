"""Oversized and unauthenticated bodies against the real backend process on loopback.

The attacker sends raw HTTP: a chunked body (no Content-Length to check) of 200 MiB, with no
token, and watches when the server answers; the server's peak memory (``VmHWM`` of its
process) must not grow with what was sent.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from sync.protocol import MAX_REQUEST_BYTES
from sync.server import admin
from sync.server.db import Database
from tests.support.backend import BackendProcess

MIB = 1024 * 1024
ATTACK_BYTES = 200 * MIB
CHUNK = b"x" * (64 * 1024)


@pytest.fixture
def server(db_target):
    db_path = db_target
    db = Database(db_path)
    try:
        admin.configure(db, municipality="1122")
        code = admin.new_enrolment_code(db, "telefon-1")
    finally:
        db.close()
    process = BackendProcess(db_path, stderr=subprocess.DEVNULL).start(municipality=None)
    connection = http.client.HTTPConnection("127.0.0.1", process.port, timeout=10)
    connection.request("POST", "/v1/enrol", json.dumps({"code": code}),
                       {"Content-Type": "application/json", "X-App-Version": "0.1.0"})
    reply = connection.getresponse()
    assert reply.status == 200
    process.token = json.loads(reply.read())["token"]      # type: ignore[attr-defined]
    connection.close()
    yield process
    process.stop()


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def chunked_upload(port: int, path: str, headers: dict[str, str], *,
                   first: int = MIB, total: int = ATTACK_BYTES) -> tuple[bytes, int]:
    """Send ``first`` bytes of a chunked body, read the answer (the server must give it
    without the rest), then try to send up to ``total``; returns the answer and the bytes
    the server let us send before it closed the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                     f"Content-Type: application/json\r\n{head}\r\n".encode())
        sent = 0
        try:
            while sent < first:
                sock.sendall(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
                sent += len(CHUNK)
        except (BrokenPipeError, ConnectionResetError):
            total = 0                   # hung up already: its answer is waiting
        answer = read_answer(sock)      # times out (fails) if the server waits for the body
        try:
            while sent < total:
                sock.sendall(b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK))
                sent += len(CHUNK)
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        return answer, sent


def read_answer(sock: socket.socket) -> bytes:
    """The status line, headers and (Content-Length) body of one answer."""
    answer = b""
    while True:
        head, _, body = answer.partition(b"\r\n\r\n")
        if _:
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            if len(body) >= length:
                return answer
        try:
            more = sock.recv(65536)
        except ConnectionResetError:
            return answer
        if not more:
            return answer
        answer += more


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_a_chunked_body_without_a_token_is_refused_before_it_is_read(server):
    before = peak_rss_mib(server.proc.pid)
    answers: list[tuple[bytes, int]] = []

    def attack() -> None:
        answers.append(chunked_upload(server.port, "/v1/push", {"X-App-Version": "0.1.0"}))

    attackers = [threading.Thread(target=attack) for _ in range(2)]
    for t in attackers:
        t.start()
    for t in attackers:
        t.join(timeout=120)
    assert len(answers) == 2
    for answer, sent in answers:
        assert status_of(answer) == 401 and b'"unauthorized"' in answer
        assert b"connection: close" in answer.lower()
        assert sent < ATTACK_BYTES // 4, sent / MIB     # the server hung up: no 200 MiB
    grown = peak_rss_mib(server.proc.pid) - before
    assert grown < 40, f"peak memory grew {grown:.0f} MiB"


def test_a_wrong_token_is_refused_as_early(server):
    answer, sent = chunked_upload(server.port, "/v1/push",
                                  {"X-App-Version": "0.1.0", "Authorization": "Bearer x"})
    assert status_of(answer) == 401 and sent < ATTACK_BYTES // 4


def test_an_oversized_chunked_body_with_a_valid_token_is_cut_at_the_limit(server):
    before = peak_rss_mib(server.proc.pid)
    answer, sent = chunked_upload(server.port, "/v1/push",
                                  {"X-App-Version": "0.1.0",
                                   "Authorization": f"Bearer {server.token}"},
                                  first=MAX_REQUEST_BYTES + 2 * MIB)
    assert status_of(answer) == 413 and b'"too_large"' in answer
    assert sent < ATTACK_BYTES // 4
    grown = peak_rss_mib(server.proc.pid) - before
    assert grown < 4 * MAX_REQUEST_BYTES / MIB, f"peak memory grew {grown:.0f} MiB"


def test_a_declared_length_over_the_limit_is_refused_before_the_body(server):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest("POST", "/v1/push")
    for key, value in {"X-App-Version": "0.1.0", "Authorization": f"Bearer {server.token}",
                       "Content-Type": "application/json",
                       "Content-Length": str(ATTACK_BYTES)}.items():
        connection.putheader(key, value)
    connection.endheaders()             # not a byte of the body
    reply = connection.getresponse()
    assert reply.status == 413 and json.loads(reply.read())["error"]["code"] == "too_large"
    connection.close()


@pytest.mark.parametrize("length", ["-1", "1e9", "0x10", "5, 6"])
def test_a_malformed_declared_length_is_refused(server, length):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"POST /v1/enrol HTTP/1.1\r\nHost: x\r\nX-App-Version: 0.1.0\r\n"
                     f"Content-Length: {length}\r\n\r\n".encode())
        answer = read_answer(sock)
    assert 400 <= status_of(answer) < 500


def test_enrolment_takes_a_small_body_only(server):
    answer, sent = chunked_upload(server.port, "/v1/enrol", {"X-App-Version": "0.1.0"},
                                  first=256 * 1024)
    assert status_of(answer) == 413 and sent < ATTACK_BYTES // 4
