"""A TCP-level fault-injecting proxy on 127.0.0.1, in front of the real service.

The proxy knows nothing of HTTP and holds no keys: the client's TLS runs end to end to the
service, so every fault is one a real network (a middlebox, a flaky Wi-Fi, a gateway) can cause.
It only reads the 5-byte TLS record headers of the client's stream to know when the handshake is
over: TLS 1.3 sends the client's second flight (certificate, `Finished`) as application-data
records, and the service's whole handshake flight has passed before it. Whatever the service
sends after that is an answer (or a session ticket), so "mid-stream" faults hit the answer and
not the handshake.

Usage
-----
    from tests.fault_proxy import FaultProxy

    with FaultProxy(service.url, seed=7) as proxy:      # or proxy = FaultProxy(...).start()
        client_url = proxy.url                          # "https://127.0.0.1:PORT"
        proxy.set_mode("reset")                         # every new connection is reset mid-stream
        proxy.set_mode({"pass": 70, "reset": 10, "stall": 10, "close_server_hello": 10})
        proxy.set_mode(FaultProxy.mix(0.3))             # 30 % faults of every kind, 70 % pass
        proxy.set_mode("pass")                          # the network is back
        proxy.drop_connections()                        # end every open connection (RST) now
        proxy.counts                                    # Counter: connections per mode so far
    # leaving the block (or proxy.stop()) ends every connection and frees the port

Modes (chosen per accepted connection: a mode name, or a dict of weights drawn from
`random.Random(seed)`, so a seeded run makes the same choices for the same connection order)
    "pass"                forward both ways untouched.
    "close_client_hello"  forward `hello_bytes` bytes of the client's first flight (its ClientHello)
                          to the service, then close both ends (FIN) during the handshake.
    "close_server_hello"  forward the client's bytes, but only `hello_bytes` bytes of the service's
                          first flight (ServerHello ... Finished), then close both ends (FIN).
    "close_after_handshake"
                          pass the handshake and the request, then close both ends (FIN) as the
                          answer starts, forwarding none of it: the client sees "disconnected
                          without sending a response" -- also how our service refuses a bad
                          client certificate under TLS 1.3.
    "reset"               pass the handshake and the client's request, forward `reset_after` bytes
                          of the answer, then reset both ends (RST, SO_LINGER 0).
    "stall"               accept and never answer: nothing is forwarded (what the client sends is
                          swallowed), nothing is closed until the client gives up,
                          `drop_connections()` or `stop()`.
    "drip"                pass the handshake and the request; forward the answer `drip_chunk` bytes
                          every `drip_interval` seconds (a 30 s per-read timeout never fires).
    "refuse"              a closed port: as the only mode, the listener is closed (connect() gets
                          ECONNREFUSED) until another mode is set; drawn from a mix, the accepted
                          connection is reset at once and the listener is closed for
                          `refuse_window` seconds, so the client's next attempts are refused.

A mode applies to connections accepted after `set_mode`; established (kept-alive) connections
keep theirs: call `drop_connections()` to make every client connect again through the new mode.
The knobs `hello_bytes`, `reset_after`, `drip_chunk`, `drip_interval` and `refuse_window` are
constructor arguments and plain attributes (change them at runtime for new connections).

`hello_bytes` / `reset_after` may be an int or None (None: a fresh random number per connection
from the seeded generator, 0..199 for hellos and 0..99 for answers: the first TLS record of an
answer, its HTTP head, is longer).

Threads: one acceptor, two pump threads per forwarded connection and one per stalled one
(daemon threads; `stop()` joins them). Safe to call `set_mode` from any thread while clients run.
"""

from __future__ import annotations

import collections
import random
import socket
import struct
import threading
import time
from typing import Mapping
from urllib.parse import urlsplit

MODES = (
    "pass",
    "close_client_hello",
    "close_server_hello",
    "close_after_handshake",
    "reset",
    "stall",
    "drip",
    "refuse",
)
FAULTS = tuple(mode for mode in MODES if mode != "pass")

_TLS_APPLICATION_DATA = 23
_BUFFER = 65536


class FaultProxy:
    def __init__(
        self,
        upstream: str | tuple[str, int],
        *,
        mode: str | Mapping[str, float] = "pass",
        seed: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        hello_bytes: int | None = None,
        reset_after: int | None = None,
        drip_chunk: int = 16,
        drip_interval: float = 0.2,
        refuse_window: float = 0.5,
    ) -> None:
        if isinstance(upstream, str):
            parts = urlsplit(upstream if "//" in upstream else f"//{upstream}")
            upstream = (parts.hostname or "127.0.0.1", parts.port or 443)
        self.upstream = upstream
        self.host = host
        self.port = port
        self.hello_bytes = hello_bytes
        self.reset_after = reset_after
        self.drip_chunk = drip_chunk
        self.drip_interval = drip_interval
        self.refuse_window = refuse_window
        self.counts: collections.Counter[str] = collections.Counter()
        self._random = random.Random(seed)
        self._lock = threading.RLock()
        self._mode: str | dict[str, float] = "pass"
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._sockets: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._running = False
        self._refuse_until = 0.0
        self._wake = threading.Event()
        self.set_mode(mode)

    # --- public API -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    @staticmethod
    def mix(rate: float, faults: tuple[str, ...] = FAULTS) -> dict[str, float]:
        """Weights for `set_mode`: `rate` of the connections get one of `faults` (evenly), the rest pass."""
        weights = {"pass": 1.0 - rate}
        weights.update({fault: rate / len(faults) for fault in faults})
        return weights

    def set_mode(self, mode: str | Mapping[str, float]) -> None:
        """The mode for connections accepted from now on (open connections keep theirs)."""
        names = [mode] if isinstance(mode, str) else list(mode)
        unknown = [name for name in names if name not in MODES]
        if unknown:
            raise ValueError(f"unknown fault proxy mode(s): {unknown}")
        with self._lock:
            self._mode = mode if isinstance(mode, str) else dict(mode)
            self._refuse_until = 0.0
            # The port's state changes before this returns: no connection slips through.
            if self._running and mode == "refuse":
                self._close_listener()
            elif self._running:
                self._open_listener()
        self._wake.set()

    @property
    def mode(self) -> str | dict[str, float]:
        return self._mode

    def start(self) -> "FaultProxy":
        with self._lock:
            if self._running:
                return self
            self._running = True
        self._acceptor = threading.Thread(target=self._accept_loop, name=f"fault-proxy-{self.port}", daemon=True)
        self._open_listener()  # before the thread starts: `port` is known when start() returns
        self._acceptor.start()
        return self

    def stop(self) -> None:
        with self._lock:
            self._running = False
        self._wake.set()
        self._close_listener()
        self.drop_connections()
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)
        for thread in list(self._threads):
            thread.join(timeout=5)

    def drop_connections(self, settle: float = 5.0) -> None:
        """Reset every open connection now (both the client's and the service's side), and wait
        (at most `settle` seconds) until their pumps have let go of them: a client that sends
        right after this call finds its kept-alive connection already dead, never half-torn-down."""
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _reset(sock)
        ends = time.monotonic() + settle
        while time.monotonic() < ends:
            with self._lock:
                if not self._sockets.intersection(sockets):
                    return
            time.sleep(0.01)

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- listener ---------------------------------------------------------------------------
    def _open_listener(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(256)
            sock.settimeout(0.1)
            self.port = sock.getsockname()[1]
            self._listener = sock

    def _close_listener(self) -> None:
        with self._lock:
            sock, self._listener = self._listener, None
        if sock is not None:
            try:  # stops listening at once, even while the acceptor thread still polls the socket
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _refusing(self) -> bool:
        with self._lock:
            return self._mode == "refuse" or time.monotonic() < self._refuse_until

    def _accept_loop(self) -> None:
        while self._running:
            if self._refusing():
                self._close_listener()
                self._wake.wait(0.05)
                self._wake.clear()
                continue
            try:
                self._open_listener()
            except OSError:  # the port is briefly taken; try again
                time.sleep(0.05)
                continue
            listener = self._listener
            if listener is None:
                continue
            try:
                client, _ = listener.accept()
            except (socket.timeout, OSError):
                continue
            self._handle(client)

    # --- one connection ---------------------------------------------------------------------
    def _choose(self) -> str:
        with self._lock:
            mode = self._mode
            if isinstance(mode, str):
                return mode
            names = list(mode)
            return self._random.choices(names, weights=[mode[n] for n in names])[0]

    def _number(self, fixed: int | None, upper: int) -> int:
        if fixed is not None:
            return fixed
        with self._lock:
            return self._random.randrange(upper)

    def _handle(self, client: socket.socket) -> None:
        mode = self._choose()
        with self._lock:
            self.counts[mode] += 1
        client.settimeout(None)
        if mode == "refuse":
            with self._lock:
                self._refuse_until = time.monotonic() + self.refuse_window
            _reset(client)
            return
        self._track(client)
        if mode == "stall":
            self._spawn(self._stall, client, "stall")
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
            upstream.settimeout(None)
        except OSError:
            _reset(client)
            self._untrack(client)
            return
        self._track(upstream)
        connection = _Connection(self, client, upstream, mode)
        self._spawn(connection.client_to_service, None, "up")
        self._spawn(connection.service_to_client, None, "down")

    def _stall(self, client: socket.socket) -> None:
        # Whatever the client sends is swallowed; it never gets a byte back, nor a close.
        try:
            while client.recv(_BUFFER):
                pass
        except OSError:
            pass
        _reset(client)
        self._untrack(client)

    def _spawn(self, target, argument, name: str) -> None:
        def run() -> None:
            try:
                target() if argument is None else target(argument)
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())

        thread = threading.Thread(target=run, name=f"fault-proxy-{name}", daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)


class _Connection:
    """One forwarded client connection and its upstream, with the mode drawn for it."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, upstream: socket.socket, mode: str) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.mode = mode
        self.hello_bytes = proxy._number(proxy.hello_bytes, 200)
        self.reset_after = proxy._number(proxy.reset_after, 100)
        self.handshake_done = threading.Event()  # the client's first application-data record went up
        self._records = _RecordCounter()
        self._closed = threading.Lock()
        self._done = False

    def client_to_service(self) -> None:
        forwarded = 0
        try:
            while True:
                data = self.client.recv(_BUFFER)
                if not data:
                    _shutdown_write(self.upstream)
                    return
                if self.mode == "close_client_hello":
                    self.upstream.sendall(data[: max(0, self.hello_bytes - forwarded)])
                    forwarded += len(data)
                    if forwarded >= self.hello_bytes:
                        self.close(reset=False)
                        return
                    continue
                self.upstream.sendall(data)
                if not self.handshake_done.is_set() and self._records.feed(data):
                    self.handshake_done.set()
        except OSError:
            self.close(reset=True)

    def service_to_client(self) -> None:
        forwarded = 0  # of the handshake flight, or of the answer once the request went up
        try:
            while True:
                data = self.upstream.recv(_BUFFER)
                if not data:
                    self.close(reset=False)
                    return
                if self.mode == "close_server_hello":
                    self.client.sendall(data[: max(0, self.hello_bytes - forwarded)])
                    forwarded += len(data)
                    if forwarded >= self.hello_bytes:
                        self.close(reset=False)
                        return
                    continue
                if self.mode == "close_after_handshake" and self.handshake_done.is_set():
                    self.close(reset=False)
                    return
                if self.mode in ("reset", "drip") and self.handshake_done.is_set():
                    if self.mode == "reset":
                        self.client.sendall(data[: max(0, self.reset_after - forwarded)])
                        forwarded += len(data)
                        if forwarded >= self.reset_after:
                            self.close(reset=True)
                            return
                        continue
                    self._drip(data)
                    continue
                self.client.sendall(data)
        except OSError:
            self.close(reset=True)

    def _drip(self, data: bytes) -> None:
        for start in range(0, len(data), self.proxy.drip_chunk):
            if not self.proxy._running:
                raise OSError("proxy stopped")
            time.sleep(self.proxy.drip_interval)
            self.client.sendall(data[start : start + self.proxy.drip_chunk])

    def close(self, *, reset: bool) -> None:
        with self._closed:
            if self._done:
                return
            self._done = True
        for sock in (self.client, self.upstream):
            if reset:
                _reset(sock)
            else:
                _shutdown_write(sock)
                try:
                    sock.shutdown(socket.SHUT_RD)
                except OSError:
                    pass
                sock.close()
            self.proxy._untrack(sock)


class _RecordCounter:
    """Counts the TLS application-data records in a byte stream, from their 5-byte headers."""

    def __init__(self) -> None:
        self._buffer = b""
        self._skip = 0
        self.application_records = 0

    def feed(self, data: bytes) -> int:
        if self.application_records:
            return self.application_records
        self._buffer += data
        while True:
            if self._skip:
                taken = min(self._skip, len(self._buffer))
                self._buffer = self._buffer[taken:]
                self._skip -= taken
                if self._skip:
                    break
            if len(self._buffer) < 5:
                break
            kind, _version, length = struct.unpack("!BHH", self._buffer[:5])
            if kind == _TLS_APPLICATION_DATA:
                self.application_records += 1
            self._buffer = self._buffer[5:]
            self._skip = length
        return self.application_records


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN: SO_LINGER on, with a zero timeout."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:  # wakes a thread blocked in recv() on it (close() alone does not), sends nothing
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def _shutdown_write(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass
