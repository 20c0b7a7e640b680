"""Re-check of issues 12 and 13 on the client side, with other probes than the first round."""
from __future__ import annotations

from desktop.cache import apply_page, queries
from tests.client.factories import make_page


def test_issue13_item1_only_colleagues_of_the_case_type_are_offered_as_coordinator(cache_conn):
    apply_page(cache_conn, make_page(colleagues=[
        {"id": "u-1", "display_name": "Anouk", "team_ids": [], "case_type_ids": ["ct-jeugd"]},
        {"id": "u-2", "display_name": "Daan", "team_ids": ["t-1"], "case_type_ids": ["ct-jeugd", "ct-wmo"]},
        {"id": "u-3", "display_name": "Oud", "team_ids": []},  # an older service: not said, offered
    ]))
    colleagues = queries.colleagues(cache_conn)
    assert [c.case_type_ids for c in colleagues] == [["ct-jeugd"], ["ct-jeugd", "ct-wmo"], None]
    assert [c.id for c in queries.coordinator_candidates(colleagues, "ct-wmo")] == ["u-2", "u-3"]
    assert [c.id for c in queries.coordinator_candidates(colleagues, "ct-jeugd")] == ["u-1", "u-2", "u-3"]
