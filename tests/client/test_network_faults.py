"""Issue 12, connection faults: whatever a connection does, it is a connection problem.

Every test runs the real service over mutual TLS behind `tests.fault_proxy.FaultProxy`, which
breaks connections the way a network does (closed in the handshake, reset, stalled, dripping).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import types
from dataclasses import replace

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from desktop import actions, errors
from desktop.cache import queries
from desktop.sync.identity import load_identity
from desktop.sync import engine as engine_mod
from desktop.sync import transport as transport_mod
from desktop.sync.transport import DeviceIdentity, Transport
from server_stub.pki import OrganisationCA, certificate_pem
from tests.client.sync_helpers import Device
from tests.client.test_cli import run_cli
from tests.fault_proxy import FaultProxy
from tests.service_fixtures import RunningService, make_csr, wait_until

HANDSHAKE_FAULTS = [
    ("close_client_hello", 0),
    ("close_client_hello", 100),
    ("close_server_hello", 0),
    ("close_server_hello", 90),
    ("close_server_hello", 700),
    ("close_after_handshake", 0),
    ("reset", 0),
]


@pytest.fixture(scope="module")
def proxy(service_module):
    with FaultProxy(service_module.url, seed=12, drip_interval=0.1) as running:
        yield running


@pytest.fixture(autouse=True)
def passing(proxy):
    proxy.set_mode("pass")
    yield
    proxy.set_mode("pass")
    proxy.drop_connections()


def _through(device: Device, proxy: FaultProxy, **settings) -> Device:
    """Point an enrolled profile at the proxy (and make its timeouts test-sized)."""
    config = device.profile.load_config()
    device.profile.update_config(service_url=proxy.url, settings=replace(config.settings, **settings))
    return device


def _transport(service, device: Device, url: str) -> Transport:
    return Transport(url, service.ca_path.read_bytes(), load_identity(device.profile, device.secrets))


@pytest.fixture(scope="module")
def carla(service_module, tmp_path_factory):
    return Device(service_module, tmp_path_factory.mktemp("carla"), "carla")


# --- handshake closed != certificate refused -------------------------------------------------------


@pytest.mark.parametrize("mode, hello_bytes", HANDSHAKE_FAULTS)
def test_connection_closed_in_the_handshake_is_a_connection_problem_not_enroll_again(
    mode, hello_bytes, service_module, proxy, carla
):
    proxy.set_mode(mode)
    proxy.hello_bytes = proxy.reset_after = hello_bytes
    with _transport(service_module, carla, proxy.url) as client:
        with pytest.raises(errors.ClientError) as caught:
            client.get_json("/devices/current")
    assert isinstance(caught.value, errors.ConnectionProblem), type(caught.value)
    assert caught.value.exit_code == errors.EXIT_CONNECTION
    proxy.hello_bytes = proxy.reset_after = None


def test_refused_and_stalled_connections_are_connection_problems(service_module, proxy, carla):
    for mode in ("refuse", "stall"):
        proxy.set_mode(mode)
        with _transport(service_module, carla, proxy.url) as client:
            client.client.timeout = httpx.Timeout(1.0)
            with pytest.raises(errors.ConnectionProblem):
                client.get_json("/devices/current")


def test_only_the_real_services_refusal_says_enroll_again(service_module, carla, tmp_path):
    """How the real service refuses: a certificate it cannot verify ends the connection right after
    the handshake (no alert reaches the client); one of our CA it does not know gets a problem code."""
    ca = OrganisationCA.load(service_module.layout.ca_cert, service_module.layout.ca_key)
    now = dt.datetime.now(dt.timezone.utc)
    key, csr = make_csr()
    expired = certificate_pem(
        ca.sign_device_csr(csr, "dev-old", not_before=now - dt.timedelta(days=9), not_after=now - dt.timedelta(days=2))
    ).encode()
    unknown = certificate_pem(ca.sign_device_csr(csr, "dev-unknown")).encode()
    ca_pem = service_module.ca_path.read_bytes()
    with Transport(service_module.url, ca_pem, DeviceIdentity(expired, key)) as client:
        with pytest.raises(errors.DeviceCertificateExpired):
            client.get_json("/devices/current")
    with Transport(service_module.url, ca_pem, DeviceIdentity(unknown, key)) as client:
        with pytest.raises(errors.DeviceCertificateNotAccepted):  # problem code device-unknown
            client.get_json("/devices/current")


def test_a_fast_clock_never_turns_a_dropped_connection_into_enroll_again(service_module, proxy, carla, monkeypatch):
    """Our clock 8 days fast: by it our 7-day certificate has expired. A connection that closes
    right after the handshake is then confirmed with the service's clock before "enroll again"."""

    class FastDatetime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) + dt.timedelta(days=8)

    monkeypatch.setattr(
        transport_mod, "dt", types.SimpleNamespace(datetime=FastDatetime, timezone=dt.timezone, timedelta=dt.timedelta)
    )  # the client's clock only
    proxy.set_mode("close_after_handshake")
    with _transport(service_module, carla, proxy.url) as client:
        with pytest.raises(errors.ClientError) as caught:
            client.get_json("/devices/current")
    assert isinstance(caught.value, errors.ConnectionClosed), type(caught.value)


def test_a_tls_alert_about_the_certificate_is_told_apart_from_eof():
    import ssl

    def failing(reason: str | None, cls=ssl.SSLError):
        cause = cls(1, reason or "EOF occurred in violation of protocol")
        cause.reason = reason
        error = httpx.ReadError("x")
        error.__cause__ = cause
        return error

    assert isinstance(
        transport_mod.error_from_exception(failing("SSLV3_ALERT_BAD_CERTIFICATE")), errors.DeviceCertificateNotAccepted
    )
    assert isinstance(
        transport_mod.error_from_exception(failing("TLSV13_ALERT_CERTIFICATE_REQUIRED")),
        errors.DeviceCertificateNotAccepted,
    )
    for not_a_refusal in ("UNEXPECTED_EOF_WHILE_READING", "DECRYPTION_FAILED_OR_BAD_RECORD_MAC", None):
        error = transport_mod.error_from_exception(failing(not_a_refusal, ssl.SSLEOFError))
        assert isinstance(error, errors.ConnectionClosed), (not_a_refusal, error)


# --- the command line falls back to the offline cache -------------------------------------------------


def test_command_falls_back_to_the_offline_cache_on_any_connection_problem(service_module, proxy, tmp_path):
    root = tmp_path / "profile"
    password = service_module.password("daan") + "\n"
    enrolled = run_cli(
        "--profile",
        str(root),
        "enroll",
        "--server",
        service_module.url,
        "--ca",
        str(service_module.ca_path),
        "--user",
        "daan",
        "--code",
        service_module.enroll_code("daan"),
        "--password-stdin",
        stdin=password,
    )
    assert enrolled.returncode == 0, enrolled.stderr
    assert run_cli("--profile", str(root), "sync", "--password-stdin", stdin=password).returncode == 0
    from desktop.profile import Profile

    profile = Profile(root)
    config = profile.load_config()
    profile.update_config(
        service_url=proxy.url, settings=replace(config.settings, connect_timeout_seconds=1.0, read_timeout_seconds=2.0)
    )
    for mode in ("close_server_hello", "reset", "stall"):  # "refuse" (unreachable) fell back already
        proxy.set_mode(mode)
        result = run_cli("--profile", str(root), "cases", "--json", "--password-stdin", stdin=password)
        assert result.returncode == 0, (mode, result.stderr)
        assert json.loads(result.stdout), mode  # My Cases from the cache
        assert "Offline gewerkt" in result.stderr and "opnieuw aan" not in result.stderr, (mode, result.stderr)


# --- every request has a total deadline ----------------------------------------------------------------


def test_a_dripping_answer_ends_at_the_request_deadline(service_module, proxy, carla, monkeypatch):
    proxy.set_mode("drip")  # ~400 bytes of answer, 16 bytes every 100 ms: the read timeout never fires
    monkeypatch.setattr(transport_mod, "DEFAULT_DEADLINE", 1.0, raising=False)
    with _transport(service_module, carla, proxy.url) as client:
        started = time.monotonic()
        with pytest.raises(errors.ConnectionTimeout):
            client.get_json("/devices/current")
        assert time.monotonic() - started < 2.5
        proxy.set_mode("pass")
        assert client.get_json("/devices/current")  # the same client works again afterwards


def test_a_long_poll_gets_its_wait_plus_a_margin_as_deadline(service_module, proxy, tmp_path, monkeypatch):
    monkeypatch.setattr(engine_mod, "LONG_POLL_MARGIN_SECONDS", 1.5, raising=False)
    device = _through(Device(service_module, tmp_path / "eva", "eva"), proxy, long_poll_seconds=1)
    ws = device.workspace()
    try:
        ws.sync()
        cursor = ws.read(engine_mod.outbox.read_cursor)
        proxy.set_mode("drip")
        proxy.drip_interval = 0.3  # the empty page would take 10 s and more
        proxy.drop_connections()  # the kept-alive connection of the sync would not drip
        started = time.monotonic()
        with pytest.raises(errors.ConnectionTimeout):
            ws.engine._fetch(cursor, wait=1)
        assert 2.0 < time.monotonic() - started < 6.0  # wait 1 s + margin 1.5 s
    finally:
        proxy.drip_interval = 0.1
        ws.close()


# --- the live loop never gives up on its own -------------------------------------------------------------


def _case_for_a_note(ws) -> str:
    for row in ws.read(queries.my_cases):
        if ws.read(queries.case_detail, row.id).case["capabilities"]["add_note"]["allowed"]:
            return row.id
    raise AssertionError("no case that takes a note")


class _Failures:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def started(self) -> None: ...

    def page(self, n, counts) -> None: ...

    def finished(self, result) -> None: ...

    def failed(self, error) -> None:
        self.seen.append(type(error).__name__)


def _flaky(proxy: FaultProxy, seconds: float, handshake_closes: int = 0) -> None:
    """A flaky network also drops established connections now and then: each loop has to connect
    again, through the proxy's mix of faults, many times; at least until the proxy has closed
    `handshake_closes` connections in the handshake (the fault that stopped loops for good)."""
    ends, latest = time.monotonic() + seconds, time.monotonic() + 30
    closes = handshake_closes + proxy.counts["close_client_hello"] + proxy.counts["close_server_hello"]
    while time.monotonic() < ends or proxy.counts["close_client_hello"] + proxy.counts["close_server_hello"] < closes:
        assert time.monotonic() < latest, f"too few connections through the proxy: {proxy.counts}"
        time.sleep(0.3)
        proxy.drop_connections()


def test_live_loop_through_a_30_percent_faulty_network_never_gives_up_3_of_3(service_module, tmp_path, monkeypatch):
    monkeypatch.setattr(engine_mod, "BACKOFF_BASE_SECONDS", 0.05)  # keep the test short; the logic is the same
    monkeypatch.setattr(engine_mod, "BACKOFF_CAP_SECONDS", 0.5)
    monkeypatch.setattr(engine_mod, "LONG_POLL_MARGIN_SECONDS", 2.0, raising=False)
    with FaultProxy(service_module.url, seed=30, drip_interval=0.05) as proxy:
        loops = []
        for username in ("anouk", "bram", "femke"):
            device = _through(
                Device(service_module, tmp_path / username, username),
                proxy,
                connect_timeout_seconds=1.0,
                read_timeout_seconds=3.0,
                long_poll_seconds=1,
            )
            failures = _Failures()
            ws = device.workspace(failures)
            ws.sync()
            loops.append((ws, failures))
        try:
            proxy.set_mode(FaultProxy.mix(0.3))
            for ws, _ in loops:
                ws.start_live()
            _flaky(proxy, 4, handshake_closes=3)  # the faulty network at work on three live loops
            proxy.set_mode("refuse")  # then no network at all for a while: the notes stay queued
            proxy.drop_connections()
            notes = []
            for ws, _ in loops:
                text = f"Door een storing heen {ws.session.config.username}."
                actions.add_note(ws, _case_for_a_note(ws), text)
                notes.append(text)
            time.sleep(2)
            assert all(ws.read(queries.outbox_count) == 1 for ws, _ in loops)
            assert all(ws.engine.live for ws, _ in loops), "a live loop gave up"
            proxy.set_mode(FaultProxy.mix(0.3))
            _flaky(proxy, 4, handshake_closes=3)
            assert all(ws.engine.live for ws, _ in loops), "a live loop gave up"
            proxy.set_mode("pass")  # the network is back: no nudge, the backoff gets there
            for ws, failures in loops:
                wait_until(
                    lambda: ws.read(queries.outbox_count) == 0,
                    timeout=20,
                    message=f"the queued note delivered (failures seen: {failures.seen})",
                )
            assert all(ws.engine.live for ws, _ in loops)
            assert all(len(f.seen) > 5 for _, f in loops), [f.seen for _, f in loops]
            assert not any(
                name in ("DeviceCertificateNotAccepted", "DeviceCertificateExpired")
                for _, f in loops
                for name in f.seen
            )
            conn = service_module.db.conn()
            for text in notes:
                assert conn.execute("SELECT count(*) FROM journal_entries WHERE text = ?", (text,)).fetchone()[0] == 1
        finally:
            for ws, _ in loops:
                ws.close()


# --- "not yet valid" is a clock problem ------------------------------------------------------------------


def _server_certificate_from_the_future(service: RunningService, hours: float) -> None:
    """Replace the service's certificate by one of its own CA that starts `hours` from now, as a
    client clock that far behind sees a freshly issued one (negative: one that ended that long ago,
    as a clock that far ahead sees it)."""
    ca = OrganisationCA.load(service.layout.ca_cert, service.layout.ca_key)
    old = x509.load_pem_x509_certificate(service.layout.server_cert.read_bytes())
    key = serialization.load_pem_private_key(service.layout.server_key.read_bytes(), password=None)
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(old.subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(hours=hours) if hours > 0 else now - dt.timedelta(days=30))
        .not_valid_after(now + dt.timedelta(days=30) if hours > 0 else now + dt.timedelta(hours=hours))
    )
    for extension in old.extensions:
        builder = builder.add_extension(extension.value, critical=extension.critical)
    service.layout.server_cert.write_bytes(
        builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    )


def test_clock_two_hours_slow_is_a_clock_problem_not_an_impostor(tmp_path):
    service = RunningService(tmp_path / "service")
    _server_certificate_from_the_future(service, hours=2)
    service.start()
    try:
        with Transport(service.url, service.ca_path.read_bytes()) as client:
            with pytest.raises(errors.ConnectionProblem) as caught:
                client.get_json("/health", authenticated=False)
        assert isinstance(caught.value, errors.ClockBehind)
        assert not isinstance(caught.value, errors.ServerCertificateUntrusted)
        assert "datum en tijd" in caught.value.message()
    finally:
        service.close()


def test_service_certificate_expired_by_our_clock_is_no_impostor_alarm(tmp_path):
    service = RunningService(tmp_path / "service")
    _server_certificate_from_the_future(service, hours=-2)
    service.start()
    try:
        with Transport(service.url, service.ca_path.read_bytes()) as client:
            with pytest.raises(errors.ConnectionProblem) as caught:
                client.get_json("/health", authenticated=False)
        assert isinstance(caught.value, errors.ServerCertificateExpired)
        assert "datum en tijd" in caught.value.message()
    finally:
        service.close()


def test_our_certificate_not_yet_valid_by_a_slow_clock_is_a_clock_problem(service_module, carla, tmp_path):
    """Our clock 2 hours behind: by it, our fresh certificate starts in the future. A connection
    that closes after the handshake is then no reason to enroll again."""
    ca = OrganisationCA.load(service_module.layout.ca_cert, service_module.layout.ca_key)
    key, csr = make_csr()
    future = certificate_pem(
        ca.sign_device_csr(csr, "dev-future", not_before=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2))
    ).encode()
    identity = DeviceIdentity(future, key)
    closed = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    error = transport_mod.error_from_exception(closed, identity, service_module.ca_path.read_bytes())
    assert isinstance(error, errors.ClockBehind) and isinstance(error, errors.ConnectionProblem)
