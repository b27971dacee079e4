"""Deadlines for the sync client's calls: a call ends by its deadline, and a cancel takes
effect even inside a blocking read.

requests has no overall timeout: its read timeout bounds each socket read, so a reply dripped
one byte every few seconds keeps a call alive for as long as the server likes (measured: 96 s
against a 5 s read timeout). Here each call runs under a ``Watch``. The sockets the call opens
or reuses are registered with it (by the connection classes ``watch_pool_manager`` installs),
and one watcher thread, shared by every call in flight, shuts them down when the deadline
passes or ``cancel()`` turns true. A shut-down socket ends any blocking read or write at
once (TLS handshake, request, status line, headers, body); the TCP connect itself is bounded
by the connect timeout, which the caller caps at the time left. The call then raises what
fired, never a half-read reply::

    watch = Watch(call_ends_at, cancel, run_ends_at=run_ends_at)
    with watch:                      # sockets used in this thread are watched
        response = session.request(...)
        body = read(response)        # watch.raise_due() between chunks
    watch.raise_fired()              # Cancelled, RunTimedOut or TimedOut when the watcher fired

A cancel before a call (or between its retries) stops it at once. A call already in flight
gets ``CANCEL_GRACE`` to finish first: a batch the backend has stored is then confirmed rather
than sent again, and a backend that drips still lets go within the grace.

Each registered socket is kept as a duplicate file descriptor until the watch ends, so the
watcher can never shut down an unrelated socket that took over a closed descriptor. Shutting
down acts on the connection, not on one descriptor: every holder of it sees the end.
"""

from __future__ import annotations

import contextlib
import math
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from urllib3 import PoolManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import BaseHTTPResponse

from .errors import Cancelled, RunTimedOut, SyncError, TimedOut

POLL_SECONDS = 0.05
CANCEL_GRACE = 2.0   # seconds an in-flight call may take to finish after a cancel
_current = threading.local()


class Watch:
    def __init__(self, ends_at: float, cancel: Callable[[], bool], *,
                 run_ends_at: float = math.inf):
        self.run_ends_at = run_ends_at
        self.ends_at = min(ends_at, run_ends_at)
        self.cancel = cancel
        self.fired: SyncError | None = None
        self._held: dict[int, socket.socket] = {}
        self._lock = threading.Lock()
        self._in_flight = False      # between __enter__ and __exit__
        self._closed = False         # after __exit__: the watcher no longer acts on it
        self._cancel_at = math.inf   # set when a cancel is first seen in flight

    def remaining(self) -> float:
        return self.ends_at - time.monotonic()

    def due(self) -> SyncError | None:
        """What ends the call now, if anything: a cancel, the run's or the call's deadline."""
        try:
            cancelled = bool(self.cancel())
        except Exception:  # noqa: BLE001 - a broken cancel callback cancels nothing
            cancelled = False
        now = time.monotonic()
        if cancelled and not self._in_flight:
            return Cancelled("cancelled")
        if cancelled:
            self._cancel_at = min(self._cancel_at, now + CANCEL_GRACE)
        if now >= self._cancel_at:
            return Cancelled("cancelled")
        if now >= self.run_ends_at:
            return RunTimedOut("the run passed its deadline")
        if now >= self.ends_at:
            return TimedOut("the call passed its deadline")
        return None

    def raise_due(self) -> None:
        reason = self.fired or self.due()
        if reason is not None:
            raise reason

    def raise_fired(self) -> None:
        if self.fired is not None:
            raise self.fired

    def track(self, sock: socket.socket | None) -> None:
        """Watch ``sock`` (idempotent); shut it down at once when the watch has fired."""
        if sock is None:
            return
        with self._lock:
            if id(sock) in self._held:
                return
            try:
                held = socket.fromfd(sock.fileno(), sock.family, sock.type)
            except (OSError, ValueError):
                return
            self._held[id(sock)] = held
            if self.fired is not None:
                _shut(held)

    def __enter__(self) -> Watch:
        _current.watch = self
        self._in_flight = True
        _WATCHER.add(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _current.watch = None
        _WATCHER.remove(self)
        with self._lock:   # from here on the watcher cannot fire it (``check``)
            self._closed = True
            for held in self._held.values():
                with contextlib.suppress(OSError):
                    held.close()
            self._held.clear()
        self._in_flight = False

    def check(self) -> bool:
        """Fire when something ends the call: shut its sockets down. True once fired."""
        reason = self.due()
        if reason is None:
            return False
        with self._lock:
            if not self._closed:
                self.fired = reason
                for held in self._held.values():
                    _shut(held)
        return True


class _Watcher:
    """One thread that looks after every watch in flight, every ``POLL_SECONDS`` or sooner
    when a deadline is nearer. (A thread per call cost 10-18% of a push's records/s: starting
    it hands the interpreter lock away just as the batch is to be sent.)"""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._watches: set[Watch] = set()
        self._thread: threading.Thread | None = None

    def add(self, watch: Watch) -> None:
        with self._changed:
            self._watches.add(watch)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sync-watch",
                                                daemon=True)
                self._thread.start()
            self._changed.notify()

    def remove(self, watch: Watch) -> None:
        with self._changed:
            self._watches.discard(watch)

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._watches:
                    self._changed.wait()
                nearest = min(w.remaining() for w in self._watches)
                self._changed.wait(max(0.0, min(POLL_SECONDS, nearest)))
                watching = list(self._watches)
            # checked outside the lock: ``cancel`` is the caller's callback
            fired = [w for w in watching if w.check()]
            if fired:
                with self._changed:
                    self._watches.difference_update(fired)


_WATCHER = _Watcher()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _track(sock: socket.socket | None) -> None:
    watch = getattr(_current, "watch", None)
    if watch is not None:
        watch.track(sock)


class WatchedHTTPConnection(HTTPConnection):
    """Registers its socket with the thread's watch: when made (before any TLS handshake),
    and on each request and response, so a connection reused from the pool is watched too."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _track(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _track(self.sock)
        super().request(*args, **kwargs)

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _track(self.sock)
        response: BaseHTTPResponse = super().getresponse(*args, **kwargs)
        return response


class WatchedHTTPSConnection(WatchedHTTPConnection, HTTPSConnection):
    pass


class WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = WatchedHTTPConnection


class WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = WatchedHTTPSConnection


def watch_pool_manager(manager: PoolManager) -> None:
    """Make the pools of ``manager`` use the watched connection classes."""
    manager.pool_classes_by_scheme = {"http": WatchedHTTPConnectionPool,
                                      "https": WatchedHTTPSConnectionPool}
