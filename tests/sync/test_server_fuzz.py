"""Schema-driven fuzzing of the backend: every operation of ``app.openapi()``, every input.

Like schemathesis, without it: the schema's parameters and request bodies are walked and
hypothesis builds values that fit them — and values that do not (integers past SQLite's 64
bits, negative, floats, NaN, odd Unicode, NUL, lone surrogates, overlong strings, wrong
types, missing and extra fields), with no, a wrong and a valid token. Whatever comes in, the
answer is below 500, and an error is JSON with a code and a message. Modest example counts.
"""

from __future__ import annotations

import contextlib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from fieldapp.domain import Observation, to_dict
from sync.protocol import make_item, payload_hash
from sync.server import admin
from sync.server.app import create_app, redeem_code

EXAMPLES = 25
HUGE_INTS = [2**63, 2**63 - 1, 2**64, -(2**63) - 1, -1, 0, 10**30, -(10**30)]
ODD_TEXT = ["", " ", "\x00", "a\x00b", "\u202eevil", "\ud800", "\U0001f4a9" * 3, "１２３",
            "٣", "NaN", "Infinity", "-0", "1e309", "0x10", "9" * 40, "x" * 70_000,
            "'; DROP TABLE audit; --", "../../etc/passwd", "%00", "\u00ad", "e\u0301"]


def _hostile() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.sampled_from(HUGE_INTS), st.integers(), st.sampled_from(ODD_TEXT),
                        st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                        st.none(), st.text(max_size=30))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _fitting(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0
             ) -> st.SearchStrategy[Any]:
    """Values that fit ``schema`` (mostly): what gets a request past validation."""
    schema = _resolve(schema, spec)
    if "anyOf" in schema:
        return st.one_of([_fitting(s, spec, depth) for s in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        edges = [n for n in (low, high) if n is not None]
        return st.integers(low, high) | st.sampled_from(
            edges + [n + d for n in edges for d in (-1, 1)] + HUGE_INTS)
    if kind == "number":
        return st.floats(schema.get("minimum"), schema.get("maximum"), allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return st.text(min_size=schema.get("minLength", 0),
                       max_size=min(schema.get("maxLength", 40), 40))
    if kind == "array":
        items = _value(schema.get("items", {}), spec, depth + 1)
        return st.just([]) if depth > 3 else st.lists(items, max_size=min(
            schema.get("maxItems", 3), 3))
    if kind == "object" or "properties" in schema:
        return st.just({}) if depth > 3 else _object(schema, spec, depth)
    return _hostile()


def _value(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0
           ) -> st.SearchStrategy[Any]:
    """Mostly fitting, sometimes hostile."""
    return st.one_of(_fitting(schema, spec, depth), _fitting(schema, spec, depth), _hostile())


@st.composite
def _object(draw: st.DrawFn, schema: dict[str, Any], spec: dict[str, Any],
                 depth: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        keep = draw(st.sampled_from(["fit", "fit", "fit", "hostile", "missing"]))
        if keep == "missing" or (name not in required and draw(st.booleans())):
            continue
        result[name] = draw(_hostile() if keep == "hostile" else _fitting(sub, spec, depth + 1))
    if draw(st.integers(0, 5)) == 0:
        result[draw(st.text(min_size=1, max_size=12))] = draw(_hostile())    # an extra field
    return result


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _url(path: str, params: dict[str, str]) -> str:
    """``path?query`` with every byte percent-encoded (a lone surrogate goes as the bytes
    Python would write for it: invalid UTF-8, which a hostile client can send); a value is
    cut at 8,000 characters, as URLs past 64 KiB are refused by the HTTP layer already."""
    def part(text: str) -> str:
        return quote(text[:8000].encode("utf-8", "surrogatepass"), safe="")
    return path + ("?" + "&".join(f"{part(k)}={part(v)}" for k, v in params.items())
                   if params else "")


def _body(operation: dict[str, Any], spec: dict[str, Any]) -> st.SearchStrategy[bytes | None]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return st.none() | st.binary(max_size=64)
    fitting = _value(content["schema"], spec).map(lambda v: json.dumps(v).encode())
    raw = st.sampled_from([b"", b"{", b"null", b"[]", b"\xff\xfe", b'{"items": NaN}',
                           b'{"items": [' + b"[" * 5000 + b"]" * 5000 + b"]}"])
    return st.one_of(fitting, fitting, fitting, raw, st.binary(max_size=200))


@st.composite
def _request(draw: st.DrawFn, path: str, method: str, operation: dict[str, Any],
             spec: dict[str, Any]) -> dict[str, Any]:
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        if not parameter.get("required") and draw(st.integers(0, 3)) == 0:
            continue
        value = _as_text(draw(_value(parameter["schema"], spec)))
        (query if parameter["in"] == "query" else headers)[parameter["name"]] = value
    if draw(st.integers(0, 4)) == 0:
        query[draw(st.text(min_size=1, max_size=10))] = _as_text(draw(_hostile()))
    headers["Content-Type"] = draw(st.sampled_from(
        ["application/json"] * 4 + ["text/plain", "application/json; charset=latin-1",
                                    "application/x-www-form-urlencoded", "multipart/form-data"]))
    return {"method": method.upper(), "url": _url(path, query), "headers": headers,
            "content": draw(_body(operation, spec))}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def client(request, tmp_path_factory):
    if request.param == "postgres":     # one database for the module, like the SQLite file
        cluster = request.getfixturevalue("postgres_cluster")
        target = cluster.create_database()
        request.addfinalizer(lambda: cluster.drop_database(target))
    else:
        target = tmp_path_factory.mktemp("fuzz") / "kommune.sqlite3"
    app = create_app(target)
    db = app.state.db
    admin.configure(db, municipality="1122")
    code = admin.new_enrolment_code(db, "telefon-1")
    reply = redeem_code(db, code, datetime.now(UTC))
    assert reply is not None
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.token = reply["token"]          # type: ignore[attr-defined]
        yield test_client


def _operations() -> list[tuple[str, str]]:
    app = create_app(":memory:")
    paths = app.openapi()["paths"]
    app.state.db.close()
    return [(path, method) for path, item in paths.items() for method in item]


def check_answer(reply: httpx.Response) -> None:
    assert reply.status_code < 500, (reply.status_code, reply.text[:300])
    if reply.status_code >= 400:
        error = reply.json()["error"]
        assert all(isinstance(error[k], str) and error[k] for k in ("code", "message"))


@pytest.mark.parametrize("auth", ["none", "wrong", "valid"])
@pytest.mark.parametrize("path, method", _operations())
def test_no_input_makes_the_backend_fail(client, path, method, auth):
    spec = client.app.openapi()
    operation = spec["paths"][path][method]
    tokens = {"none": None, "wrong": "Bearer " + "A" * 43, "valid": f"Bearer {client.token}"}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    @given(_request(path, method, operation, spec))
    def fuzz(request: dict[str, Any]) -> None:
        headers = dict(request.pop("headers"))
        headers.setdefault("X-App-Version", "0.1.0")
        if tokens[auth]:
            headers["Authorization"] = tokens[auth]
        try:
            built = client.build_request(headers=headers, **request)
        except (httpx.InvalidURL, httpx.LocalProtocolError, UnicodeEncodeError, TypeError):
            assume(False)       # a request no HTTP client can send
            return
        check_answer(client.send(built))

    fuzz()


SWEEP = [*HUGE_INTS, *ODD_TEXT, 1.5, -0.0, float("nan"), float("inf"), True, None, [], {},
         [1, "a"], {"a": {"b": []}}]
CHEAP = {"format": "csv"}           # the sweep renders the report as CSV, not PDF, each time


def _minimal(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """The smallest value that fits ``schema``: the base the sweep changes one place of."""
    schema = _resolve(schema, spec)
    if "anyOf" in schema:
        return _minimal(schema["anyOf"][0], spec)
    kind = schema.get("type")
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "string":
        pattern = schema.get("pattern")
        candidates = ["0" * 64, "csv", "nb", "a" * max(1, schema.get("minLength", 1))]
        return next(c for c in candidates if not pattern or re.fullmatch(pattern, c))
    if kind == "boolean":
        return False
    if kind == "array":
        return [_minimal(schema.get("items", {}), spec)]
    return {name: _minimal(sub, spec) for name, sub in schema.get("properties", {}).items()
            if name in schema.get("required", [])}


def _places(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    places = [at] if at else []
    children = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else []
    for key, child in children:
        places += _places(child, (*at, key))
    return places


def _replaced(value: Any, at: tuple[Any, ...], new: Any, *, drop: bool = False) -> Any:
    if not at:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    if drop and len(at) == 1:
        del copy[at[0]]
    else:
        copy[at[0]] = _replaced(copy[at[0]], at[1:], new, drop=drop)
    return copy


def _real_push() -> dict[str, Any]:
    """A push of a real observation: the sweep then reaches the checks behind the schema."""
    seen = Observation(municipality="1122", place="Torget", categories={"unrest"},
                       youth_count=4, observed_at=datetime.now(UTC) - timedelta(hours=1))
    record = {k: v for k, v in to_dict(seen).items()
              if k != "sync_state" and v not in ("", [], None)}
    return {"items": [make_item(seen.id, seen.kind, 1, {**record, "revision": 1}, [], "")]}


def _rehashed(body: Any, place: tuple[Any, ...]) -> Any:
    """A forged client that changes a pushed item recomputes its hash, so that the change
    is judged on its content, not on a hash mismatch."""
    with contextlib.suppress(KeyError, IndexError, TypeError, ValueError):
        if "hash" not in place:
            body["items"][0]["hash"] = payload_hash(body["items"][0])
    return body


@pytest.mark.parametrize("path, method", _operations())
def test_every_place_of_every_operation_takes_every_hostile_value(client, path, method):
    """The deterministic half: each parameter and each place in the body, one at a time,
    gets each hostile value (and goes missing), with a valid token."""
    spec = client.app.openapi()
    operation = spec["paths"][path][method]
    headers = {"X-App-Version": "0.1.0", "Authorization": f"Bearer {client.token}",
               "Content-Type": "application/json"}
    params = {p["name"]: _as_text(CHEAP.get(p["name"], _minimal(p["schema"], spec)))
              for p in operation.get("parameters", []) if p["in"] == "query"}
    for name in list(params):
        for value in SWEEP:
            check_answer(client.request(method, _url(path, {**params, name: _as_text(value)}),
                                        headers=headers))
        check_answer(client.request(method, _url(path, {k: v for k, v in params.items()
                                                        if k != name}), headers=headers))
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return
    base = _real_push() if path == "/v1/push" else _minimal(content["schema"], spec)
    for place in _places(base):
        for value in SWEEP:
            body = json.dumps(_rehashed(_replaced(base, place, value), place))
            check_answer(client.request(method, _url(path, params), headers=headers,
                                        content=body))
        body = json.dumps(_replaced(base, place, None, drop=True))
        check_answer(client.request(method, _url(path, params), headers=headers, content=body))


@pytest.mark.parametrize("url", [
    "/v1/reference?cursor=9223372036854775808", "/v1/reference?cursor=-1",
    "/v1/reference?cursor=1.5", "/v1/reference?cursor=%00", "/v1/reference?limit=99999999999",
    "/v1/report?year=99999999999999999999", "/v1/%00", "/v1/" + "a" * 10_000,
    "/v1/reference?cursor=\uff11"])
def test_known_bad_inputs_get_a_reason(client, url):
    reply = client.get(url, headers={"X-App-Version": "0.1.0",
                                     "Authorization": f"Bearer {client.token}"})
    check_answer(reply)
    assert 400 <= reply.status_code < 500 and re.match(r"^[a-z_]+$", reply.json()["error"]["code"])
