"""Helpers for the sync tests: fast client settings, a case with consent, a client that
forges requests, and fake replies. The backend on loopback is in ``tests.support.backend``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fieldapp.domain import Consent, FollowUpCase
from tests.support.backend import Backend

FAST = dict(timeout=(2.0, 5.0), retries=1, backoff=0.01)


def add_case_with_consent(lb, *, consent: bool = True, name: str = "Ola Nordmann",
                          **consent_kw) -> str:
    cid = lb.add(FollowUpCase(person_name=name, birth_date=date(2011, 3, 4),
                              concern="Skulker skolen", services={"skole"}))
    if consent:
        kw = dict(given_by="Kari Nordmann", recipients={"slt"}, purpose="SLT-oppfølging",
                  given_at=datetime.now(UTC) - timedelta(days=1))
        kw.update(consent_kw)
        lb.add(Consent(case_id=cid, **kw))
    return cid


class ForgedClient:
    """A client that talks the protocol directly, bypassing the phone's consent gate."""

    def __init__(self, backend: Backend, device: str = "forger"):
        import requests
        self.url = backend.url
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.headers["X-App-Version"] = "0.1.0"
        reply = self.session.post(self.url + "/v1/enrol", json={"code": backend.code(device)},
                                  timeout=5)
        reply.raise_for_status()
        self.session.headers["Authorization"] = "Bearer " + reply.json()["token"]

    def push(self, *items: dict) -> list[dict]:
        reply = self.session.post(self.url + "/v1/push", json={"items": list(items)},
                                  timeout=10)
        assert reply.status_code == 200, reply.text
        return reply.json()["results"]

    def close(self) -> None:
        self.session.close()


def fake_response(request, status: int, body: bytes,
                  content_type: str = "application/json", headers: dict | None = None):
    """A requests Response as an adapter would return it, streaming from memory."""
    import io

    import requests
    response = requests.Response()
    response.status_code = status
    response.raw = io.BytesIO(body)
    response.headers["Content-Type"] = content_type
    response.headers.update(headers or {})
    response.request = request
    response.url = request.url
    return response
