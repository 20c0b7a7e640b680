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


def test_issue12_odd_retry_after_values_never_crash_the_client_and_stay_capped():
    from desktop import errors
    from desktop.sync.transport import MAX_RETRY_AFTER, retry_after_seconds
    for value in ("99999999999999999999999", "²", "١٢٣", "-5", "1e9", "Tue, 01 Jan 0001 00:00:00 -1400",
                  "Fri, 31 Dec 9999 23:59:59 +1400", " 10 ", "0", "", "\x00"):
        seconds = retry_after_seconds(value)
        assert seconds is None or 0 <= seconds <= MAX_RETRY_AFTER, value
        refused = errors.error_from_problem(429, {"code": "too-many-requests"}, value)
        assert isinstance(refused, errors.TooManyRequests)
        assert 0 < refused.details["retry_after"] <= errors.TooManyRequests.MAX_SECONDS
        assert "wacht tot" in refused.message()
    assert retry_after_seconds("²") is None and retry_after_seconds("99999999999999999999999") == MAX_RETRY_AFTER
