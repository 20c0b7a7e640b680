"""HAProxy in front of service instances, for the cluster tests: the distribution's binary
(`make haproxy-install` installs the `haproxy` package when missing), run unprivileged in the
foreground with its own configuration in a temporary directory, on 127.0.0.1 only.

The configuration is the one docs/DEPLOYMENT.md shows operators (the fenced block after the
`haproxy.cfg` marker), with the test's addresses and CA put in: what the docs say is what is tested.

    proxy = HAProxy.start([port_a, port_b], ca_file)   # waits until both instances are UP
    proxy.url, proxy.states()                            # {"app1": "UP", "app2": "DOWN"}
    proxy.stop()
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "DEPLOYMENT.md"
MARKER = "<!-- haproxy.cfg: tests/cluster/haproxy.py runs this block -->"
RUN_AS = "nobody"  # HAProxy needs no privilege on a high port; CI runs the tests as root


class HAProxyUnavailable(RuntimeError):
    """No haproxy here: run `make haproxy-install` (or apt-get install haproxy)."""


def documented_config() -> str:
    text = DOCS.read_text(encoding="utf-8")
    after = text.split(MARKER, 1)[1]
    return after.split("```", 2)[1].split("\n", 1)[1]  # the fenced block, without its ```haproxy line


def config_for(port: int, servers: list[int], ca_file: Path, admin_socket: Path) -> str:
    """The documented configuration on 127.0.0.1:port, with `servers` as its instances."""
    lines = [
        "global",
        f"    stats socket {admin_socket} mode 600 level admin",
        "    maxconn 1000",
        "",
    ]
    for line in documented_config().splitlines():
        if re.match(r"\s*server\s", line):
            continue  # the documented hosts: replaced below
        line = re.sub(r"^(\s*bind\s+)\S+", rf"\g<1>127.0.0.1:{port}", line)
        line = re.sub(r"ca-file\s+\S+", f"ca-file {ca_file}", line)
        lines.append(line)
    lines += [f"    server app{i + 1} 127.0.0.1:{p}" for i, p in enumerate(servers)]
    return "\n".join(lines) + "\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HAProxy:
    def __init__(self, root: Path, process: subprocess.Popen, port: int):
        self.root, self.process, self.port = root, process, port

    @classmethod
    def start(cls, servers: list[int], ca_file: Path, timeout: float = 20) -> "HAProxy":
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not os.access(binary, os.X_OK):
            raise HAProxyUnavailable("HAProxy is not installed: run `make haproxy-install`")
        root = Path(tempfile.mkdtemp(prefix="menscentraal-haproxy-"))
        shutil.copy(ca_file, root / "ca.pem")  # the organisation CA is public; the rest stays private
        port = _free_port()
        (root / "haproxy.cfg").write_text(config_for(port, servers, root / "ca.pem", root / "admin.sock"))
        command = [binary, "-db", "-f", str(root / "haproxy.cfg")]
        if os.geteuid() == 0:
            shutil.chown(root, RUN_AS)
            for path in root.iterdir():
                shutil.chown(path, RUN_AS)
            command = ["runuser", "-u", RUN_AS, "--", *command]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=root)
        proxy = cls(root, process, port)
        try:
            proxy.wait_for(lambda states: len(states) == len(servers) and set(states.values()) == {"UP"}, timeout)
        except BaseException:
            proxy.stop()
            raise
        return proxy

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def _ask(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as admin:
            admin.settimeout(5)
            admin.connect(str(self.root / "admin.sock"))
            admin.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := admin.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def states(self) -> dict[str, str]:
        """Each instance's state as HAProxy's health checks see it ("UP", "DOWN", ...)."""
        rows = self._ask("show stat").splitlines()
        header = rows[0].lstrip("# ").split(",")
        states = {}
        for row in rows[1:]:
            fields = dict(zip(header, row.split(",")))
            if fields.get("svname", "").startswith("app"):
                states[fields["svname"]] = fields["status"].split(" ")[0]
        return states

    def wait_for(self, condition, timeout: float) -> dict[str, str]:
        deadline = time.monotonic() + timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("haproxy ended:\n" + self.process.stdout.read())
            try:
                states = self.states()
            except OSError:
                states = {}  # not listening on its socket yet
            if condition(states):
                return states
            time.sleep(0.1)
        raise AssertionError(f"HAProxy's view did not settle in {timeout} s: {states}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
