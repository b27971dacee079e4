"""The Flet client, played in-process: a real ``ft.Page`` in a real Flet ``Session`` whose
connection is this module's :class:`FakeClient` instead of a browser.

What is real: the Session, the Page, every control, Flet's diffing of each ``update()`` into
patches (encoded with Flet's own MessagePack encoder, so an unsendable value fails here as it
would in the browser), event dispatch (``Session.dispatch_event``: before_event, sync and async
handlers, auto-update) and the asyncio loop the handlers, ``page.run_task`` and
``asyncio.to_thread`` work run on.

What is played: the far side of the wire. The client

- answers every client method (``push_route``, a service's call) at once: with
  ``answers[name]`` when a test set one, else ``None``, as a client without that feature would;
- follows ``push_route`` as the browser does: the page's route changes and a ``route_change``
  event comes back;
- turns any ``SESSION_CRASHED`` message (an exception in a handler or in ``main``), any
  exception the loop reports and any failed ``page.run_task`` work (Flet re-raises it in the
  future's callback, which ``concurrent.futures`` logs) into a test failure at the next
  :meth:`FakeClient.raise_errors`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import msgpack
from flet.controls.base_control import BaseControl
from flet.messaging.connection import Connection
from flet.messaging.protocol import (
    Message,
    MessageAction,
    RegisterClientResponseBody,
    configure_encode_object_for_msgpack,
)
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

ENCODE = configure_encode_object_for_msgpack(BaseControl)
SETTLE_SECONDS = 5.0  # the longest any handler's background work may take in a test
# Tasks that live as long as the session (views.app's idle watcher): never waited for.
LIVES_WITH_SESSION = frozenset({"_watch_idle"})

# The page properties a browser reports when it registers (Chromium on Linux, a phone-sized
# window): what the browser journeys run with.
BROWSER = {"web": True, "platform": "linux", "width": 390, "height": 844}


class ClientError(AssertionError):
    """The app crashed a handler, a task or ``main`` while a test drove it."""


class _Collect(logging.Handler):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        self.errors.append(f"{record.getMessage()}: {exc!r}")


class FakeClient(Connection):
    """The wire's far end: records what the app sends and answers like a client."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fake-client")
        self.pubsubhub = PubSubHub(loop=loop, executor=self.executor)
        self.page_name, self.page_url = "", "http://127.0.0.1/"
        self.session: Session | None = None
        self.patches = 0
        self.calls: list[tuple[str, Any]] = []  # client methods invoked: (name, arguments)
        self.answers: dict[str, Any] = {}  # method name -> value, or callable(arguments)
        self.errors: list[str] = []
        loop.set_exception_handler(self._loop_error)
        self._collect = _Collect(self.errors)
        logging.getLogger("concurrent.futures").addHandler(self._collect)

    # -- the wire ---------------------------------------------------------------------------

    def send_message(self, message: Any) -> None:
        msgpack.packb([message.action, message.body], default=ENCODE)  # must be sendable
        action = message.action
        if action == MessageAction.PATCH_CONTROL:
            self.patches += 1
        elif action == MessageAction.INVOKE_METHOD:
            self.loop.call_soon(self._answer, message.body)
        elif action == MessageAction.SESSION_CRASHED:
            self.errors.append(message.body.message)

    def _answer(self, body: Any) -> None:
        assert self.session is not None
        self.calls.append((body.name, body.args))
        answer = self.answers.get(body.name)
        result = answer(body.args) if callable(answer) else answer
        self.session.handle_invoke_method_results(body.control_id, body.call_id, result, None)
        if body.name == "push_route":  # the browser follows and reports the new route
            self.loop.create_task(self.route_changed(body.args["route"]))

    async def route_changed(self, route: str) -> None:
        """The address bar changed (a push, or the officer typed a URL)."""
        assert self.session is not None
        self.session.apply_page_patch({"route": route})
        await self.session.dispatch_event(self.session.page._i, "route_change",
                                          {"route": route})

    def _loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        self.errors.append(f"{context.get('message')}: {exc!r}")

    def raise_errors(self) -> None:
        if self.errors:
            errors, self.errors = self.errors, []
            raise ClientError("the app failed:\n" + "\n".join(errors))

    def dispose(self) -> None:
        logging.getLogger("concurrent.futures").removeHandler(self._collect)
        self.executor.shutdown(wait=False, cancel_futures=True)


def connect(main: Callable[[Any], Any], *, route: str = "/",
            page: dict[str, Any] | None = None) -> tuple[FakeClient, Session]:
    """Register a client as Flet's server does: a Session, the browser's page properties,
    the first page patch, then ``main(page)`` on the loop."""
    from flet.controls.context import _context_page, context  # noqa: PLC0415

    loop = asyncio.new_event_loop()
    client = FakeClient(loop)
    session = Session(client)
    client.session = session
    session.apply_page_patch({**BROWSER, **(page or {}), "route": route})
    client.send_message(Message(MessageAction.REGISTER_CLIENT, RegisterClientResponseBody(
        session_id=session.id, page_patch=session.get_page_patch(), error="")))

    async def session_created() -> None:
        _context_page.set(session.page)
        context.reset_auto_update()
        main(session.page)
        await session.after_event(session.page)

    loop.run_until_complete(session_created())
    return client, session


def _working() -> set[asyncio.Task[Any]]:
    me = asyncio.current_task()
    return {t for t in asyncio.all_tasks() if t is not me and not t.done()
            and getattr(t.get_coro(), "__qualname__", "") not in LIVES_WITH_SESSION}


async def quiet(timeout: float = SETTLE_SECONDS) -> None:
    """Let the loop run until the work started so far is done (the session's own long-lived
    tasks aside): handlers' tasks, ``run_task`` work, callbacks from threads."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        await asyncio.sleep(0)
        pending = _working()
        if not pending:
            await asyncio.sleep(0)  # callbacks the last tasks scheduled (call_soon_threadsafe)
            if not _working():
                return
            continue
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            names = ", ".join(sorted(t.get_coro().__qualname__ for t in pending))
            raise ClientError(f"work still running after {timeout} s: {names}")
        await asyncio.wait(pending, timeout=left)
