"""Sending mail over SMTP, with an outbox, and the built-in sink that catches it for demos and tests.

`Mailer.send` stores the message in the `mail_outbox` table and wakes a sender thread that
delivers it with `smtplib`; mail that cannot be delivered stays in the outbox and is retried,
so sending never fails the request that asked for it. A delivered message's body is cleared
from the outbox (it may hold a temporary password).

`MailSink` is a real SMTP server (aiosmtpd) on its own thread and event loop; it writes every
message it receives to DATA_DIR/mail as an .eml file, where a demo user can read it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import smtplib
import threading
import uuid
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.smtp import SMTP

from server_stub.store import Database, to_iso, utc_now

log = logging.getLogger("server_stub.mail")

SMTP_TIMEOUT_SECONDS = 5
CLAIM_BATCH = 50  # messages claimed at once: well within the lease at the SMTP timeout each
CLAIM_SECONDS = CLAIM_BATCH * SMTP_TIMEOUT_SECONDS * 2


class Mailer:
    """Queues mail in the database and delivers it over SMTP from one background thread."""

    def __init__(self, db: Database, host: str, port: int, sender: str, retry_seconds: float = 30.0):
        self.db = db
        self.host = host
        self.port = port
        self.sender = sender
        self.retry_seconds = retry_seconds
        self._wakeup = threading.Event()
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._thread: threading.Thread | None = None

    def send(self, to_address: str, subject: str, body: str) -> str:
        """Queue a plain-text message and return its outbox id. Never raises for delivery problems."""
        message_id = uuid.uuid4().hex
        now = to_iso(utc_now())
        self.db.conn().execute(
            "INSERT INTO mail_outbox (id, to_address, subject, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)",
            (message_id, to_address, subject, body, now, now),
        )
        self._idle.clear()
        self._wakeup.set()
        return message_id

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
            self._thread.start()
            self._wakeup.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()
        if self._thread is not None:
            self._thread.join(timeout=SMTP_TIMEOUT_SECONDS + 2)
            self._thread = None

    def deliver_pending(self) -> int:
        """Claim the messages due now (at most CLAIM_BATCH) and try them; return how many were delivered."""
        now = to_iso(utc_now())
        # Claimed in one UPDATE before sending: of several senders on one database (instances on
        # PostgreSQL) each message goes to one (the others' UPDATE re-checks the row and skips it);
        # a claim never settled (the instance died mid-send) is due again after the lease.
        lease = to_iso(utc_now() + timedelta(seconds=CLAIM_SECONDS))
        due = sorted(
            self.db.conn().execute(
                "UPDATE mail_outbox SET next_attempt_at = ? WHERE id IN (SELECT id FROM mail_outbox "
                "WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY created_at LIMIT ?) "
                "AND sent_at IS NULL AND next_attempt_at <= ? "
                "RETURNING id, to_address, subject, body, attempts, created_at",
                (lease, now, CLAIM_BATCH, now),
            ),
            key=lambda row: (row["created_at"], row["id"]),
        )
        delivered = 0
        for row in due:
            try:
                self._deliver(row["to_address"], row["subject"], row["body"] or "")
            except (OSError, smtplib.SMTPException) as exc:
                # Logged by kind only: the address is personal data.
                log.warning("mail %s not delivered (%s); it stays in the outbox", row["id"], type(exc).__name__)
                retry_at = utc_now() + timedelta(seconds=self.retry_seconds * min(2 ** row["attempts"], 64))
                self.db.conn().execute(
                    "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                    (type(exc).__name__, to_iso(retry_at), row["id"]),
                )
            else:
                delivered += 1
                self.db.conn().execute(
                    "UPDATE mail_outbox SET attempts = attempts + 1, sent_at = ?, body = NULL, last_error = NULL WHERE id = ?",
                    (to_iso(utc_now()), row["id"]),
                )
        return delivered

    def pending_count(self) -> int:
        return self.db.conn().execute("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL").fetchone()[0]

    def _deliver(self, to_address: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to_address
        message["Subject"] = subject
        message["Message-ID"] = f"<{uuid.uuid4().hex}@menscentraal.example>"
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            smtp.send_message(message)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wakeup.wait(timeout=min(self.retry_seconds, 5))
            self._wakeup.clear()
            if self._stopping.is_set():
                break
            try:
                while self.deliver_pending() == CLAIM_BATCH and not self._stopping.is_set():
                    pass  # a full batch: there may be more due now
            except Exception:  # never let the sender thread die; the outbox keeps the mail
                log.exception("mail sender failed; retrying later")


class _EmlWriter:
    """aiosmtpd handler: write each message to a directory as an .eml file, atomically."""

    def __init__(self, directory: Path):
        self.directory = directory
        self._counter = itertools.count(1)

    async def handle_DATA(self, server, session, envelope):
        stamp = utc_now().strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{next(self._counter):04d}.eml"
        tmp = self.directory / (name + ".part")
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        # A message may hold a temporary password: 0600 whatever the umask.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write(data)
        os.replace(tmp, self.directory / name)
        return "250 Message accepted for delivery"


class MailSink:
    """A real SMTP server on host:port (0 picks a free port) that stores messages as .eml files."""

    def __init__(self, directory: Path, host: str = "127.0.0.1", port: int = 0):
        self.directory = Path(directory)
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> int:
        """Start serving; return the port it listens on."""
        # aiosmtpd logs every envelope address at INFO; addresses are personal data.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        ready = threading.Event()
        failure: list[BaseException] = []
        handler = _EmlWriter(self.directory)

        def serve():
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(
                    loop.create_server(
                        lambda: SMTP(handler, hostname="menscentraal-sink", enable_SMTPUTF8=True),
                        host=self.host,
                        port=self.port,
                    )
                )
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            self._server.close()
            loop.run_until_complete(self._server.wait_closed())
            loop.close()

        self._thread = threading.Thread(target=serve, name="mail-sink", daemon=True)
        self._thread.start()
        ready.wait(timeout=10)
        if failure:
            raise failure[0]
        return self.port

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._thread = None
        self._loop = None

    def messages(self) -> list[Path]:
        return sorted(self.directory.glob("*.eml"))
