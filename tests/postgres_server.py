"""A throw-away PostgreSQL server for the tests: the distribution's binaries (`make pg-install`
installs the `postgresql` package when missing), a cluster in a temporary directory, reached only
over a Unix socket in that directory (no TCP port to collide with another run), durability off
(fsync, synchronous_commit: a test database need not survive a crash).

PostgreSQL refuses to run as root, and CI runs as root: then initdb and pg_ctl run as the
unprivileged `postgres` user of the distribution's package (`runuser -u postgres`).

    server = PostgresServer.start()       # ~1-2 s
    url = server.create_database()        # a fresh, empty schema of its own: postgresql://...
    server.drop_database(url)
    server.stop()                         # and the directory is removed
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

PORT = 5432  # only names the socket file: the directory is ours alone


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here: run `make pg-install` (or apt-get install postgresql)."""


def find_bindir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True):
        if os.access(os.path.join(candidate, "initdb"), os.X_OK):
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresUnavailable("PostgreSQL is not installed: run `make pg-install`")


class PostgresServer:
    def __init__(self, root: Path, bindir: Path, run_as: str | None):
        self.root = root
        self.bindir = bindir
        self.run_as = run_as
        self.data = root / "data"
        self.socket_dir = root
        self._names = itertools.count(1)
        self._services_made = False

    # --- life cycle ----------------------------------------------------------------------
    @classmethod
    def start(cls) -> "PostgresServer":
        bindir = find_bindir()
        run_as = "postgres" if os.geteuid() == 0 else None
        root = Path(tempfile.mkdtemp(prefix="menscentraal-pg-"))
        if run_as:
            shutil.chown(root, run_as, run_as)
        server = cls(root, bindir, run_as)
        try:
            server._run(
                "initdb",
                "-D",
                str(server.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            )
            options = (
                f"-k {root} -c listen_addresses='' -p {PORT} -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=300 -c shared_buffers=32MB"
            )
            server._run(
                "pg_ctl",
                "-D",
                str(server.data),
                "-l",
                str(root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            )
        except BaseException:
            server._remove()
            raise
        return server

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            self._remove()

    def _remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root, timeout=120)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr[-2000:]}\n{tail}")

    # --- databases -------------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={PORT}"

    def admin(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(self.url(database), autocommit=True)

    def create_database(self) -> str:
        """A fresh, empty place for one service: a schema of the shared database `services`,
        named by the URL's search_path (a schema is made in a millisecond, a database in ~0.5 s)."""
        name = f"service_{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            if not self._services_made:
                conn.execute('CREATE DATABASE "services"')
                self._services_made = True
        with self.admin("services") as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return self.url("services") + f"&options=-csearch_path%3D{name}"

    def drop_database(self, url: str) -> None:
        name = url.rsplit("%3D", 1)[1]
        with self.admin("services") as conn:
            conn.execute("SET lock_timeout = '5s'")  # a connection left behind must not hang the suite
            try:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            except Exception:
                pass  # left for the cluster's removal at the end of the session
