"""Call the Flet client's async services from a worker thread, with a deadline.

Flet services (secure storage, geolocator, permissions) are coroutines that wait for the
client's answer over the page's event loop. The Logbook and the location port are called
synchronously from worker threads (``asyncio.to_thread``), so they hand the coroutine to the
page's loop and wait for its result — never on the loop's own thread, where waiting would
block the very reply it waits for (:class:`CalledOnEventLoop` says so instead).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class CalledOnEventLoop(RuntimeError):
    """A blocking device call was made on the event loop thread; use a worker thread."""

    def __init__(self) -> None:
        super().__init__("This device call blocks: make it from a worker thread "
                         "(asyncio.to_thread), not on the event loop.")


class LoopBridge:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop

    def on_loop_thread(self) -> bool:
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False

    def call(self, make: Callable[[], Coroutine[Any, Any, T]], timeout: float) -> T:
        """Run ``make()`` on the loop and wait at most ``timeout`` seconds for its result.

        Raises :class:`CalledOnEventLoop`, ``TimeoutError`` (the call is cancelled), or
        whatever the coroutine raised."""
        if self.on_loop_thread():
            raise CalledOnEventLoop()
        coro = make()
        try:
            future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        except RuntimeError:  # the loop is closed: the session has ended
            coro.close()
            raise
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise
