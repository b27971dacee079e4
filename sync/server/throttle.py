"""A per-client limit on failed attempts (enrolment codes, console logins), with backoff.

    throttle = Throttle()                    # 5 free failures, then 1 s, 2 s, 4 s … up to 15 min
    key = client_key(request.client.host)    # an IPv6 client counts as its /64 network
    wait = throttle.check(key)               # seconds to wait, 0: go ahead
    if wait:
        answer 429 with ``Retry-After: ceil(wait)``
    elif attempt_failed:
        throttle.fail(key)                   # returns the wait the next attempt will get
    else:
        throttle.success(key)                # forgets the key's failures

``check`` never counts an attempt by itself: only ``fail`` does, so a refused attempt (429)
does not lengthen the lockout — the attempts it stops never reach the secret. Failures are
forgotten ``forget_after`` seconds after the last one. At most ``max_keys`` keys are kept (the
least recently failed go first), so a flood of addresses cannot exhaust memory. The state is in
memory and per process: a restart forgets it, which costs an attacker a restart of the backend.
Thread-safe (sync endpoints run in a thread pool).
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Entry:
    failures: int
    last_failure: float
    blocked_until: float


class Throttle:
    def __init__(self, *, free_failures: int = 5, base_delay: float = 1.0,
                 max_delay: float = 900.0, forget_after: float = 3600.0,
                 max_keys: int = 10_000, clock: Callable[[], float] = time.monotonic):
        if free_failures < 0 or base_delay <= 0 or max_delay < base_delay or max_keys < 1:
            raise ValueError("invalid throttle settings")
        self.free_failures, self.base_delay, self.max_delay = free_failures, base_delay, max_delay
        self.forget_after, self.max_keys, self.clock = forget_after, max_keys, clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may try now."""
        with self._lock:
            entry = self._current(key)
            return max(0.0, entry.blocked_until - self.clock()) if entry else 0.0

    def fail(self, key: str) -> float:
        """Count a failed attempt; returns the wait before the next one (0 while still free)."""
        with self._lock:
            now = self.clock()
            entry = self._current(key) or _Entry(0, now, now)
            entry.failures += 1
            entry.last_failure = now
            over = entry.failures - self.free_failures
            delay = 0.0 if over <= 0 else min(self.max_delay,
                                              self.base_delay * 2 ** min(over - 1, 40))
            entry.blocked_until = now + delay
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_keys:
                self._entries.popitem(last=False)
            return delay

    def success(self, key: str) -> None:
        """The key got it right: forget its failures."""
        with self._lock:
            self._entries.pop(key, None)

    def _current(self, key: str) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and self.clock() - entry.last_failure > max(
                self.forget_after, entry.blocked_until - entry.last_failure):
            del self._entries[key]
            return None
        return entry


def client_key(host: str | None) -> str:
    """The throttle key of a client address: IPv4 as it is, IPv6 as its /64 network (one
    subscriber usually holds a whole /64), anything unparsable as itself."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
