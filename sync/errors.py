"""Errors of the sync boundary (standard library only).

requests/urllib3 exceptions are translated where they enter (``sync.transport``). A failing
record becomes a result in the report; these are raised only when a whole call fails. Messages
never hold record contents, tokens or codes; ``code`` is what the screen translates::

    SyncError
    ├── InsecureUrl        http:// to a host that is not loopback, or no usable URL (no socket)
    ├── Unreachable        no connection, DNS failure, timeout
    │   ├── TlsRefused     the server's certificate is not trusted or does not match the pin
    │   └── TimedOut       a call did not end by its deadline (a dripped or endless reply)
    ├── ServerError        5xx (status)
    ├── AuthRejected       401/403: token unknown or revoked, enrolment code wrong or used
    ├── AppTooOld          426: the backend needs a newer app (min_version)
    ├── RequestRejected    any other 4xx (status, code)
    ├── ProtocolError      the reply broke the protocol: malformed, too large, wrong echo
    ├── NotEnrolled        no enrolment for that municipality
    └── Cancelled          the officer cancelled the run
        └── RunTimedOut    the run reached its deadline (it stops like a cancel)
"""

from __future__ import annotations


class SyncError(Exception):
    code = "sync_error"


class InsecureUrl(SyncError):
    code = "insecure_url"


class Unreachable(SyncError):
    code = "unreachable"


class TlsRefused(Unreachable):
    code = "tls_refused"


class TimedOut(Unreachable):
    """A call (connect, request, the whole reply, its retries) passed its deadline. Never
    retried: the call's time is used up."""

    code = "timed_out"


class ServerError(SyncError):
    code = "server_error"

    def __init__(self, status: int, message: str = ""):
        self.status = status
        super().__init__(message or f"the server failed with HTTP {status}")


class AuthRejected(SyncError):
    code = "auth_rejected"

    def __init__(self, reason: str = "unauthorized"):
        self.reason = reason
        super().__init__(f"the server refused the credentials ({reason})")


class AppTooOld(SyncError):
    code = "app_too_old"

    def __init__(self, min_version: str = ""):
        self.min_version = min_version
        super().__init__(f"the server needs app version {min_version or '?'} or newer")


class RequestRejected(SyncError):
    code = "request_rejected"

    def __init__(self, status: int, reason: str = ""):
        self.status = status
        self.reason = reason
        super().__init__(f"the server rejected the request with HTTP {status} ({reason})")


class TooManyAttempts(RequestRejected):
    """429 from the backend: too many wrong enrolment codes from this address."""

    code = "too_many_attempts"

    def __init__(self, retry_after: str = ""):
        super().__init__(429, "too_many_attempts")
        self.retry_after = retry_after


class ProtocolError(SyncError):
    code = "protocol_error"


class NotEnrolled(SyncError):
    code = "not_enrolled"


class Cancelled(SyncError):
    code = "cancelled"


class RunTimedOut(Cancelled):
    """The whole run passed its deadline: it stops as a cancel does, and what the backend
    did not confirm stays waiting."""

    code = "run_timed_out"
