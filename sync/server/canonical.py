"""Canonical JSON computed once per pushed item (the intake's helper).

``hashed(item)`` is ``protocol.payload_hash(item)`` together with the canonical JSON of the
item's record, so that the record is encoded once for the hash check. ``same_json(a, b)`` says
whether two JSON values encode to the same canonical bytes; when what the consent gate lets go
is the very record received (the usual case), the intake stores those bytes instead of
encoding the checked payload again. Anything else is encoded from the checked payload.
"""

from __future__ import annotations

import hashlib
from json.encoder import encode_basestring
from typing import Any

from ..protocol import HASH_DOMAIN, canonical_json


def hashed(item: dict[str, Any]) -> tuple[str, bytes]:
    """``protocol.payload_hash(item)`` and the canonical JSON of ``item["record"]``. The body
    is put together from its keys in sorted order, each value canonical: byte for byte what
    ``canonical_json`` makes of the whole body (the tests hold the two together)."""
    record_json = canonical_json(item["record"])
    body = b"".join((b'{"basis":', _value(item["basis"]),
                     b',"consents":', _value(item["consents"]),
                     b',"id":', _value(item["id"]),
                     b',"kind":', _value(item["kind"]),
                     b',"record":', record_json,
                     b',"revision":', _value(item["revision"]),
                     b',"schema":', _value(item["schema"]), b"}"))
    return hashlib.sha256(HASH_DOMAIN + body).hexdigest(), record_json


def _value(value: Any) -> bytes:
    """``canonical_json(value)``, with the envelope's usual types spelt out (as the encoder
    spells them: a string by ``encode_basestring``, an int by its ``repr``)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value).encode("utf-8")
    if kind is int:
        return repr(value).encode("ascii")
    if kind is list and not value:
        return b"[]"
    return canonical_json(value)


_SCALARS = frozenset({str, int, bool, type(None)})


def same_json(a: object, b: object) -> bool:
    """Whether two JSON values have the same canonical JSON: equal, and of the same type at
    every depth (``1``, ``1.0`` and ``True`` are equal in Python, not on the wire). A value of
    any other type is never the same (the caller then encodes it)."""
    kind = type(a)
    if kind is not type(b):
        return False
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return False
        for key, value in a.items():
            other = b[key]
            if type(value) in _SCALARS:   # the common case, without a call
                if type(other) is not type(value) or value != other:
                    return False
            elif not same_json(value, other):
                return False
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(same_json, a, b))
    if isinstance(a, float):
        return repr(a) == repr(b)   # 0.0 and -0.0
    return kind in _SCALARS and a == b
