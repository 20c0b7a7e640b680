"""Pytest plugin: the real service over mutual TLS on loopback, for service, client and UI tests.

Loaded from tests/conftest.py (`pytest_plugins = ["tests.service_fixtures"]`).

Fixtures
--------
`service`          function-scoped: a fresh DATA_DIR under tmp_path (demo people, `--fast-kdf`,
                   `--scale 1`), the service running in this process on a background thread
                   (uvicorn with our TLS 1.3 context and protocol, an ephemeral port on 127.0.0.1)
                   and the SMTP sink on an ephemeral port. Stopped and cleaned up afterwards.
`service_module`   the same, shared by the tests of one module (cheaper; tests must not depend on
                   each other's changes, e.g. use different users).
`service_factory`  function-scoped callable `service_factory(**options) -> RunningService` for a
                   service with other options: `config_changes={"network_allowlist": ("127.0.0.0/8",)}`,
                   `scale=`, `seed=`; every service it made is stopped at teardown.
`backend`          "sqlite" (the default here) or "postgresql": which database the three above use.
                   tests/server/conftest.py parametrizes it, so every service test runs on both;
                   on PostgreSQL each service gets a fresh database in the session's throw-away
                   server (`postgres_server`, tests/postgres_server.py), dropped at teardown.

`RunningService` (what the fixtures yield)
    .url            "https://127.0.0.1:PORT" (the API lives under /api/v1)
    .ca_path        the organisation CA (pin it)
    .data_dir       the DATA_DIR (a `Path`); .layout is its `DataDir`
    .backend        "sqlite" or "postgresql"; .database the PostgreSQL URL ("" for SQLite)
    .accounts       the demo accounts: [{"username", "password", "role", "organisation", "teams"}]
    .account(u)     one of them by username; .password(u) its password
    .people         the `People` the demo data was built from (ids, teams, e-mail addresses)
    .db             a `Database` on the service's file, for assertions (call .flush_audit() first,
                    or use .audit_entries(), which flushes the *service's* buffer too)
    .context        the live `ServiceContext` (config, accounts service, deny-list) while running
    .mailbox()      every message the sink caught, parsed (`email.message.EmailMessage`), oldest first
    .mail_matching(to=None, subject=None)   caught messages filtered by substrings of To and Subject
    .wait_for_mail(to=None, subject=None, count=1, timeout=10)  wait until the sink caught them
    .enroll_code(u) a fresh one-time enrollment code for user u (as `enroll-code` prints it)
    .stop() / .start() / .restart()   take the service offline and back on the same port
    .running        whether it is up

Helpers for service tests (the desktop client has its own transport)
    enrolled_client(service, username, *, login=False, password=None) -> httpx.Client
        makes a P-256 key and CSR, enrolls with a fresh code over server-authenticated TLS, and
        returns a client over mutual TLS 1.3 with the CA pinned; with login=True it also logs in
        and sends the bearer token. Extra attributes: .device_id, .cert_path, .key_path,
        .username, .session (the login answer, when login=True).
    plain_client(service) -> httpx.Client          TLS 1.3, CA pinned, no client certificate
    mtls_client(service, cert_path, key_path)      TLS 1.3 with the given certificate
    make_csr() -> (key, csr_pem)                   a fresh P-256 key and its CSR
    login(client, username, password) -> dict      POST /sessions and set the bearer header
"""

from __future__ import annotations

import email
import email.policy
import os
import ssl
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from server_stub import cli
from server_stub.app import create_app
from server_stub.config import DataDir, ThrottleConfig, load_config
from server_stub.demo_people import build_people
from server_stub.mail import MailSink
from server_stub.store import Database
from server_stub.tls import bind_socket, server_ssl_context, uvicorn_server

API = "/api/v1"
START_TIMEOUT = 15
# Every request throttle far above what a test does; the mail limit stays the production one.
TEST_THROTTLES = ThrottleConfig(
    login_per_source=100_000,
    login_per_account=100_000,
    enrollment_per_source=100_000,
    enrollment_per_account=100_000,
    password_reset_per_source=100_000,
    password_reset_per_account=100_000,
    resume_per_source=100_000,
    resume_per_account=100_000,
)


def wait_until(condition, timeout: float = 10.0, interval: float = 0.01, message: str = "condition"):
    """Poll `condition` until it returns something truthy; return that, or fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


class RunningService:
    def __init__(
        self,
        data_dir: Path,
        *,
        scale: int = 1,
        seed: int = 1,
        config_changes: dict | None = None,
        database: str = "",
        on_close=None,
    ):
        self.data_dir = Path(data_dir)
        self.layout = DataDir(self.data_dir)
        # Tests log in, enroll and ask for mail far more often than a person does: throttles up.
        config_changes = {"throttle": TEST_THROTTLES, **(config_changes or {})}
        self.accounts = cli.init(
            self.data_dir,
            scale=scale,
            seed=seed,
            fast_kdf=True,
            port=0,
            config_changes=config_changes,
            database=database,
        )
        self.people = build_people(seed)
        self.ca_path = self.layout.ca_cert
        self.host = "127.0.0.1"
        self.port: int | None = None
        self.database = database
        self.backend = "postgresql" if database else "sqlite"
        self.db = Database(database or self.layout.database, pool_size=8)
        self._on_close = on_close
        self._sink: MailSink | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._parsed: dict[str, email.message.EmailMessage] = {}
        self.app = None
        # An ASGI wrapper put around the app at each start (tests/faulty_service.py installs one).
        self.wrap_app = None

    @classmethod
    def beside(cls, other: "RunningService") -> "RunningService":
        """A second instance on `other`'s DATA_DIR and database (PostgreSQL: several instances)."""
        twin = cls.__new__(cls)
        twin.__dict__.update(
            data_dir=other.data_dir,
            layout=other.layout,
            accounts=other.accounts,
            people=other.people,
            ca_path=other.ca_path,
            host=other.host,
            port=None,
            database=other.database,
            backend=other.backend,
            _on_close=None,
            _sink=None,
            _server=None,
            _thread=None,
            _parsed={},
            app=None,
            wrap_app=None,
        )
        twin.db = Database(other.database or other.layout.database, pool_size=8)
        return twin

    # --- life cycle ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def context(self):
        return self.app.state.service

    def start(self) -> "RunningService":
        if self.running:
            return self
        config = load_config(self.data_dir)
        if self._sink is None:
            self._sink = MailSink(self.layout.mail, config.mail.host, 0)
            self._sink.start()
        # Mail to the sink; undeliverable mail is retried quickly so tests need not wait long.
        config = replace(config, mail=replace(config.mail, port=self._sink.port, retry_seconds=0.5))
        sock = bind_socket(self.host, self.port or 0)
        self.port = sock.getsockname()[1]
        self.app = create_app(self.data_dir, config=config)
        tls = server_ssl_context(self.layout.server_cert, self.layout.server_key, self.layout.ca_cert)
        served = self.app if self.wrap_app is None else self.wrap_app(self.app)
        self._server = uvicorn_server(served, tls, host=self.host, port=self.port, graceful_seconds=1)
        failure: list[BaseException] = []

        def serve():
            try:
                self._server.run(sockets=[sock])
            except BaseException as exc:  # surfaced by the wait below
                failure.append(exc)
            finally:
                sock.close()

        self._thread = threading.Thread(target=serve, name=f"service-{self.port}", daemon=True)
        self._thread.start()
        wait_until(
            lambda: self._server.started or failure or not self._thread.is_alive(),
            timeout=START_TIMEOUT,
            message="the service to start",
        )
        if failure or not self._server.started:
            raise RuntimeError("the service did not start") from (failure[0] if failure else None)
        return self

    def stop(self) -> None:
        """Take the service offline (connections refused) until `start()`; the data stays."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            if self._thread.is_alive():
                raise RuntimeError("the service did not stop within 10 s")
        self._thread = None
        self._server = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        self.stop()
        if self._sink is not None:
            self._sink.stop()
            self._sink = None
        self.db.close()
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    # --- conveniences for tests ---------------------------------------------------------------
    def account(self, username: str) -> dict:
        return next(a for a in self.accounts if a["username"] == username)

    def password(self, username: str) -> str:
        return self.account(username)["password"]

    def user_id(self, username: str) -> str:
        return self.people.user(username).id

    def enroll_code(self, username: str) -> str:
        if self.running:
            return self.context.accounts.issue_enrollment_code(self.user_id(username), None)[0]
        return cli.enroll_code(self.data_dir, username)

    def audit_entries(self, object_type: str | None = None, object_id: str | None = None):
        if self.running:
            self.context.db.flush_audit()
        return self.db.audit_entries(object_type, object_id)

    def mailbox(self) -> list[email.message.EmailMessage]:
        # Files appear atomically (written aside, then renamed); each is parsed once.
        for path in sorted(self.layout.mail.glob("*.eml")):
            if path.name not in self._parsed:
                self._parsed[path.name] = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        return [self._parsed[name] for name in sorted(self._parsed)]

    def mail_matching(self, to: str | None = None, subject: str | None = None) -> list[email.message.EmailMessage]:
        """Caught messages whose To contains `to` and Subject contains `subject` (both optional)."""
        return [
            m
            for m in self.mailbox()
            if (to is None or to in str(m["To"])) and (subject is None or subject in str(m["Subject"]))
        ]

    def wait_for_mail(self, to: str | None = None, subject: str | None = None, count: int = 1, timeout: float = 10.0):
        """Wait until the sink caught `count` matching messages; return all matching ones."""

        def matching():
            found = self.mail_matching(to, subject)
            return found if len(found) >= count else None

        return wait_until(
            matching, timeout=timeout, message=f"{count} message(s) to {to or 'anyone'} about {subject or 'anything'}"
        )


# --- clients ---------------------------------------------------------------------------------


def _tls_context(ca_path: Path, cert_path: Path | None = None, key_path: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca_path))
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    if cert_path is not None:
        context.load_cert_chain(str(cert_path), str(key_path))
    return context


class ServiceClient(httpx.Client):
    """An httpx.Client that may be used in a `with` block after its first request (login)."""

    def __enter__(self):
        if self._state.name == "OPENED":
            return self
        return super().__enter__()


def plain_client(service: RunningService, **kwargs) -> httpx.Client:
    return ServiceClient(base_url=service.url, verify=_tls_context(service.ca_path), timeout=10, **kwargs)


def mtls_client(service: RunningService, cert_path: Path, key_path: Path, **kwargs) -> httpx.Client:
    return ServiceClient(
        base_url=service.url, verify=_tls_context(service.ca_path, cert_path, key_path), timeout=10, **kwargs
    )


def make_csr() -> tuple[ec.EllipticCurvePrivateKey, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device")]))
        .sign(key, hashes.SHA256())
    )
    return key, csr.public_bytes(serialization.Encoding.PEM).decode("ascii")


def write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> Path:
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return path


def login(client: httpx.Client, username: str, password: str) -> dict:
    response = client.post(f"{API}/sessions", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    client.headers["Authorization"] = f"Bearer {body['access_token']}"
    return body


def enrolled_client(
    service: RunningService, username: str, *, login: bool = False, password: str | None = None
) -> httpx.Client:
    password = password or service.password(username)
    key, csr = make_csr()
    with plain_client(service) as anonymous:
        response = anonymous.post(
            f"{API}/enrollments",
            json={"username": username, "password": password, "code": service.enroll_code(username), "csr": csr},
        )
    assert response.status_code == 201, response.text
    body = response.json()
    directory = service.data_dir.parent / "clients" / f"{username}-{uuid.uuid4().hex[:8]}"
    directory.mkdir(parents=True)
    cert_path = directory / "device.pem"
    cert_path.write_text(body["certificate"], encoding="ascii")
    key_path = write_key(key, directory / "device-key.pem")
    client = mtls_client(service, cert_path, key_path)
    client.device_id = body["device_id"]
    client.cert_path, client.key_path, client.username = cert_path, key_path, username
    client.session = _login(client, username, password) if login else None
    return client


_login = login


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backend() -> str:
    """The database of the service fixtures; tests/server/conftest.py runs its tests on both."""
    return "sqlite"


@pytest.fixture(scope="session")
def postgres_server():
    """One throw-away PostgreSQL server for the test session, started on first use."""
    from tests.postgres_server import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer.start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            raise  # `make test` installs it; CI must not pass by skipping the second backend
        pytest.skip(str(exc))
    yield server
    server.stop()


def _database_options(backend: str, request) -> dict:
    """RunningService options for `backend`: a fresh PostgreSQL database, dropped at close."""
    if backend == "sqlite":
        return {}
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    return {"database": url, "on_close": lambda: server.drop_database(url)}


@pytest.fixture
def service(tmp_path, backend, request):
    running = RunningService(tmp_path / "service", **_database_options(backend, request)).start()
    yield running
    running.close()


@pytest.fixture(scope="module")
def service_module(tmp_path_factory, backend, request):
    running = RunningService(tmp_path_factory.mktemp("service") / "data", **_database_options(backend, request)).start()
    yield running
    running.close()


@pytest.fixture
def service_factory(tmp_path, backend, request):
    made: list[RunningService] = []

    def make(**options) -> RunningService:
        running = RunningService(
            tmp_path / f"service-{len(made)}", **{**_database_options(backend, request), **options}
        ).start()
        made.append(running)
        return running

    yield make
    for running in made:
        running.close()
