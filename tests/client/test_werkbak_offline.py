"""'Niet voor mij' and a forward with a note made offline (issue 14): queued in the outbox like
any change, shown at once, and sent when the service is back."""

from __future__ import annotations

import pytest

from desktop import actions
from desktop.cache import queries
from tests.client.sync_helpers import Device


@pytest.fixture
def anouk(service, tmp_path):
    ws = Device(service, tmp_path / "anouk", "anouk").workspace()
    yield ws
    ws.close()


def test_niet_voor_mij_and_a_forward_note_made_offline_reach_the_service(service, anouk):
    anouk.sync()
    queue = anouk.read(queries.team_queue)
    # a task the service allows into the Wmo team's queue (it says so with every task)
    forwarded = next(t.id for t in queue if any(team["id"] == "team-wmo" for team in t.forward_teams or []))
    hidden = next(t.id for t in queue if t.id != forwarded)
    service.stop()
    assert not actions.dismiss(anouk, hidden).sent
    assert not actions.forward(anouk, forwarded, team_id="team-wmo", note="Graag door Wmo oppakken.").sent
    queue = {t.id for t in anouk.read(queries.team_queue)}
    assert hidden not in queue and forwarded not in queue  # shown at once, before any answer
    assert anouk.read(queries.outbox_count) == 2
    service.start()
    anouk.sync()
    conn = service.db.conn()
    assert (
        conn.execute(
            "SELECT 1 FROM task_dismissals WHERE user_id = ? AND task_id = ?", (anouk.session.user["id"], hidden)
        ).fetchone()
        is not None
    )
    assert hidden not in {t.id for t in anouk.read(queries.team_queue)}  # the service's answer agrees
    assert (
        conn.execute("SELECT note FROM task_events WHERE task_id = ? AND event = 'forwarded'", (forwarded,)).fetchone()[
            0
        ]
        == "Graag door Wmo oppakken."
    )
    assert anouk.read(queries.outbox_count) == 0
