"""Service instances as real processes, as an operator runs them, for the cluster tests.

    instance = Instance.start(data_dir, workers=2)   # `menscentraal-server run DATA_DIR --port 0 --workers 2`
    instance.port, instance.url, instance.workers()  # the worker processes' ids
    instance.kill()                                   # SIGKILL to the whole instance, as a machine dying
    instance.stop()                                   # SIGTERM, as `systemctl stop`

Each instance runs in its own session (process group), so `kill` takes its workers with it.
`connections_to(port)` counts the established TCP connections to a local port (from /proc).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 60


class Instance:
    def __init__(self, process: subprocess.Popen, port: int, output: list[str]):
        self.process, self.port, self.output = process, port, output

    @classmethod
    def start(cls, data_dir: Path, *, workers: int = 1, port: int = 0) -> "Instance":
        process = subprocess.Popen(
            [sys.executable, "-m", "server_stub", "run", str(data_dir), "--port", str(port), "--workers", str(workers)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=REPO,
            start_new_session=True,
        )
        output: list[str] = []
        found = None
        deadline = time.monotonic() + START_SECONDS
        # "Demo-accounts" is the last line `run` prints once every worker serves.
        for line in process.stdout:
            output.append(line)
            found = found or re.search(r"https://[\d.]+:(\d+)/api/v1", line)
            if "Demo-accounts" in line or time.monotonic() > deadline:
                break
        if found is None or "Demo-accounts" not in "".join(output):
            _end(process, signal.SIGKILL)
            raise RuntimeError("the instance did not start:\n" + "".join(output))
        # Keep reading its output, so that a full pipe never blocks it.
        threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
        return cls(process, int(found.group(1)), output)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The worker processes (spawned by uvicorn's supervisor; not its resource tracker)."""
        found = []
        for child in _children(self.process.pid):
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            if b"--multiprocessing-fork" in cmdline:
                found.append(child)
        return found

    def kill(self) -> None:
        _end(self.process, signal.SIGKILL)

    def stop(self) -> None:
        _end(self.process, signal.SIGTERM)


def _end(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is None:
        if sig == signal.SIGKILL:
            os.killpg(process.pid, sig)  # the supervisor and every worker at once
        else:
            process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    try:
        os.killpg(process.pid, signal.SIGKILL)  # nothing of it may outlive the test
    except ProcessLookupError:
        pass


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(word) for word in text.split()]


def connections_to(port: int) -> int:
    """Established TCP connections (IPv4) whose local end is `port`: the clients of that listener."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].split(":")[1], 16)
        if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
            count += 1
    return count


def wait_for(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(0.05)
