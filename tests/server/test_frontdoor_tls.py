"""The secure connection (seed L1, L2): TLS 1.3 only, mutual TLS, the device in the ASGI scope,
certificates of another CA or expired ones, revoked devices, device-bound tokens, the allowlist."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from server_stub.pki import OrganisationCA
from server_stub.tls import bind_socket, server_ssl_context, uvicorn_server
from tests.service_fixtures import API, enrolled_client, make_csr, mtls_client, plain_client, wait_until, write_key


def _handshake(service, context: ssl.SSLContext) -> ssl.SSLSocket:
    raw = socket.create_connection((service.host, service.port), timeout=5)
    return context.wrap_socket(raw, server_hostname="localhost")


def test_tls12_is_refused_seed_L1(service_module):
    context = ssl.create_default_context(cafile=str(service_module.ca_path))
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with pytest.raises(ssl.SSLError):
        _handshake(service_module, context).close()


def test_tls13_handshake_succeeds_with_pinned_ca_seed_L1(service_module):
    context = ssl.create_default_context(cafile=str(service_module.ca_path))
    with _handshake(service_module, context) as tls:
        assert tls.version() == "TLSv1.3"


def test_without_certificate_only_public_routes_answer_seed_L1(service_module):
    with plain_client(service_module) as client:
        health = client.get(f"{API}/health")
        assert health.status_code == 200
        assert set(health.json()) == {"status", "server_time"}
        enrollment = client.post(f"{API}/enrollments", json={"username": "x", "password": "y", "code": "z", "csr": "c"})
        assert enrollment.json()["code"] == "enrollment-failed"
        reset = client.post(f"{API}/password-resets", json={"username": "nobody"})
        assert reset.status_code == 202
        for method, path in [
            ("POST", "/sessions"),
            ("GET", "/admin/devices"),
            ("GET", "/devices/current/escrow"),
            ("GET", "/openapi.json"),
            ("GET", "/no-such-route"),
            ("DELETE", "/sessions/current"),
        ]:
            response = client.request(method, API + path)
            assert response.status_code == 403, path
            assert response.headers["content-type"] == "application/problem+json"
            body = response.json()
            assert body["code"] == "no-secure-connection"
            assert set(body) == {"type", "title", "status", "detail", "code"}  # never any data


def test_allowlist_inside_says_device_certificate_required_seed_L2(service_factory):
    inside = service_factory(config_changes={"network_allowlist": ("127.0.0.0/8",)})
    with plain_client(inside) as client:
        response = client.post(f"{API}/sessions", json={"username": "anouk", "password": "whatever-it-is"})
    assert response.status_code == 403
    assert response.json()["code"] == "device-certificate-required"


def test_allowlist_outside_says_no_secure_connection_seed_L2(service_factory):
    elsewhere = service_factory(config_changes={"network_allowlist": ("10.20.0.0/16",)})
    with plain_client(elsewhere) as client:
        response = client.get(f"{API}/admin/locked-accounts")
    assert response.json()["code"] == "no-secure-connection"


def test_certificate_of_another_ca_closes_the_connection_seed_L1(service_module, tmp_path):
    stranger = OrganisationCA.create("Andere CA")
    key, csr = make_csr()
    cert = stranger.sign_device_csr(csr, "dev-stranger")
    cert_path = tmp_path / "stranger.pem"
    cert_path.write_bytes(cert.public_bytes(Encoding.PEM))
    key_path = write_key(key, tmp_path / "stranger-key.pem")
    with mtls_client(service_module, cert_path, key_path) as client:
        with pytest.raises(httpx.TransportError):
            client.get(f"{API}/health")


def test_expired_certificate_closes_the_connection_seed_L1(service_module, tmp_path):
    ca = OrganisationCA.load(service_module.layout.ca_cert, service_module.layout.ca_key)
    key, csr = make_csr()
    past = datetime.now(timezone.utc) - timedelta(days=10)
    cert = ca.sign_device_csr(csr, "dev-expired", not_before=past, not_after=past + timedelta(days=7))
    cert_path = tmp_path / "expired.pem"
    cert_path.write_bytes(cert.public_bytes(Encoding.PEM))
    key_path = write_key(key, tmp_path / "expired-key.pem")
    with mtls_client(service_module, cert_path, key_path) as client:
        with pytest.raises(httpx.TransportError):
            client.get(f"{API}/health")


def test_certificate_from_our_ca_but_not_an_enrolled_device_is_refused_seed_L1(service_module, tmp_path):
    ca = OrganisationCA.load(service_module.layout.ca_cert, service_module.layout.ca_key)
    key, csr = make_csr()
    cert_path = tmp_path / "forged.pem"
    cert_path.write_bytes(ca.sign_device_csr(csr, "dev-never-enrolled").public_bytes(Encoding.PEM))
    key_path = write_key(key, tmp_path / "forged-key.pem")
    with mtls_client(service_module, cert_path, key_path) as client:
        response = client.post(
            f"{API}/sessions", json={"username": "anouk", "password": service_module.password("anouk")}
        )
    assert response.status_code == 403
    assert response.json()["code"] == "device-unknown"


def test_the_app_knows_which_device_a_request_came_over(service_module):
    with enrolled_client(service_module, "bram") as client:
        response = client.post(
            f"{API}/sessions", json={"username": "bram", "password": service_module.password("bram")}
        )
        assert response.status_code == 200
    logins = [e for e in service_module.audit_entries("user", service_module.user_id("bram")) if e["action"] == "login"]
    assert logins[-1]["device_id"] == client.device_id


def _echo_tls_app_server(service, tmp_path):
    """uvicorn with our context and protocol around an app that answers with its TLS extension."""

    async def echo(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        tls = scope.get("extensions", {}).get("tls", {})
        body = json.dumps({"chain": tls.get("client_cert_chain"), "version": tls.get("tls_version")}).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    layout = service.layout
    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn_server(
        echo,
        server_ssl_context(layout.server_cert, layout.server_key, layout.ca_cert),
        host="127.0.0.1",
        port=sock.getsockname()[1],
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: server.started, message="echo server")
    return server, thread, sock.getsockname()[1]


def test_protocol_puts_the_peer_certificate_in_the_asgi_tls_extension(service_module, tmp_path):
    server, thread, port = _echo_tls_app_server(service_module, tmp_path)
    try:
        with enrolled_client(service_module, "daan") as device:
            context = ssl.create_default_context(cafile=str(service_module.ca_path))
            context.load_cert_chain(str(device.cert_path), str(device.key_path))
            with httpx.Client(verify=context) as client:
                with_cert = client.get(f"https://127.0.0.1:{port}/").json()
        with httpx.Client(verify=ssl.create_default_context(cafile=str(service_module.ca_path))) as client:
            without_cert = client.get(f"https://127.0.0.1:{port}/").json()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    presented = x509.load_pem_x509_certificate(device.cert_path.read_bytes())
    received = x509.load_pem_x509_certificate(with_cert["chain"][0].encode())
    assert received == presented
    assert received.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == device.device_id
    assert with_cert["version"] == 0x0304
    assert without_cert["chain"] == []


def test_token_over_another_devices_connection_is_refused(service_module):
    with enrolled_client(service_module, "eva", login=True) as first, enrolled_client(service_module, "eva") as second:
        assert first.get(f"{API}/devices/current/escrow").status_code == 200
        stolen = {"Authorization": first.headers["Authorization"]}
        response = second.get(f"{API}/devices/current/escrow", headers=stolen)
    assert response.status_code == 401
    assert response.json()["code"] == "token-device-mismatch"


def test_revoked_device_gets_only_a_wipe_instruction(service_module):
    admin = enrolled_client(service_module, "gerrit", login=True)
    victim = enrolled_client(service_module, "femke", login=True)
    with admin, victim:
        assert victim.get(f"{API}/devices/current/escrow").status_code == 200
        revoked = admin.post(f"{API}/admin/devices/{victim.device_id}/revoke")
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        for method, path in [
            ("GET", "/devices/current/escrow"),
            ("GET", "/health"),
            ("POST", "/sessions"),
            ("POST", "/enrollments"),
        ]:
            response = victim.request(method, API + path, json={})
            assert response.status_code == 403, path
            assert response.json()["code"] == "device-revoked" and response.json()["wipe"] is True
        ack = victim.post(f"{API}/devices/wipe-ack")
        assert ack.status_code == 204
    device = (
        service_module.db.conn().execute("SELECT wiped_at FROM devices WHERE id = ?", (victim.device_id,)).fetchone()
    )
    assert device["wiped_at"] is not None
