"""NETWORK: TLS verified always, the environment cannot swap the trust store, optional CA and
fingerprint pinning, and http:// refused except to loopback before any socket opens."""

from __future__ import annotations

import hashlib
import ipaddress
import socket
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from fieldapp.domain import Observation, SyncState
from sync import enrol, sync_now
from sync.enrolment import Enrolment, save_enrolment
from sync.errors import InsecureUrl, TlsRefused
from sync.ledger import Ledger
from sync.transport import check_url
from tests.support.backend import Backend


def _name(text):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _certs(directory):
    """A private CA and a server certificate for 127.0.0.1 signed by it."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Ukjent CA")).issuer_name(_name("Ukjent CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                       x509.DNSName("localhost")])
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(san, critical=False).sign(ca_key, hashes.SHA256()))
    paths = {name: directory / f"{name}.pem" for name in ("ca", "cert", "key")}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    fingerprint = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
    return paths, fingerprint


@pytest.fixture(scope="module")
def tls_backend(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")
    paths, fingerprint = _certs(directory)
    backend = Backend(directory / "kommune.sqlite3", ssl_certfile=str(paths["cert"]),
                      ssl_keyfile=str(paths["key"])).start()
    yield backend, paths["ca"], fingerprint
    backend.stop()


def test_certificate_from_another_ca_is_refused_despite_the_environment(
        lb, tls_backend, monkeypatch):
    backend, ca_file, _ = tls_backend
    for variable in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        monkeypatch.setenv(variable, str(ca_file))
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    code = backend.code()
    with pytest.raises(TlsRefused):
        enrol(lb, backend.url, code)
    assert Ledger(lb).enrolments_raw() == []


def test_a_configured_ca_file_and_fingerprint_pin(lb, tls_backend):
    backend, ca_file, fingerprint = tls_backend
    with pytest.raises(TlsRefused):
        enrol(lb, backend.url, backend.code(), ca_file=str(ca_file), fingerprint="ab" * 32)
    enrolment = enrol(lb, backend.url, backend.code(), ca_file=str(ca_file),
                      fingerprint=":".join(fingerprint[i:i + 2] for i in range(0, 64, 2)))
    assert enrolment.fingerprint == fingerprint
    rid = lb.add(Observation(place="Torget"))
    report = sync_now(lb, timeout=(2, 5), retries=0)
    assert report.sent == [rid]


@pytest.fixture
def no_sockets(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize("url", [
    "http://example.org", "http://example.org:80/slt", "ftp://127.0.0.1", "https://user:pw@x.no",
    "http://127.0.0.1.example.org", "javascript:alert(1)", "", "https://", "http://[::1",
])
def test_insecure_or_unusable_urls_are_refused_before_any_socket(lb, no_sockets, url):
    with pytest.raises(InsecureUrl):
        enrol(lb, url, "ABCD-EFGH-JKMN")


def test_loopback_http_is_allowed():
    assert check_url("http://127.0.0.1:8700/") == "http://127.0.0.1:8700"
    assert check_url("http://localhost:8700") == "http://localhost:8700"
    assert check_url("http://[::1]:8700") == "http://[::1]:8700"
    assert check_url("HTTPS://slt.gjesdal.kommune.no/api/") == \
        "https://slt.gjesdal.kommune.no/api"


def test_a_stored_http_enrolment_is_refused_at_sync_time_too(lb, no_sockets):
    save_enrolment(lb, Enrolment(url="http://example.org", municipality="", recipient="slt",
                                 device_id="d", device_name="t", server_name="s",
                                 token="t" * 43))
    rid = lb.add(Observation(place="Torget"))
    report = sync_now(lb, retries=0)
    assert report.errors == {"": "insecure_url"}
    assert lb.get(rid).sync_state == SyncState.FAILED
