"""The only way the client talks to the service: httpx over a pinned, TLS 1.3, mutual-TLS context.

- Trusts only the organisation CA given at enrollment (never the system store).
- Presents the device certificate; its private key stays in memory (see `_load_identity`).
- Maps every network, TLS and problem+json failure to a typed error of `desktop.errors`: a
  connection closed or reset, even in the handshake, is a connection problem; only a TLS alert
  about our certificate (or the certificate's own dates and issuer) says it was refused.
- Gives every request a total deadline (`request(deadline=)`), not only per-read timeouts: every
  socket operation gets at most the time left, so a dripping answer ends.
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
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx
import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from desktop import clock, errors

API_PREFIX = "/api/v1"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
# A long-poll waits up to 25 s on the service (docs/API.md); its read timeout outlasts the wait
# it asked for by this much.
LONG_POLL_READ_MARGIN = 15.0
# The whole of one request: connect, handshake, request, answer. A full sync page over a slow
# mobile link fits; a dripping answer (one byte now and then defeats the read timeout) does not.
DEFAULT_DEADLINE = 90.0

# TLS alerts by which a peer says it refused our certificate (OpenSSL's reason names). Anything
# else that ends a connection (EOF, reset, a garbled record) is a connection problem.
_CERTIFICATE_ALERTS = frozenset(
    {
        "SSLV3_ALERT_BAD_CERTIFICATE",
        "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
        "SSLV3_ALERT_CERTIFICATE_REVOKED",
        "SSLV3_ALERT_CERTIFICATE_EXPIRED",
        "SSLV3_ALERT_UNSUPPORTED_CERTIFICATE",
        "TLSV1_ALERT_UNKNOWN_CA",
        "TLSV1_ALERT_ACCESS_DENIED",
        "TLSV13_ALERT_CERTIFICATE_REQUIRED",
    }
)
_X509_NOT_YET_VALID = 9  # X509_V_ERR_CERT_NOT_YET_VALID
_X509_EXPIRED = 10  # X509_V_ERR_CERT_HAS_EXPIRED


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
    """The typed error for a failure below HTTP (socket, DNS, TLS, timeouts).

    A connection closed or reset, in the handshake or after it, is a connection problem: the
    live sync retries it and a command falls back to the offline cache. "Your certificate was
    refused" needs evidence: a TLS alert that says so, or -- because our service, like many TLS
    1.3 servers, refuses a bad client certificate by closing right after the handshake -- a
    close before any answer while the certificate itself is out of date or of another CA.
    """
    if isinstance(exc, errors.ClientError):
        return exc
    if isinstance(exc, httpx.TimeoutException):
        return errors.ConnectionTimeout()
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            if cause.verify_code == _X509_NOT_YET_VALID:
                # The service's certificate starts later than our clock says: our clock is behind.
                return errors.ClockBehind()
            if cause.verify_code == _X509_EXPIRED:
                return errors.ServerCertificateExpired()  # a fast clock or a missed renewal
            return errors.ServerCertificateUntrusted()
        if isinstance(cause, ssl.SSLError) and getattr(cause, "reason", None) in _CERTIFICATE_ALERTS:
            return (
                _judge(identity, ca_pem, cause.reason == "SSLV3_ALERT_CERTIFICATE_EXPIRED")
                or errors.DeviceCertificateNotAccepted()
            )
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
    if isinstance(exc, httpx.RemoteProtocolError) and "without sending a response" in str(exc):
        # Our handshake went through and the service closed before answering: how it refuses a
        # certificate it does not accept, and also how a dropped connection looks. Only the
        # certificate's own dates or issuer make it a refusal.
        verdict = _judge(identity, ca_pem, False)
        if verdict is not None:
            return verdict
    if isinstance(exc, (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return errors.ConnectionClosed()
    return errors.ConnectionProblem()


def _alerted(exc: BaseException) -> bool:
    """Whether the peer said, by a TLS alert, that it refused our certificate."""
    return any(getattr(cause, "reason", None) in _CERTIFICATE_ALERTS for cause in _causes(exc))


def _judge(identity: DeviceIdentity | None, ca_pem: bytes | None, expired: bool) -> errors.ClientError | None:
    """Why the service refuses our certificate, from the certificate itself; None if it looks fine."""
    if identity is None:
        return errors.DeviceCertificateExpired() if expired else None
    ca = None
    if ca_pem is not None:
        try:
            ca = x509.load_pem_x509_certificate(ca_pem)
        except ValueError:
            ca = None
    verdict = judge_device_certificate(identity.certificate, ca)
    if isinstance(verdict, errors.DeviceCertificateNotYetValid):
        return errors.ClockBehind()  # the service accepts it by its clock; ours is behind
    if verdict is None and expired:
        return errors.DeviceCertificateExpired()
    return verdict


# --- the total deadline ---------------------------------------------------------------------------


class _Deadline:
    """The end of one request. Every socket operation of the request gets at most the time left
    (`watch`), and none starts after the end: a dripping answer cannot outlast it, and no timer
    thread is needed (a blocking TLS read keeps its timeout as one deadline across retries)."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    @property
    def expired(self) -> bool:
        return time.monotonic() >= self.ends

    def watch(self, timeout: float | None, timeout_error: type[Exception]) -> float:
        """Before each socket operation: its timeout, clipped to the time left."""
        remaining = self.ends - time.monotonic()
        if remaining <= 0:
            raise timeout_error("request deadline passed")
        return remaining if timeout is None else min(timeout, remaining)


_current = threading.local()  # the deadline of the request this thread is sending (httpx sync: one thread)


def _active_deadline() -> _Deadline | None:
    return getattr(_current, "deadline", None)


class _DeadlineStream(httpcore.NetworkStream):
    """httpcore's socket stream, with every operation under the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def _timeout(self, timeout: float | None, timeout_error: type[Exception]) -> float | None:
        deadline = _active_deadline()
        if deadline is None:
            return timeout
        return deadline.watch(timeout, timeout_error)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        timeout = self._timeout(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        deadline = _active_deadline()
        if deadline is not None:
            timeout = deadline.watch(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None):
        return self._inner.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _http_transport(context: ssl.SSLContext, limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's transport over a connection pool whose sockets obey the request deadline."""
    http = httpx.HTTPTransport(verify=context, limits=limits, trust_env=False)
    # httpx has no option for a network backend; its pool (httpcore's public API) has.
    http._pool = httpcore.ConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=_DeadlineBackend(),
    )
    return http


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
        self.server_time: dt.datetime | None = None  # the service's Date of its last answer (desktop.clock)
        self.client = httpx.Client(
            base_url=self.server_url + API_PREFIX,
            transport=_http_transport(
                build_ssl_context(ca_pem, identity), httpx.Limits(max_keepalive_connections=4, keepalive_expiry=60.0)
            ),
            timeout=timeout,
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
        deadline: float | None = None,
    ) -> httpx.Response:
        """Send one request; a 2xx answer is returned, anything else raises a typed error.

        `deadline`: seconds for the whole request, answer included (default `DEFAULT_DEADLINE`);
        past it the request ends with `ConnectionTimeout`, however the answer trickles in.
        """
        headers = {}
        if authenticated and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        extra = {} if timeout is None else {"timeout": timeout}
        until = _current.deadline = _Deadline(DEFAULT_DEADLINE if deadline is None else deadline)
        try:
            response = self.client.request(method, path, json=json, params=params, headers=headers, **extra)
        except httpx.HTTPError as exc:
            if until.expired:
                raise errors.ConnectionTimeout() from None
            error = error_from_exception(exc, self.identity, self.ca_pem)
            if isinstance(error, errors.DeviceCertificateExpired) and not _alerted(exc):
                error = self._confirm_expired()
            raise error from None
        finally:
            _current.deadline = None
        # httpx 0.28 keeps every answer in a reference cycle (its stream points back at it:
        # encode/httpx#3733), so a read page (~0.5 MB) stayed until a full collection -- which the
        # GUI holds off during a first sync: ~300 MiB more at 100,000 cases. The body is read and
        # the stream closed by now (not streamed); a plain stream lets it go when it is dropped.
        response.stream = httpx.ByteStream(b"")
        self.server_time = server_date(response) or self.server_time
        self.raise_for_problem(response)
        return response

    def _confirm_expired(self) -> errors.ClientError:
        """A close after the handshake while our certificate looks expired by our clock: ask the
        service's clock (`/health` needs no certificate) before saying "enroll again". A clock
        running fast must not turn a dropped connection into a re-enrollment that loses work."""
        try:
            with Transport(self.server_url, self.ca_pem, timeout=httpx.Timeout(5.0)) as probe:
                health = probe.get_json("/health", authenticated=False, deadline=10.0)
            server_time = parse_time(health.get("server_time") if isinstance(health, dict) else None)
        except errors.ClientError:
            return errors.ConnectionClosed()
        if self.identity is not None and server_time >= self.identity.certificate.not_valid_after_utc:
            return errors.DeviceCertificateExpired()
        return errors.ConnectionClosed()

    @staticmethod
    def raise_for_problem(response: httpx.Response) -> None:
        if response.is_success:
            return
        try:
            body = response.json()
        except ValueError:
            body = None
        # Read once (delta-seconds or an HTTP date), capped for the sentence "wait until HH:MM".
        seconds = errors.retry_after_seconds(response.headers.get("Retry-After"), errors.TooManyRequests.MAX_SECONDS)
        error = errors.error_from_problem(response.status_code, body, seconds)
        # How long the engine pauses (a 503's Retry-After too); None when the answer did not say.
        error.retry_after = min(seconds, MAX_RETRY_AFTER) if seconds is not None else None
        raise error

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return decode_json(self.request("GET", path, **kwargs))

    def post_json(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return decode_json(self.request("POST", path, json=body, **kwargs))


def server_date(response: httpx.Response) -> dt.datetime | None:
    """The service's clock from the answer's Date header (None when absent or malformed)."""
    try:
        moment = email.utils.parsedate_to_datetime(response.headers.get("date", ""))
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


MAX_RETRY_AFTER = 600.0  # a Retry-After beyond ten minutes is a mistake: cap it, never stall


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
    moment = clock.parse_iso(value)
    if moment is None:
        raise errors.InvalidResponse()
    return moment
