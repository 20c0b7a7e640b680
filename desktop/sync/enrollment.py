"""Enrolling this device (Mobiel Werken) and renewing its certificate.

The key pair (ECDSA P-256) and the CSR are made here; the private key never leaves the device.
The service signs the CSR and answers with the certificate; renewal is due from two thirds of
the certificate's life (docs/API.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from desktop import errors
from desktop.sync.transport import DeviceIdentity, Transport, load_ca, parse_time

RENEW_FROM_FRACTION = 2 / 3


@dataclass(frozen=True)
class Enrollment:
    device_id: str
    identity: DeviceIdentity
    ca_pem: bytes
    not_after: dt.datetime


def generate_device_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def build_csr(private_key: ec.EllipticCurvePrivateKey, username: str) -> bytes:
    """A PEM CSR naming the user; the service decides the certificate's real subject."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, username or "device")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(private_key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM)


def _certificate_for(private_key: ec.EllipticCurvePrivateKey, pem: object, ca: x509.Certificate) -> x509.Certificate:
    """The certificate from the answer, checked: ours (same public key) and issued by the pinned CA."""
    if not isinstance(pem, str):
        raise errors.InvalidResponse()
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode("ascii"))
        certificate.verify_directly_issued_by(ca)
    except Exception:  # malformed PEM, wrong issuer or bad signature: all an invalid answer
        raise errors.InvalidResponse() from None
    ours = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    theirs = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if ours != theirs:
        raise errors.InvalidResponse()
    return certificate


def enroll(server_url: str, ca_pem: bytes, username: str, password: str, code: str) -> Enrollment:
    """Enroll this device with the one-time code; returns the identity to store."""
    ca = load_ca(ca_pem)
    private_key = generate_device_key()
    body = {
        "username": username,
        "password": password,
        "code": code,
        "csr": build_csr(private_key, username).decode("ascii"),
    }
    with Transport(server_url, ca_pem) as transport:
        answer = transport.post_json("/enrollments", body, authenticated=False)
    if not isinstance(answer, dict) or not isinstance(answer.get("device_id"), str):
        raise errors.InvalidResponse()
    certificate = _certificate_for(private_key, answer.get("certificate"), ca)
    return Enrollment(
        device_id=answer["device_id"],
        identity=DeviceIdentity(certificate.public_bytes(serialization.Encoding.PEM), private_key),
        ca_pem=ca_pem,
        not_after=certificate.not_valid_after_utc,
    )


def renewal_due(certificate: x509.Certificate, now: dt.datetime | None = None) -> bool:
    now = now or dt.datetime.now(dt.timezone.utc)
    start, end = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    return now >= start + (end - start) * RENEW_FROM_FRACTION


def renew(transport: Transport) -> DeviceIdentity:
    """A fresh key pair and certificate, over the current (still valid) mutual-TLS connection."""
    if transport.identity is None:
        raise errors.NotEnrolled()
    ca = load_ca(transport.ca_pem)
    private_key = generate_device_key()
    subject = transport.identity.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    username = str(subject[0].value) if subject else "device"
    answer = transport.post_json("/devices/current/renew", {"csr": build_csr(private_key, username).decode("ascii")})
    if not isinstance(answer, dict):
        raise errors.InvalidResponse()
    certificate = _certificate_for(private_key, answer.get("certificate"), ca)
    if "not_after" in answer:
        parse_time(answer["not_after"])  # a malformed answer is refused before anything is stored
    return DeviceIdentity(certificate.public_bytes(serialization.Encoding.PEM), private_key)
