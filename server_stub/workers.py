"""`menscentraal-server run --workers N`: N worker processes serving one listening socket.

uvicorn's own supervisor (`uvicorn.supervisors.Multiprocess`) does the work: the socket is bound
once here and handed to N *spawned* processes (no fork: the parent may hold threads and pools),
each of which builds the whole service itself (`worker_app`): its own connection pool, mail
sender, device follower, LISTEN connection and long-poll waiters, exactly as a separate instance
on the same database would. A worker that dies is replaced; SIGHUP replaces them one by one (each
new worker serves before the old one stops); SIGTERM or Ctrl+C stops them all.

What stays in the parent: the listening socket and the built-in mail sink (one for all workers).
Workers end with the parent (PR_SET_PDEATHSIG), so a supervisor killed outright leaves no orphan
serving the port. Only on PostgreSQL: SQLite's one writer file is for one process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os
import signal
import socket
import sys
from pathlib import Path

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from server_stub.config import Config, DataDir
from server_stub.tls import MutualTLSHttpToolsProtocol, server_ssl_context

log = logging.getLogger("server_stub")

READY_SECONDS = 60  # a worker imports the service and opens its pool: seconds, on a loaded host
_PR_SET_PDEATHSIG = 1


def _end_with_parent(parent_pid: int) -> None:
    """SIGTERM this worker when its supervisor dies, however it dies (Linux; elsewhere the
    supervisor's own shutdown stops the workers)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def worker_app(data_dir: Path, config: Config, parent_pid: int):
    """The ASGI app of one worker process (called by uvicorn in the spawned process)."""
    from server_stub.app import create_app, settle_heap

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s")
    _end_with_parent(parent_pid)
    try:
        app = create_app(data_dir, config=config)
    except Exception as exc:
        # Exit with uvicorn's start-up failure: the supervisor then stops instead of restarting a
        # worker that would fail the same way forever.
        log.error("worker could not start: %s", exc)
        sys.exit(STARTUP_FAILURE)
    settle_heap()
    return app


def _tls_context(cert: Path, key: Path, ca: Path, _config, _default):
    return server_ssl_context(cert, key, ca)  # made in each worker: an SSLContext does not pickle


class _Supervisor(Multiprocess):
    """uvicorn's supervisor, which also waits for every first worker to serve before it says so."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket], on_ready) -> None:
        super().__init__(config, sockets)
        self.on_ready = on_ready
        self.failed = False

    def init_processes(self) -> None:
        super().init_processes()
        for process in self.processes:
            if not process.wait_until_ready(READY_SECONDS, self.should_exit):
                self.failed = not self.should_exit.is_set()
                self.should_exit.set()
                return
        self.on_ready()


def serve(layout: DataDir, config: Config, sock: socket.socket, workers: int, on_ready) -> bool:
    """Serve with `workers` processes until SIGTERM/SIGINT; False when the workers could not start."""
    settings = uvicorn.Config(
        functools.partial(worker_app, layout.root, config, os.getpid()),
        factory=True,
        workers=workers,
        http=MutualTLSHttpToolsProtocol,
        ssl_context_factory=functools.partial(_tls_context, layout.server_cert, layout.server_key, layout.ca_cert),
        lifespan="on",
        log_level="warning",
        access_log=False,  # request lines could carry ids of people; the audit log records what matters
        timeout_graceful_shutdown=2,
        server_header=False,
    )
    supervisor = _Supervisor(settings, [sock], on_ready)
    supervisor.run()
    return not supervisor.failed
