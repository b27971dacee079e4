"""Enrolments: one per municipal backend, kept in the sealed store (``ledger.ENROLMENTS``).

    e = enrol(lb, "https://slt.gjesdal.kommune.no", "ABCD-EFGH-JKMN")
    enrolments(lb); forget(lb, e.municipality)

A record goes to the enrolment of its own municipality; an enrolment whose backend declares no
municipality takes the records no other enrolment claims. The token is never logged or shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

import requests

from fieldapp.domain.codes import RECIPIENTS
from fieldapp.logbook import Logbook

from .errors import NotEnrolled
from .ledger import Ledger
from .protocol import API, parse_enrol_reply
from .transport import (
    DEFAULT_TIMEOUT,
    Transport,
    check_url,
    new_session,
    normalise_fingerprint,
    pin_server,
)

log = logging.getLogger(__name__)


@dataclass
class Enrolment:
    url: str
    municipality: str
    recipient: str
    device_id: str
    device_name: str
    server_name: str
    token: str = field(repr=False)
    ca_file: str = ""
    fingerprint: str = ""
    cursor: int = 0
    enrolled_at: str = ""
    last_sync_at: str = ""
    last_error: str = ""

    @property
    def verify(self) -> str | bool:
        return self.ca_file or True

    @classmethod
    def from_setting(cls, raw: dict[str, Any]) -> Enrolment:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})


def enrolments(lb: Logbook) -> list[Enrolment]:
    out = []
    for item in Ledger(lb).enrolments_raw():
        try:
            out.append(Enrolment.from_setting(item))
        except TypeError:
            log.warning("sync.enrolment status=unreadable")
    return out


def save_enrolment(lb: Logbook, enrolment: Enrolment) -> None:
    """Add or replace the enrolment for its municipality."""
    kept = [e for e in enrolments(lb) if e.municipality != enrolment.municipality]
    Ledger(lb).write(Ledger.enrolments_changes([asdict(e) for e in [*kept, enrolment]]))


def update_enrolments(lb: Logbook, changed: list[Enrolment],
                      also: dict[str, Any] | None = None) -> None:
    """Store changed enrolments (matched by municipality), with ``also`` (other sync
    bookkeeping) in the same durable write."""
    Ledger(lb).write({**enrolments_changes(lb, changed), **(also or {})})


def enrolments_changes(lb: Logbook, changed: list[Enrolment]) -> dict[str, Any]:
    by_key = {e.municipality: e for e in changed}
    merged = [by_key.pop(e.municipality, e) for e in enrolments(lb)]
    return Ledger.enrolments_changes([asdict(e) for e in merged])


def forget(lb: Logbook, municipality: str) -> bool:
    """Drop the enrolment (and its token) for a municipality from the phone."""
    current = enrolments(lb)
    kept = [e for e in current if e.municipality != municipality]
    Ledger(lb).write(Ledger.enrolments_changes([asdict(e) for e in kept]))
    return len(kept) != len(current)


def route(all_enrolments: list[Enrolment], municipality: str) -> Enrolment | None:
    """The enrolment a record of this municipality goes to, or None."""
    for e in all_enrolments:
        if e.municipality and e.municipality == municipality:
            return e
    return next((e for e in all_enrolments if not e.municipality), None)


def enrol(lb: Logbook, server_url: str, code: str, *, device_name: str = "", ca_file: str = "",
          fingerprint: str = "", timeout: tuple[float, float] = DEFAULT_TIMEOUT,
          session_factory: Callable[[], requests.Session] = new_session) -> Enrolment:
    """Trade a one-time code from the backend admin for this device's token.

    Raises InsecureUrl (before any socket opens), Unreachable/TlsRefused, AuthRejected (wrong,
    used or expired code), AppTooOld, RequestRejected, ProtocolError. Never retried: the code
    works once.
    """
    base = check_url(server_url)
    pin = normalise_fingerprint(fingerprint) if fingerprint else ""
    clean_code = "".join(ch for ch in code.upper() if ch.isalnum())
    if not clean_code:
        raise NotEnrolled("no enrolment code")
    session = session_factory()
    try:
        pin_server(session, base, pin)
        transport = Transport(session, timeout=timeout, retries=0)
        reply = transport.call("POST", base + API + "/enrol", idempotent=False,
                               body={"code": clean_code, "device_name": device_name[:100]},
                               verify=ca_file or True)
    finally:
        session.close()
    parsed = parse_enrol_reply(reply, RECIPIENTS)
    enrolment = Enrolment(url=base, municipality=parsed.municipality,
                          recipient=parsed.recipient, device_id=parsed.device_id,
                          device_name=parsed.device_name, server_name=parsed.server_name,
                          token=parsed.token, ca_file=ca_file, fingerprint=pin,
                          enrolled_at=datetime.now(UTC).isoformat())
    save_enrolment(lb, enrolment)
    _remember_municipality(lb, enrolment)
    log.info("sync.enrol status=ok device=%s", parsed.device_id)
    return enrolment


def _remember_municipality(lb: Logbook, enrolment: Enrolment) -> None:
    """A backend's municipality joins the ones this officer serves (new records default to
    it when it is the only one). When it is the only one, the records made before any
    municipality was served get it too: they can only belong there, and a record without a
    municipality never leaves the phone (the backend refuses it)."""
    if enrolment.municipality:
        lb.served.add(enrolment.municipality, enrolment.server_name)
    if set(lb.served.codes()) == {enrolment.municipality}:
        _adopt_homeless(lb, enrolment.municipality)


def _adopt_homeless(lb: Logbook, code: str) -> None:
    for record in lb.list(where=lambda r: not r.municipality and r.kind != "crisis_contact"):
        record.municipality = code
        try:
            lb.update(record)
        except ValueError:   # changed meanwhile, or invalid: it stays in "Mangler kommune"
            log.warning("sync.enrol adopt=skipped record=%s", record.id)
