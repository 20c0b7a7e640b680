"""The organisation's certificate authority: the CA itself, the server certificate, device certificates.

All keys are ECDSA P-256. Device certificates come from a CSR the client made (its private key
never leaves the device), carry the device id as common name and are valid 7 days by default.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_VALIDITY = timedelta(days=3650)
SERVER_VALIDITY = timedelta(days=397)
# Certificates start a little in the past so that a client clock a few minutes behind accepts them.
CLOCK_SKEW = timedelta(minutes=5)
MAX_CSR_BYTES = 8192


class InvalidCSR(ValueError):
    """The CSR is not a well-formed, self-signed ECDSA P-256 request."""


def new_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def private_key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def certificate_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fingerprint(cert_der: bytes) -> str:
    """sha256 of the DER certificate, hex: how the service recognises a device's certificate."""
    return hashlib.sha256(cert_der).hexdigest()


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


@dataclass
class OrganisationCA:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @classmethod
    def create(cls, name: str = "MensCentraal Organisatie-CA (demo)") -> "OrganisationCA":
        key = new_private_key()
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MensCentraal"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        now = datetime.now(timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - CLOCK_SKEW)
            .not_valid_after(now + CA_VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(cert, key)

    @classmethod
    def load(cls, cert_path: Path, key_path: Path) -> "OrganisationCA":
        cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
        key = serialization.load_pem_private_key(Path(key_path).read_bytes(), password=None)
        return cls(cert, key)

    def save(self, cert_path: Path, key_path: Path) -> None:
        Path(cert_path).write_text(certificate_pem(self.certificate), encoding="ascii")
        _write_private(Path(key_path), private_key_pem(self.key))

    def _builder(self, subject: x509.Name, public_key, not_before: datetime, not_after: datetime):
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        )

    def issue_server_certificate(
        self, hostnames: list[str] | tuple[str, ...] = ()
    ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        """A TLS server certificate for localhost, 127.0.0.1 and every extra host name or address."""
        key = new_private_key()
        names: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        for host in hostnames:
            try:
                general: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
            except ValueError:
                general = x509.DNSName(host)
            if general not in names:
                names.append(general)
        now = datetime.now(timezone.utc)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "MensCentraal dienst")])
        cert = (
            self._builder(subject, key.public_key(), now - CLOCK_SKEW, now + SERVER_VALIDITY)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )
        return cert, key

    def sign_device_csr(
        self,
        csr_pem: str | bytes,
        device_id: str,
        *,
        days: float = 7,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
    ) -> x509.Certificate:
        """A client certificate for one device; the CSR's subject is ignored (we name the device)."""
        csr = parse_csr(csr_pem)
        now = datetime.now(timezone.utc)
        start = not_before or (now - CLOCK_SKEW)
        end = not_after or (now + timedelta(days=days))
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MensCentraal"),
                x509.NameAttribute(NameOID.COMMON_NAME, device_id),
            ]
        )
        return (
            self._builder(subject, csr.public_key(), start, end)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(self.key, hashes.SHA256())
        )


def parse_csr(csr_pem: str | bytes) -> x509.CertificateSigningRequest:
    """Parse and check a CSR: PEM, signature valid, ECDSA P-256 key. Raises InvalidCSR."""
    data = csr_pem.encode("ascii", "replace") if isinstance(csr_pem, str) else csr_pem
    if len(data) > MAX_CSR_BYTES:
        raise InvalidCSR("too large")
    try:
        csr = x509.load_pem_x509_csr(data)
    except ValueError as exc:
        raise InvalidCSR("not a PEM CSR") from exc
    try:
        if not csr.is_signature_valid:
            raise InvalidCSR("bad signature")
    except InvalidSignature as exc:
        raise InvalidCSR("bad signature") from exc
    key = csr.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise InvalidCSR("key must be ECDSA P-256")
    return csr


def write_server_files(ca: OrganisationCA, hostnames, cert_path: Path, key_path: Path) -> None:
    cert, key = ca.issue_server_certificate(list(hostnames))
    # The chain file holds the server certificate only; clients pin the organisation CA.
    Path(cert_path).write_text(certificate_pem(cert), encoding="ascii")
    _write_private(Path(key_path), private_key_pem(key))
