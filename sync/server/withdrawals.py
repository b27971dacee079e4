"""A U18 case no consent (or legal basis) covers any longer keeps no content at the backend.

The phone sends a case's personal content only while a consent covering the recipient holds,
and the backend stores it only then (``intake``). When that ends, what the backend holds must
go too, not only what it shows:

* a consent withdrawn (or a later revision that no longer covers the recipient) arrives in a
  push: ``Receiver`` calls ``rejudge_cases`` for its case in the same transaction;
* a consent expires with no sync at all: ``sweep`` judges every case that has consents again
  (at start-up and every few minutes while the server runs, ``SWEEP_EVERY``).

Rejudging runs the same ``ConsentGate`` on the case's newest stored revision with the consents
the backend holds. When the gate would no longer let the case go, every stored revision of it
is emptied (as a correction empties older revisions) and the write-ahead log is scrubbed by
the caller. The row (id, revision, hash) stays, so a resend is answered ``duplicate`` and the
console can say why the case is gone; a new revision sent under a new consent is taken in as
usual. Each emptied case writes an audit line (``consent_ended``, by record id only).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime

from fieldapp.domain import FollowUpCase
from fieldapp.domain.consent import ConsentGate

from .checks import Refused, decode
from .db import Conn, Database
from .intake import held_consents
from .tombstones import EMPTY_PAYLOAD, scrub_wal

log = logging.getLogger("sync.server")

SWEEP_EVERY = 300.0  # seconds between expiry sweeps while the server runs


def rejudge_cases(db: Database, conn: Conn, case_ids: Iterable[str],
                  recipient: str, now: datetime, gate: ConsentGate) -> list[str]:
    """Empty every stored revision of each case the gate no longer lets go to ``recipient``
    at ``now``; returns the ids emptied. Call inside a transaction."""
    emptied = []
    for case_id in sorted(set(case_ids)):
        row = conn.execute("SELECT revision, payload FROM records WHERE id = ? AND "
                           "kind = 'follow_up_case' ORDER BY revision DESC LIMIT 1",
                           (case_id,)).fetchone()
        if row is None or row[1] == EMPTY_PAYLOAD:
            continue
        if _still_covered(conn, case_id, row[1], recipient, now, gate):
            continue
        conn.execute("UPDATE records SET payload = ? WHERE id = ? AND payload <> ?",
                     (EMPTY_PAYLOAD, case_id, EMPTY_PAYLOAD))
        db.audit(conn, "consent_ended", "purged", record_id=case_id, revision=row[0])
        emptied.append(case_id)
    if emptied:
        log.info("consent_ended status=purged cases=%d", len(emptied))
    return emptied


def _still_covered(conn: Conn, case_id: str, payload: str, recipient: str,
                   now: datetime, gate: ConsentGate) -> bool:
    try:
        case = decode(json.loads(payload))
    except (Refused, ValueError):
        return False  # content the backend cannot judge is not kept
    if not isinstance(case, FollowUpCase):
        return False
    decision = gate.decide(case, held_consents(conn, case_id, []), recipient, now)
    return decision.send_record


def sweep(db: Database, recipient: str, now: datetime, gate: ConsentGate) -> list[str]:
    """Judge every case with consents again (expiry needs no sync); scrubs the WAL when a
    case was emptied. Returns the ids emptied."""
    with db.transaction() as conn:
        rows = conn.execute("SELECT DISTINCT json_extract(payload, '$.case_id') FROM records "
                            "WHERE kind = 'consent'").fetchall()
        emptied = rejudge_cases(db, conn, [r[0] for r in rows if isinstance(r[0], str)],
                                recipient, now, gate)
    if emptied:
        scrub_wal(db)
    return emptied
