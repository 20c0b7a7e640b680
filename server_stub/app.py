"""The ASGI application: one `ServiceContext` per DATA_DIR, the gate, and the routers.

`create_app(data_dir)` opens the database (applying any new migration), loads the CA and the
device deny-list, and wires the routes. The mail sink and the TLS server are started by whoever
serves the app (`menscentraal-server run`, or the test fixtures), which pass the sink's port in
`config`.
"""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from server_stub import contract, problems
from server_stub.accounts import AccountService, DeviceFollower, DeviceRegistry
from server_stub.config import Config, DataDir, database_target, load_config
from server_stub.escrow import open_sealer
from server_stub.mail import Mailer
from server_stub.pki import OrganisationCA, certificate_pem
from server_stub.routes import DeviceGate, admin, devices, enrollment, health, sessions
from server_stub.routes import cases, device_key, groups, preferences, sync, tasks
from server_stub.routes.noop_sync import NoopSyncPath
from server_stub.store import Database, feed

log = logging.getLogger("server_stub")


@dataclass
class ServiceContext:
    """Everything a route may need, in one place (`request.app.state.service`)."""

    data_dir: DataDir
    config: Config
    db: Database
    mailer: Mailer
    ca: OrganisationCA
    ca_pem: str
    devices: DeviceRegistry
    accounts: AccountService


def open_context(data_dir: Path, config: Config | None = None) -> ServiceContext:
    layout = DataDir(Path(data_dir))
    config = config or load_config(layout.root)
    db = Database(database_target(layout, config), pool_size=config.database_pool_size)
    try:
        db.migrate()
        ca = OrganisationCA.load(layout.ca_cert, layout.ca_key)
        mailer = Mailer(db, config.mail.host, config.mail.port, config.mail.sender, config.mail.retry_seconds)
        registry = DeviceRegistry()
        registry.load(db)
        accounts = AccountService(db, config, ca, mailer, registry, open_sealer(db, layout.escrow_master_key))
    except BaseException:
        db.close()  # a service that cannot start keeps no connection (nor pool) open
        raise
    return ServiceContext(layout, config, db, mailer, ca, certificate_pem(ca.certificate), registry, accounts)


def create_app(data_dir: Path, *, config: Config | None = None) -> FastAPI:
    context = open_context(data_dir, config)

    # On PostgreSQL other instances may share the database: follow their enrollments and
    # revocations, and wake each other's long-polls (LISTEN/NOTIFY).
    follower = DeviceFollower(context.db, context.devices) if context.db.kind == "postgresql" else None
    signal = feed.FeedSignal()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        context.mailer.start()
        relay = None
        if follower:
            follower.start()
            relay = context.db.relay(feed.FeedSignal.CHANNEL, signal.wake)
            signal.broadcast = lambda users: relay.send(context.db.conn(), users)
        try:
            yield
        finally:
            signal.broadcast = None
            if relay:
                relay.stop()
            if follower:
                follower.stop()
            context.mailer.stop()
            context.db.close()

    app = build_app(lifespan)
    app.state.service = context
    # A revoked device's waiting long-polls are woken at once, to be answered device-revoked.
    app.state.feed_signal = signal
    context.devices.on_revoke(lambda entry: signal.wake({entry.user_id}))
    problems.install(app)
    # Starlette runs the last added middleware first: the version header, the size limit, the gate,
    # then the lean path of a no-op sync (behind the gate: the device is known and not revoked).
    app.add_middleware(NoopSyncPath)
    app.add_middleware(
        DeviceGate,
        registry=context.devices,
        allowlist=context.config.network_allowlist,
        look_up=follower.look_up if follower else None,
    )
    app.add_middleware(problems.BodySizeLimit, max_bytes=context.config.max_body_bytes)
    app.add_middleware(contract.ApiVersionHeader)
    return app


def settle_heap() -> None:
    """Before a service process serves: what it has made so far (imports, the app, its routes and
    models, ~75,000 objects) lives as long as the process, so keep it out of the collector's sight.
    Under load a full collection then stops the event loop for ~15-25 ms instead of 75-370 ms
    (issue 19's p99). Only in a process that is the service (cli, workers), not in a test's."""
    gc.collect()
    gc.freeze()


def build_app(lifespan=None) -> FastAPI:
    """The routes alone (no data directory): what `create_app` serves and the OpenAPI export reads."""
    app = FastAPI(
        title="MensCentraal dienst",
        version=contract.API_VERSION,
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=contract.operation_id,
    )
    app.openapi = lambda: app.openapi_schema or _cache_openapi(app)

    # --- the front door (issue 2) ---
    app.include_router(health.router)
    app.include_router(enrollment.router)
    app.include_router(sessions.router)
    app.include_router(devices.router)
    app.include_router(device_key.router)
    app.include_router(admin.router)

    # --- work and sync (issue 3) ---
    app.include_router(sync.router)
    app.include_router(cases.router)
    app.include_router(tasks.router)
    app.include_router(groups.router)
    app.include_router(preferences.router)
    return app


def _cache_openapi(app: FastAPI) -> dict:
    app.openapi_schema = contract.openapi_document(app)
    return app.openapi_schema
