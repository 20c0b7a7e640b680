"""Re-check of issue 12 with a misbehaving service in front of the real one (tests/faulty_service.py)."""

from __future__ import annotations

import pytest

from desktop import errors
from desktop.cache import queries
from tests.client.test_push_refusals import assert_cache_equals_service, devices, faults, offline_notes  # noqa: F401
from tests.faulty_service import rewrite_answer


def _with_foreign_result(document):
    if isinstance(document, dict) and isinstance(document.get("results"), list) and document["results"]:
        forged = dict(document["results"][0], id="never-sent-0001", status="rejected", code="forbidden")
        document["results"] = [forged] + [dict(r, status="rejected", code="forbidden") for r in document["results"]]
    return document


def test_issue12_push_results_for_ids_never_sent_settle_nothing_and_all_apply_once_after(service, faults, devices):
    anouk = devices("anouk")
    anouk.sync()
    made = offline_notes(anouk, 3)
    faults.add(rewrite_answer(_with_foreign_result, name="foreign-results"), times=1)
    with pytest.raises(errors.InvalidResponse):
        anouk.sync()
    # The service applied them, but its answer was not about our batch alone: nothing is marked
    # refused, nothing dropped; the retry gets the stored results.
    assert anouk.read(queries.outbox_count) == 3
    assert anouk.read(queries.unprocessed_changes) == []
    result = anouk.sync()
    assert result.complete and not result.rejected and anouk.read(queries.outbox_count) == 0
    entries = [r[0] for r in service.db.conn().execute("SELECT id FROM journal_entries WHERE id LIKE 'offline-%'")]
    assert sorted(entries) == sorted(m.payload["entry_id"] for m in made)
    assert_cache_equals_service(anouk, service, "anouk")
