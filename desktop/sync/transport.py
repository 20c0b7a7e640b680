"""The only way the client talks to the service: httpx over a pinned, TLS 1.3, mutual-TLS context.

- Trusts only the organisation CA given at enrollment (never the system store).
- Presents the device certificate; its private key stays in memory (see `_load_identity`).
- Maps every network, TLS and problem+json failure to a typed error of `desktop.errors`.
The raw `httpx.Client` is `Transport.client`, for the sync engine's own requests.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import errno
import os
import secrets
import socket
import ssl
import tempfile
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from desktop import errors

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
# A long-poll waits up to 25 s on the service (docs/API.md); the read timeout must outlast it.
LONG_POLL_READ_TIMEOUT = 40.0


@dataclass(frozen=True)
class DeviceIdentity:
    """The device certificate (public, PEM) and its private key (in memory only)."""

    certificate_pem: bytes
    private_key: ec.EllipticCurvePrivateKey

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem)


def normalise_server_url(url: str) -> str:
    """`https://host[:port]` without a trailing slash; `http://` and junk are refused."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise errors.InvalidServerUrl() from exc
    if parts.scheme.lower() == "http":
        raise errors.InsecureServerUrl()
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise errors.InvalidServerUrl()
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


def load_ca(ca_pem: bytes) -> x509.Certificate:
    """The pinned organisation CA; a file that is not one PEM CA certificate is refused."""
    try:
        cert = x509.load_pem_x509_certificate(ca_pem)
    except ValueError as exc:
        raise errors.InvalidCaFile() from exc
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        raise errors.InvalidCaFile()
    return cert


def build_ssl_context(ca_pem: bytes, identity: DeviceIdentity | None = None) -> ssl.SSLContext:
    """TLS 1.3 only, verifying the service against the organisation CA alone."""
    load_ca(ca_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies certificate and host name
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_verify_locations(cadata=ca_pem.decode("ascii"))  # no load_default_certs: pinned
    if identity is not None:
        _load_identity(context, identity)
    return context


def _load_identity(context: ssl.SSLContext, identity: DeviceIdentity) -> None:
    """Give the context the device certificate and key without a decrypted key on disk.

    The ssl module reads keys only from files, so the key is written encrypted under a one-time
    random password to a 0600 file in a private directory, loaded with that password from memory,
    and deleted at once.
    """
    one_time = secrets.token_bytes(32)
    encrypted_key = identity.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(one_time),
    )
    with tempfile.TemporaryDirectory(prefix="mc-tls-") as private_dir:
        os.chmod(private_dir, 0o700)
        path = os.path.join(private_dir, "identity.pem")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(identity.certificate_pem.rstrip(b"\n") + b"\n" + encrypted_key)
            context.load_cert_chain(path, password=one_time)
        except ssl.SSLError:
            # Key and certificate do not belong together (e.g. a renewal cut short).
            raise errors.DeviceCertificateNotAccepted() from None
        finally:
            os.unlink(path)


def judge_device_certificate(
    certificate: x509.Certificate, ca: x509.Certificate | None = None, now: dt.datetime | None = None
) -> errors.ClientError | None:
    """Why the service would refuse this device certificate, judged from the certificate itself.

    TLS 1.3 reports a refused client certificate only as a closed connection, so the client
    explains it from what it can see: the validity window and the issuing CA.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    if now >= certificate.not_valid_after_utc:
        return errors.DeviceCertificateExpired()
    if now < certificate.not_valid_before_utc:
        return errors.DeviceCertificateNotYetValid()
    if ca is not None:
        try:
            certificate.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            return errors.DeviceCertificateNotAccepted()
    return None


def _causes(exc: BaseException):
    """The exception and everything it was raised from (httpx → httpcore → OSError/ssl)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def error_from_exception(
    exc: BaseException, identity: DeviceIdentity | None = None, ca_pem: bytes | None = None
) -> errors.ClientError:
    """The typed error for a failure below HTTP (socket, DNS, TLS, timeouts)."""
    if isinstance(exc, errors.ClientError):
        return exc
    if isinstance(exc, httpx.TimeoutException):
        return errors.ConnectionTimeout()
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return errors.ServerCertificateUntrusted()
        if isinstance(cause, socket.gaierror):
            return errors.NameNotResolved()
        if isinstance(cause, ConnectionRefusedError):
            return errors.ConnectionRefused()
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL):
            return errors.NoRoute()
        if isinstance(cause, (TimeoutError, socket.timeout)):
            return errors.ConnectionTimeout()
    if "nodename nor servname" in str(exc) or "Name or service not known" in str(exc):
        return errors.NameNotResolved()
    # The TLS handshake went through on our side but the service closed the connection: in
    # TLS 1.3 that is how a refused client certificate looks. Judge the certificate itself.
    if identity is not None:
        ca = None
        if ca_pem is not None:
            try:
                ca = x509.load_pem_x509_certificate(ca_pem)
            except ValueError:
                ca = None
        verdict = judge_device_certificate(identity.certificate, ca)
        if verdict is not None:
            return verdict
        if any(isinstance(c, ssl.SSLError) for c in _causes(exc)):
            return errors.DeviceCertificateNotAccepted()
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return errors.ConnectionClosed()
    return errors.ConnectionProblem()


class Transport:
    """A keep-alive HTTPS client to one service, with the device identity and a bearer token."""

    def __init__(
        self,
        server_url: str,
        ca_pem: bytes,
        identity: DeviceIdentity | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        token: str | None = None,
    ) -> None:
        self.server_url = normalise_server_url(server_url)
        self.ca_pem = ca_pem
        self.identity = identity
        self.token = token
        self.client = httpx.Client(
            base_url=self.server_url + API_PREFIX,
            verify=build_ssl_context(ca_pem, identity),
            timeout=timeout,
            limits=httpx.Limits(max_keepalive_connections=4, keepalive_expiry=60.0),
            headers={"Accept": "application/json", "User-Agent": "MensCentraal-Mobiel"},
            follow_redirects=False,
            trust_env=False,  # no proxy variables: the pinned connection goes straight to the service
        )

    def __enter__(self) -> "Transport":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        authenticated: bool = True,
        timeout: httpx.Timeout | float | None = None,
    ) -> httpx.Response:
        """Send one request; a 2xx answer is returned, anything else raises a typed error."""
        headers = {}
        if authenticated and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        extra = {} if timeout is None else {"timeout": timeout}
        try:
            response = self.client.request(method, path, json=json, params=params, headers=headers, **extra)
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, self.identity, self.ca_pem) from None
        self.raise_for_problem(response)
        return response

    @staticmethod
    def raise_for_problem(response: httpx.Response) -> None:
        if response.is_success:
            return
        try:
            body = response.json()
        except ValueError:
            body = None
        error = errors.error_from_problem(response.status_code, body)
        error.retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        raise error

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return decode_json(self.request("GET", path, **kwargs))

    def post_json(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return decode_json(self.request("POST", path, json=body, **kwargs))


MAX_RETRY_AFTER = 600.0  # a Retry-After beyond ten minutes is a mistake: cap it, never stall


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), capped; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return min(max((when - dt.datetime.now(dt.timezone.utc)).total_seconds(), 0.0), MAX_RETRY_AFTER)


def decode_json(response: httpx.Response) -> Any:
    """The JSON body of a successful answer; anything else is an invalid answer."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        # orjson: strict JSON (RFC 8259: no NaN) at about a third of json.loads's time, which
        # also keeps a sync page's parse (it holds the GIL) short for the GUI thread.
        return orjson.loads(response.content)
    except ValueError:
        raise errors.InvalidResponse() from None


def parse_time(value: Any) -> dt.datetime:
    """An ISO 8601 UTC time from the service (`...Z`); anything else is an invalid answer."""
    if not isinstance(value, str):
        raise errors.InvalidResponse()
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise errors.InvalidResponse() from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)
