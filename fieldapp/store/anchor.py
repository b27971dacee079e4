"""The commit anchor: where the log stood after its last acknowledged write, kept outside it.

A torn last frame is a write that was never acknowledged; a log that ends *before* the last
acknowledged write (cut short, or an older copy put back) is not. The frames alone cannot tell
the two apart, so every acknowledged write also records, as an authenticated key-store value
(:mod:`fieldapp.store.values`, scope = the log's file name)::

    {"file": mark, "next": mark | null}     mark = {file id, frame count, SHA-256 of the
                                                    last acknowledged frame's bytes}

On open the log must hold at least ``file.count`` whole frames and its frame number
``count - 1`` must hash to the recorded digest; a log with another file id is an older copy.
``next`` is written (under the storage lock) before a compaction replaces the file and names
the new file at a prefix of its frames; writes to the old file meanwhile keep it, so a crash on
either side of the ``os.replace`` opens cleanly. A log that is *longer* than the
anchor is the one write whose anchor update a crash interrupted (the frame is fsynced before
the anchor is written): it is accepted and the anchor moved up to it.

No anchor at all for an existing log means the log was written by a version without anchors:
it is accepted once and the anchor created (migration). A missing log with an anchor present
is refused (``missing_log``): an empty new log is never created in its place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from .errors import StoreDamaged
from .values import BadValue, ValueBox

VALUE_KIND = "anchor"


@dataclass(frozen=True)
class Mark:
    file_id: bytes
    count: int
    digest: bytes

    def to_json(self) -> dict[str, str | int]:
        return {"id": self.file_id.hex(), "count": self.count, "digest": self.digest.hex()}

    @classmethod
    def from_json(cls, value: object) -> Mark:
        if not isinstance(value, dict):
            raise BadValue()
        try:
            mark = cls(bytes.fromhex(value["id"]), value["count"], bytes.fromhex(value["digest"]))
        except (TypeError, KeyError, ValueError):
            raise BadValue() from None
        if type(mark.count) is not int or mark.count < 1 or len(mark.digest) != 32:
            raise BadValue()
        return mark


def frame_digest(frame: bytes | memoryview) -> bytes:
    return hashlib.sha256(frame).digest()


def _refused(reason: str) -> StoreDamaged:
    messages = {
        "rolled_back": "The logbook file is older than the last one written; it was left "
        "untouched.",
        "truncated": "The logbook file is shorter than the last one written; it was left "
        "untouched.",
        "missing_log": "The logbook file is missing.",
    }
    return StoreDamaged(reason, messages[reason])


class CommitAnchor:
    """The anchor of one log file (by name) of one logbook."""

    def __init__(self, box: ValueBox, log_name: str) -> None:
        self._box = box
        self._scope = log_name
        self.name = box.name(VALUE_KIND, log_name)
        self.current: Mark | None = None
        self.pending: Mark | None = None

    def load(self) -> bool:
        """Read the anchor; False when there is none. BadValue if it does not authenticate."""
        value = self._box.read(VALUE_KIND, self._scope)
        if value is None:
            self.current = self.pending = None
            return False
        self.current = Mark.from_json(value.get("file"))
        nxt = value.get("next")
        self.pending = None if nxt is None else Mark.from_json(nxt)
        return True

    def refuse_missing_log(self) -> None:
        if self.load():
            raise _refused("missing_log")

    def check(self, file_id: bytes, count: int | None = None,
              frame_at: Callable[[int], bytes | memoryview] | None = None) -> None:
        """Refuse a log with another file id, or (given its ``count`` whole frames and access
        to frame i) one that ends before the anchored frame or holds another frame there.
        Does nothing without an anchor."""
        if self.current is None:
            return
        mark = next((m for m in (self.current, self.pending) if m and m.file_id == file_id),
                    None)
        if mark is None:
            raise _refused("rolled_back")
        if count is None or frame_at is None:
            return
        if count < mark.count:
            raise _refused("truncated")
        if frame_digest(frame_at(mark.count - 1)) != mark.digest:
            raise _refused("rolled_back")

    def record(self, mark: Mark, pending: Mark | None = None) -> None:
        """Durably move the anchor to ``mark`` (and ``pending``, during a compaction)."""
        value = {"file": mark.to_json(), "next": None if pending is None else pending.to_json()}
        self._box.write(VALUE_KIND, value, self._scope)
        self.current, self.pending = mark, pending

    def advance(self, mark: Mark) -> None:
        """An acknowledged write: move the anchor to ``mark``, keeping a ``next`` mark that
        names another file (a compaction's new file, about to replace this one)."""
        pending = self.pending
        self.record(mark, pending if pending and pending.file_id != mark.file_id else None)

    def settle(self, mark: Mark) -> None:
        """After an open: record ``mark`` unless the anchor already says exactly that."""
        if self.current != mark or self.pending is not None:
            self.record(mark)
