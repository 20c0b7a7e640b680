"""A mail is sent once, whichever instance queued it and however many instances send: each sender
claims due messages in one UPDATE before it sends them (server_stub/mail.py). On both engines;
on PostgreSQL the senders are separate connection pools, as separate instances are."""

from __future__ import annotations

import threading

import pytest

from server_stub.mail import Mailer, MailSink
from server_stub.store import Database

MESSAGES = 120  # more than one claim batch


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def target(request, tmp_path):
    if request.param == "sqlite":
        yield tmp_path / "service.db"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


def test_three_senders_on_one_database_deliver_every_message_exactly_once(target, tmp_path):
    sink = MailSink(tmp_path / "mail")
    port = sink.start()
    databases = [Database(target, pool_size=4) for _ in range(3)]
    try:
        databases[0].migrate()
        mailers = [Mailer(db, "127.0.0.1", port, "MensCentraal <noreply@menscentraal.example>") for db in databases]
        for i in range(MESSAGES):  # queued through all three, as requests land on any instance
            mailers[i % 3].send(f"user{i}@example.org", f"Bericht {i:03d}", "Er staat een taak voor je klaar.")
        go = threading.Event()
        delivered = [0, 0, 0]

        def sender(index: int) -> None:
            go.wait(5)
            while True:
                sent = mailers[index].deliver_pending()
                delivered[index] += sent
                if not sent:
                    return

        threads = [threading.Thread(target=sender, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        go.set()
        for thread in threads:
            thread.join(60)
        subjects = sorted(
            path.read_text().split("Subject: ")[1].split("\n")[0] for path in (tmp_path / "mail").glob("*.eml")
        )
        assert subjects == [f"Bericht {i:03d}" for i in range(MESSAGES)]  # each once, none lost
        assert sum(delivered) == MESSAGES
        assert mailers[0].pending_count() == 0
    finally:
        for db in databases:
            db.close()
        sink.stop()
