"""One running app per user and profile: a second start hands its task link (or just "show
yourself") to the first over a local socket and exits; the first opens the task.

The socket (a named pipe on Windows) is named after the user and the profile's folder, so two
profiles of one user, or two users of one machine, never meet; only its user may connect.
Protocol: one UTF-8 line, `open LINK` or `show`; the first app answers `ok`.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

HAND_OVER_TIMEOUT_MS = 3_000
SHOW = "show"
OPEN = "open "


def server_name(profile_root: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid: the profile's folder still tells us apart
        user = "user"
    folder = hashlib.sha256(str(Path(profile_root).resolve()).encode()).hexdigest()[:16]
    return f"menscentraal-{hashlib.sha256(user.encode()).hexdigest()[:8]}-{folder}"


def hand_over(name: str, link: str | None, timeout_ms: int = HAND_OVER_TIMEOUT_MS) -> bool:
    """True when an app already runs on this profile and took `link` (None: it only comes to the front).

    Blocking, for the starting process only (it has no window yet)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(((OPEN + link) if link else SHOW).encode() + b"\n")
    answered = socket.waitForBytesWritten(timeout_ms) and _read_line(socket, timeout_ms) == "ok"
    socket.disconnectFromServer()
    return answered


def _read_line(socket: QLocalSocket, timeout_ms: int) -> str:
    while not socket.canReadLine():
        if not socket.waitForReadyRead(timeout_ms):
            return ""
    return bytes(socket.readLine()).decode("utf-8", "replace").strip()


class SingleInstance(QObject):
    """The first app's end: `show_requested` and `link_received` for what later starts handed over."""

    show_requested = Signal()
    link_received = Signal(str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Listen, replacing a socket file a crashed app left (no app answered on it: see `hand_over`)."""
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine()).decode("utf-8", "replace").rstrip("\r\n")
        socket.write(b"ok\n")
        socket.flush()
        socket.disconnectFromServer()
        if line.startswith(OPEN):
            self.link_received.emit(line[len(OPEN) :])
        else:
            self.show_requested.emit()
