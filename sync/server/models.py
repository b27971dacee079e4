"""Request and reply bodies of protocol v1 as pydantic models (they make /openapi.json)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from ..protocol import MAX_BATCH_ITEMS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class EnrolRequest(_Strict):
    code: StrictStr = Field(min_length=1, max_length=64,
                            description="The one-time code printed by `enrol`.")
    device_name: StrictStr = Field(default="", max_length=100)


class EnrolReply(_Strict):
    token: str = Field(description="The device token; send as `Authorization: Bearer`.")
    device_id: str
    device_name: str
    municipality: str = Field(description="Municipality code; empty: takes any.")
    recipient: str = Field(description="Recipient code the consent gate checks against.")
    server_name: str


class StatusReply(_Strict):
    protocol: int
    server_name: str
    municipality: str
    recipient: str
    min_app_version: str
    server_time: str
    device_name: str


class PushItem(_Strict):
    id: StrictStr = Field(min_length=1, max_length=64)
    kind: StrictStr = Field(max_length=40)
    revision: StrictInt = Field(ge=1, le=2**53)
    schema_version: StrictInt = Field(alias="schema")
    hash: StrictStr = Field(pattern=r"^[0-9a-f]{64}$",
                            description="SHA-256 over the canonical item (PROTOCOL.md).")
    record: dict[str, Any] = Field(description="The record as the consent gate let it go.")
    consents: list[dict[str, Any]] = Field(default_factory=list, max_length=20)
    basis: StrictStr = Field(default="", max_length=100)

    def wire(self) -> dict[str, Any]:
        """The item as it came (``schema`` by its wire name), from the values just checked:
        what ``model_dump(by_alias=True)`` gives, without copying the record once more
        (~2 ms of a 200-item batch)."""
        return {"id": self.id, "kind": self.kind, "revision": self.revision,
                "schema": self.schema_version, "hash": self.hash, "record": self.record,
                "consents": self.consents, "basis": self.basis}


class PushRequest(_Strict):
    items: list[PushItem] = Field(max_length=MAX_BATCH_ITEMS)


class ItemResult(_Strict):
    id: str
    revision: int
    hash: str
    status: str = Field(description="accepted | duplicate | conflict | rejected")
    reason: str | None = None


class PushReply(_Strict):
    results: list[ItemResult]


class ReferenceItem(_Strict):
    seq: int
    kind: str = Field(description="crisis_contact | school | agreement")
    id: str
    deleted: bool
    data: dict[str, Any]


class ReferenceReply(_Strict):
    items: list[ReferenceItem]
    cursor: int
    more: bool
