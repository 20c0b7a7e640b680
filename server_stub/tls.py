"""TLS for the service: a TLS 1.3-only server context, and the peer certificate handed to the app.

The context asks for a client certificate but does not require one, because enrollment,
forgot-password and health share the port; the application refuses the other routes without
one (`server_stub.routes.DeviceGate`, which also refuses revoked and unknown certificates on
every request). A certificate that fails verification (expired, another CA) ends the handshake,
so such a client never reaches the application.

No session resumption: the server issues no TLS 1.3 session tickets (`num_tickets = 0`;
`OP_NO_TICKET` alone only switches OpenSSL to server-side stateful tickets, which still resume).
Every connection is therefore a full handshake that verifies the client certificate again, so
a certificate that expired (or a device revoked) since an earlier connection cannot come back
by resuming that connection's session.

uvicorn does not pass the peer certificate to the application, so `MutualTLSHttpToolsProtocol`
fills the ASGI TLS extension (`scope["extensions"]["tls"]`, see the ASGI spec) per connection.
"""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_TLS_VERSIONS = {"TLSv1.3": 0x0304, "TLSv1.2": 0x0303}


def server_ssl_context(cert_path: Path, key_path: Path, ca_path: Path) -> ssl.SSLContext:
    """TLS 1.3 only; client certificates optional but, when presented, verified against the CA."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.maximum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(str(cert_path), str(key_path))
    context.load_verify_locations(cafile=str(ca_path))
    context.verify_mode = ssl.CERT_OPTIONAL
    context.set_alpn_protocols(["http/1.1"])
    # No session tickets at all. A resumed session skips certificate verification (an expired or
    # revoked device certificate would get in), and OP_NO_TICKET alone makes TLS 1.3 tickets
    # stateful: every handshake's session (client certificate included, ~12 KB) was kept in the
    # server's cache, never resumed: memory that grew with every new connection.
    context.options |= ssl.OP_NO_TICKET
    context.num_tickets = 0
    return context


def tls_extension(ssl_object: ssl.SSLObject | None) -> dict:
    """The ASGI TLS extension for one connection (computed once, shared by its requests)."""
    if ssl_object is None:
        return {}
    der = ssl_object.getpeercert(binary_form=True)
    cipher = ssl_object.cipher()
    return {
        "server_cert": None,
        "client_cert_chain": [ssl.DER_cert_to_PEM_cert(der)] if der else [],
        "client_cert_name": None,
        "client_cert_error": None,
        "tls_version": _TLS_VERSIONS.get(ssl_object.version() or ""),
        "cipher_suite": None if cipher is None else cipher[0],
    }


class MutualTLSHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, plus the peer certificate in `scope["extensions"]["tls"]`."""

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._tls = tls_extension(transport.get_extra_info("ssl_object"))

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._tls:
            self.scope["extensions"] = {"tls": self._tls}

    def shutdown(self) -> None:
        # An idle keep-alive connection is dropped at once: a polite TLS close waits for the
        # peer's close_notify, which an idle client never sends, and would hold up the exit.
        idle = self.cycle is None or self.cycle.response_complete
        super().shutdown()
        if idle:
            self.transport.abort()


def peer_certificate_pem(scope) -> str | None:
    """The client certificate the request came over, as PEM, or None."""
    chain = scope.get("extensions", {}).get("tls", {}).get("client_cert_chain") or ()
    return chain[0] if chain else None


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one (read it with `sock.getsockname()[1]`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def uvicorn_server(
    app, context: ssl.SSLContext, *, host: str, port: int, graceful_seconds: int = 2, log_level: str = "warning"
) -> uvicorn.Server:
    """A uvicorn server for the app over our TLS context and protocol.

    `graceful_seconds` bounds how long shutdown waits for open requests (long-polls included),
    so the service exits within a few seconds of SIGTERM.
    """
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=MutualTLSHttpToolsProtocol,
        ssl_context_factory=lambda _config, _default: context,
        lifespan="on",
        log_level=log_level,
        access_log=False,  # request lines could carry ids of people; the audit log records what matters
        timeout_graceful_shutdown=graceful_seconds,
        server_header=False,
    )
    return uvicorn.Server(config)
