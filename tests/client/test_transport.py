"""The pinned mutual-TLS transport and the typed errors, against real TLS on loopback."""

from __future__ import annotations

import datetime as dt
import gc
import http.server
import os
import socket
import ssl
import threading
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desktop import errors
from desktop.sync import transport
from desktop.sync.transport import DeviceIdentity, Transport

NOW = dt.datetime.now(dt.timezone.utc)


# --- a small PKI made in the test -----------------------------------------------------------


def make_ca(name: str = "Test Org CA"):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1))
        .not_valid_after(NOW + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue(ca_key, ca_cert, name: str, *, server: bool, not_before=None, not_after=None, key=None):
    key = key or ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - dt.timedelta(hours=1))
        .not_valid_after(not_after or NOW + dt.timedelta(days=10))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
        ).add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    else:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
    return key, builder.sign(ca_key, hashes.SHA256())


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        body = b'{"status": "ok", "server_time": "2026-01-01T00:00:00Z"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def tls_server(tmp_path):
    """Start an HTTPS server on loopback: `start(server_ca, client_ca)` → https URL."""
    servers = []

    def start(server_ca, client_ca=None):
        ca_key, ca_cert = server_ca
        key, cert = issue(ca_key, ca_cert, "localhost", server=True)
        (tmp_path / "server.pem").write_bytes(
            pem(cert)
            + key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.load_cert_chain(tmp_path / "server.pem")
        if client_ca is not None:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(cadata=pem(client_ca[1]).decode())
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=True)
        server.handle_error = lambda *a: None  # refused handshakes are the point of some tests
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"https://localhost:{server.server_address[1]}"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the SSL context ------------------------------------------------------------------------


def test_context_trusts_only_the_pinned_ca_and_tls13_seed_L1():
    _, ca = make_ca()
    context = transport.build_ssl_context(pem(ca))
    assert context.minimum_version == ssl.TLSVersion.TLSv1_3
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    trusted = context.get_ca_certs()
    assert len(trusted) == 1 and dict(x[0] for x in trusted[0]["subject"])["commonName"] == "Test Org CA"


def test_http_url_is_refused_before_any_connection_seed_L1():
    _, ca = make_ca()
    with pytest.raises(errors.InsecureServerUrl):
        Transport("http://localhost:1", pem(ca))
    for bad in ("ftp://x", "https://", "localhost:8443", "https://x:notaport"):
        with pytest.raises(errors.InvalidServerUrl):
            transport.normalise_server_url(bad)
    assert transport.normalise_server_url(" https://Host:8443/ ") == "https://Host:8443"


def test_a_ca_file_that_is_not_a_ca_certificate_is_refused(tmp_path):
    ca_key, ca = make_ca()
    _, leaf = issue(ca_key, ca, "leaf", server=True)
    for not_a_ca in (b"", b"garbage", pem(leaf)):
        with pytest.raises(errors.InvalidCaFile):
            transport.build_ssl_context(not_a_ca)


def test_device_key_reaches_tls_only_encrypted_and_leaves_no_file(tmp_path, monkeypatch):
    ca_key, ca = make_ca()
    key, cert = issue(ca_key, ca, "device", server=False)
    monkeypatch.setattr(transport.tempfile, "tempdir", str(tmp_path))
    seen = {}
    original = ssl.SSLContext.load_cert_chain

    def spy(self, certfile, keyfile=None, password=None):
        seen["mode"] = os.stat(certfile).st_mode & 0o777
        seen["content"] = open(certfile, "rb").read()
        return original(self, certfile, keyfile, password)

    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", spy)
    transport.build_ssl_context(pem(ca), DeviceIdentity(pem(cert), key))
    assert seen["mode"] == 0o600
    assert b"ENCRYPTED PRIVATE KEY" in seen["content"] and b"BEGIN PRIVATE KEY" not in seen["content"]
    assert list(tmp_path.iterdir()) == []


# --- certificate judgement ---------------------------------------------------------------------


def test_device_certificate_judged_from_the_certificate_itself():
    ca_key, ca = make_ca()
    _, other_ca = make_ca("Other CA")
    _, fine = issue(ca_key, ca, "d", server=False)
    _, expired = issue(
        ca_key, ca, "d", server=False, not_before=NOW - dt.timedelta(days=20), not_after=NOW - dt.timedelta(days=1)
    )
    _, future = issue(ca_key, ca, "d", server=False, not_before=NOW + dt.timedelta(days=1))
    assert transport.judge_device_certificate(fine, ca) is None
    assert isinstance(transport.judge_device_certificate(expired, ca), errors.DeviceCertificateExpired)
    assert isinstance(transport.judge_device_certificate(future, ca), errors.DeviceCertificateNotYetValid)
    assert isinstance(transport.judge_device_certificate(fine, other_ca), errors.DeviceCertificateNotAccepted)


# --- problem codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, code, expected",
    [
        (403, "no-secure-connection", errors.NoSecureConnection),
        (403, "device-certificate-required", errors.DeviceCertificateRequired),
        (403, "device-revoked", errors.DeviceRevoked),
        (401, "invalid-credentials", errors.WrongPassword),
        (403, "password-change-required", errors.PasswordChangeRequired),
        (401, "unauthenticated", errors.SessionExpired),
        (400, "enrollment-failed", errors.EnrollmentFailed),
        (409, "conflict", errors.RequestRefused),
        (500, None, errors.ServiceError),
    ],
)
def test_problem_codes_become_typed_errors(status, code, expected):
    error = errors.error_from_problem(status, {"code": code} if code else "<html>")
    assert type(error) is expected
    assert error.message().endswith(".") and "\n" not in error.message()


def test_locked_account_message_names_who_can_help_seed_L4():
    contacts = {
        "organisation": "Gemeente Zaanstad",
        "local_admin": {"name": "Ria Beheer", "email": "beheer@zaanstad.example", "phone": "075-1234567"},
        "helpdesk": {"name": "Helpdesk MensCentraal", "phone": "085-4899080", "email": "helpdesk@example"},
    }
    error = errors.error_from_problem(423, {"code": "account-locked", "contacts": contacts})
    assert isinstance(error, errors.AccountLocked)
    text = error.message()
    assert "Ria Beheer" in text and "075-1234567" in text and "085-4899080" in text
    assert error.to_json()["contacts"] == contacts


def test_second_way_of_no_secure_connection_names_what_is_missing_seed_L2():
    outside = errors.error_from_problem(403, {"code": "no-secure-connection"})
    inside = errors.error_from_problem(403, {"code": "device-certificate-required"})
    assert set(outside.missing) == {"gemnet", "allowlisted-workplace", "mobiel-werken"}
    assert inside.missing == ("mobiel-werken",)
    assert "Gemnet" in outside.message() and "Mobiel Werken" in inside.message()


# --- real connections ----------------------------------------------------------------------------


def test_connection_refused_is_typed():
    _, ca = make_ca()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Transport(f"https://127.0.0.1:{port}", pem(ca)) as client, pytest.raises(errors.ConnectionRefused):
        client.get_json("/health", authenticated=False)


def test_pinned_ca_accepts_the_right_server(tls_server):
    ca = make_ca()
    url = tls_server(ca)
    with Transport(url, pem(ca[1])) as client:
        assert client.get_json("/health", authenticated=False)["status"] == "ok"


def test_a_read_answer_is_freed_when_dropped_not_at_the_next_full_collection_issue19(tls_server):
    """A sync page's answer must not wait for the cyclic collector (paused during a first sync)."""
    ca = make_ca()
    url = tls_server(ca)
    with Transport(url, pem(ca[1])) as client:
        gc.collect()
        gc.disable()
        try:
            response = client.request("GET", "/health", authenticated=False)
            assert response.json()["status"] == "ok"
            answer = weakref.ref(response)
            del response
            assert answer() is None, "the answer lives on in a reference cycle"
        finally:
            gc.enable()


def test_server_certificate_from_another_ca_is_refused(tls_server):
    url = tls_server(make_ca("Impostor CA"))
    _, ours = make_ca()
    with Transport(url, pem(ours)) as client, pytest.raises(errors.ServerCertificateUntrusted):
        client.get_json("/health", authenticated=False)


def test_expired_device_certificate_is_named_although_tls13_only_closes(tls_server):
    ca = make_ca()
    url = tls_server(ca, client_ca=ca)
    key, expired = issue(
        *ca, "device", server=False, not_before=NOW - dt.timedelta(days=20), not_after=NOW - dt.timedelta(days=1)
    )
    with Transport(url, pem(ca[1]), DeviceIdentity(pem(expired), key)) as client:
        with pytest.raises(errors.DeviceCertificateExpired):
            client.get_json("/health", authenticated=False)


def test_device_certificate_of_another_ca_is_not_accepted(tls_server):
    ca = make_ca()
    url = tls_server(ca, client_ca=ca)
    key, foreign = issue(*make_ca("Foreign"), "device", server=False)
    with Transport(url, pem(ca[1]), DeviceIdentity(pem(foreign), key)) as client:
        with pytest.raises(errors.DeviceCertificateNotAccepted):
            client.get_json("/health", authenticated=False)


def test_a_certificate_that_does_not_match_the_key_is_a_typed_error():
    ca_key, ca = make_ca()
    _, cert = issue(ca_key, ca, "device", server=False)
    other_key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(errors.DeviceCertificateNotAccepted):
        transport.build_ssl_context(pem(ca), DeviceIdentity(pem(cert), other_key))


def test_core_runs_without_qt_widgets():
    import subprocess
    import sys

    code = (
        "import sys, desktop.cli, desktop.session, desktop.sync.doctor, desktop.sync.enrollment; "
        "assert 'PySide6.QtWidgets' not in sys.modules and 'PySide6.QtGui' not in sys.modules"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    )


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["code", "contacts", "invalidParams", "local_admin", "helpdesk", "name", "phone", "reason"]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)
CODES = st.sampled_from(["account-locked", "password-policy", "device-revoked", "conflict", "", "x"])


@settings(max_examples=200, deadline=None)
@given(status=st.integers(min_value=400, max_value=599), body=JSON, code=CODES)
def test_any_error_answer_becomes_one_typed_sentence(status, body, code):
    if isinstance(body, dict) and code:
        body = {**body, "code": code}
    error = errors.error_from_problem(status, body)
    assert isinstance(error, errors.ClientError)
    text = error.message()
    assert text and "\n" not in text and "Traceback" not in text


def test_unknown_host_name_is_a_dns_error():
    _, ca = make_ca()
    with Transport("https://menscentraal.invalid", pem(ca)) as client, pytest.raises(errors.NameNotResolved):
        client.get_json("/health", authenticated=False)
