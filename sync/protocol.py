"""Wire protocol v1, shared by the client and the reference backend (see PROTOCOL.md).

Standard library and ``fieldapp.domain`` only, so that the backend can import it without the
phone's store or requests. The client checks every reply strictly here: anything that does not
match exactly raises ``ProtocolError``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import ProtocolError

PROTOCOL_VERSION = 1
SCHEMA_VERSION = 1
APP_VERSION = "0.1.0"
API = "/v1"
VERSION_HEADER = "X-App-Version"
MAX_BATCH_ITEMS = 500
MAX_REQUEST_BYTES = 16 * 1024 * 1024
MAX_REPLY_BYTES = 4 * 1024 * 1024
MAX_REFERENCE_PAGE = 500
ITEM_STATUSES = ("accepted", "duplicate", "conflict", "rejected")
REFERENCE_KINDS = ("crisis_contact", "school", "agreement")
MAX_AGREEMENT_BYTES = 256 * 1024

_HEX64 = re.compile(r"[0-9a-f]{64}")
_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_CODE = re.compile(r"[a-z0-9_]{1,64}")


def canonical_json(value: Any) -> bytes:
    """The one byte form that is hashed: sorted keys, no spaces, UTF-8, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


HASH_DOMAIN = b"politikontakt/v1\x00"   # what an item's hash is prefixed with


def payload_hash(item: dict[str, Any]) -> str:
    """SHA-256 over everything in an item but its hash; binds the payload to the record id,
    its revision and the schema version (SECURITY.md CRYPTO-1)."""
    body = {k: item[k] for k in ("id", "kind", "revision", "schema", "record", "consents",
                                 "basis")}
    return hashlib.sha256(HASH_DOMAIN + canonical_json(body)).hexdigest()


def make_item(record_id: str, kind: str, revision: int, record: dict[str, Any],
              consents: list[dict[str, Any]], basis: str) -> dict[str, Any]:
    item = {"id": record_id, "kind": kind, "revision": revision, "schema": SCHEMA_VERSION,
            "record": record, "consents": consents, "basis": basis}
    item["hash"] = payload_hash(item)
    return item


def parse_version(text: str) -> tuple[int, ...] | None:
    parts = text.split(".") if isinstance(text, str) and len(text) <= 32 else []
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


# -- strict reply checking ------------------------------------------------------------------

def _obj(value: object, keys: set[str],
         optional: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError("expected an object")
    missing = keys - value.keys()
    extra = value.keys() - keys - optional
    if missing or extra:
        raise ProtocolError("unexpected or missing keys")
    return value


def _str(value: Any, limit: int = 200, *, pattern: re.Pattern[str] | None = None) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ProtocolError("expected a short string")
    if pattern is not None and not pattern.fullmatch(value):
        raise ProtocolError("string has the wrong form")
    return value


def _int(value: Any, low: int = 0, high: int = 2**53) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ProtocolError("expected an integer in range")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ProtocolError("expected a boolean")
    return value


def _opt_str(value: Any, limit: int = 200) -> str:
    return "" if value is None else _str(value, limit)


@dataclass(frozen=True)
class ItemResult:
    id: str
    revision: int
    hash: str
    status: str
    reason: str


def parse_push_reply(reply: Any) -> list[ItemResult]:
    return [ItemResult(r.id, r.revision, _str(raw["hash"], 64, pattern=_HEX64), r.status,
                       r.reason)
            for r, raw in _item_results(reply, {"hash"}, ITEM_STATUSES)]


def _item_results(reply: Any, extra: set[str], statuses: Any,
                  ) -> list[tuple[TombstoneResult, dict[str, Any]]]:
    """Per-item results (id, revision, status, reason and the ``extra`` keys), each with its
    raw object; ProtocolError when the list, a key, a status or a value is off."""
    body = _obj(reply, {"results"})
    if not isinstance(body["results"], list) or len(body["results"]) > MAX_BATCH_ITEMS:
        raise ProtocolError("results must be a list")
    out = []
    for raw in body["results"]:
        r = _obj(raw, {"id", "revision", "status", "reason", *extra})
        status = _str(r["status"], 20)
        if status not in statuses:
            raise ProtocolError("unknown item status")
        reason = "" if r["reason"] is None else _str(r["reason"], 64, pattern=_CODE)
        out.append((TombstoneResult(_str(r["id"], 64, pattern=_ID), _int(r["revision"], 1),
                                    status, reason), r))
    return out


@dataclass(frozen=True)
class EnrolReply:
    token: str
    device_id: str
    device_name: str
    municipality: str
    recipient: str
    server_name: str


def parse_enrol_reply(reply: Any, recipients: tuple[str, ...]) -> EnrolReply:
    r = _obj(reply, {"token", "device_id", "device_name", "municipality", "recipient",
                     "server_name"})
    token = _str(r["token"], 200)
    if len(token) < 32:
        raise ProtocolError("token too short")
    recipient = _str(r["recipient"], 20)
    if recipient not in recipients:
        raise ProtocolError("unknown recipient")
    return EnrolReply(token, _str(r["device_id"], 64, pattern=_ID), _str(r["device_name"]),
                      _str(r["municipality"], 64), recipient, _str(r["server_name"]))


@dataclass(frozen=True)
class ReferenceItem:
    seq: int
    kind: str
    id: str
    deleted: bool
    data: dict[str, Any]


_CONTACT_KEYS = {"name", "role", "organisation", "phone", "email", "last_verified"}


def _reference_data(kind: str, raw: Any, deleted: bool) -> dict[str, Any]:
    if deleted:
        return dict(_obj(raw, set()))
    if kind == "school":
        return {"name": _str(_obj(raw, {"name"})["name"]).strip() or _fail("empty school")}
    if kind == "agreement":  # its content is checked by fieldapp.domain.agreement on apply
        if not isinstance(raw, dict) or len(canonical_json(raw)) > MAX_AGREEMENT_BYTES:
            raise ProtocolError("an agreement must be a small object")
        return dict(raw)
    data = _obj(raw, _CONTACT_KEYS)
    out = {k: _opt_str(data[k]) for k in _CONTACT_KEYS - {"last_verified"}}
    verified = data["last_verified"]
    if verified is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", _str(verified, 10)):
        raise ProtocolError("last_verified must be a date")
    out["last_verified"] = verified
    return out


def _fail(message: str) -> Any:
    raise ProtocolError(message)


def parse_reference_reply(reply: Any, cursor: int) -> tuple[list[ReferenceItem], int, bool]:
    body = _obj(reply, {"items", "cursor", "more"})
    items_raw = body["items"]
    if not isinstance(items_raw, list) or len(items_raw) > MAX_REFERENCE_PAGE:
        raise ProtocolError("items must be a short list")
    items = []
    for raw in items_raw:
        r = _obj(raw, {"seq", "kind", "id", "deleted", "data"})
        kind = _str(r["kind"], 20)
        if kind not in REFERENCE_KINDS:
            raise ProtocolError("unknown reference kind")
        seq = _int(r["seq"], cursor + 1)
        deleted = _bool(r["deleted"])
        items.append(ReferenceItem(seq, kind, _str(r["id"], 64, pattern=_ID), deleted,
                                   _reference_data(kind, r["data"], deleted)))
    next_cursor = _int(body["cursor"], cursor)
    if items and next_cursor < max(i.seq for i in items):
        raise ProtocolError("cursor behind the items")
    return items, next_cursor, _bool(body["more"])


def parse_error_body(reply: Any) -> tuple[str, str]:
    """(code, min_version) from an error body; ("", "") when it is not one of ours."""
    try:
        err = reply["error"]
        code = _str(err["code"], 64, pattern=_CODE)
        min_version = err.get("min_version", "")
        return code, min_version if isinstance(min_version, str) and len(min_version) < 32 \
            else ""
    except (KeyError, TypeError, ProtocolError, AttributeError):
        return "", ""


# -- tombstones (deletions) -----------------------------------------------------------------

TOMBSTONE_STATUSES = ("accepted", "duplicate", "rejected")
TOMBSTONE_KEYS = ("id", "kind", "revision", "municipality")


@dataclass(frozen=True)
class TombstoneResult:
    id: str
    revision: int
    status: str
    reason: str


def parse_tombstone_reply(reply: Any) -> list[TombstoneResult]:
    """The backend's per-item results for ``POST /v1/tombstones``; ProtocolError if off."""
    out = [r for r, _ in _item_results(reply, set(), TOMBSTONE_STATUSES)]
    if len({r.id for r in out}) != len(out):
        raise ProtocolError("duplicate results")
    return out
