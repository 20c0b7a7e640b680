"""The cache lane's writer: a job is either run or refused, never left waiting on a closed lane."""

from __future__ import annotations

import threading

import pytest

from desktop.cache.writer import CacheWriter


class _Conn:
    def close(self) -> None:
        pass


def test_a_job_queued_while_the_writer_closes_runs_or_is_refused():
    """A revoked device: the live sync closes the cache while the user's note is being queued.
    close() landing between submit's check and its put used to leave the note's caller waiting forever."""
    writer = CacheWriter(_Conn)
    jobs, raced = writer._jobs, []

    class RacingQueue:
        def put(self, item):
            if item is not None and not raced:
                raced.append(threading.Thread(target=writer.close))
                raced[0].start()
                raced[0].join(0.5)  # the close either finishes here (the race) or waits for this put
            jobs.put(item)

        def get(self):
            return jobs.get()

    writer._jobs = RacingQueue()
    assert writer.submit(lambda conn: "run").result(timeout=5) == "run"
    raced[0].join(5)
    with pytest.raises(RuntimeError):
        writer.submit(lambda conn: "late")
