"""My Cases' filter in memory: the positions of the cases whose search text holds every word, as
the command line's SQL (`instr`) finds them, for one read of the list (`queries.CaseList`).

A case's text is held in two parts (`queries.my_case_list`): its own head and a tail shared with
many cases (case type, step, coordinator, supporters). A word is looked for once in each distinct
tail, then only in the heads of the cases whose tail does not hold it (issue 19: at 100,000
cases a word in the coordinator's name scanned 18 MB of text per keystroke).
"""

from __future__ import annotations

from itertools import compress
from typing import NamedTuple

from desktop.cache.queries import CaseList

RECENT_FILTERS = 32  # results kept for backspaces and for narrowing


class Found(NamedTuple):
    """Cases that match, in list order: their positions in the list and their text's two parts."""

    positions: list[int]
    heads: list[str]
    tails: list[str]


class CaseFilter:
    """Which cases of one read match a filter; typing on narrows the last result instead of
    scanning every case, and a backspace finds its result among the recent ones."""

    def __init__(self, listing: CaseList) -> None:
        self._everything = Found(list(range(len(listing))), listing.heads, listing.tails)
        self._distinct_tails = listing.distinct_tails
        self._recent: dict[str, Found] = {}  # filter words → their result

    @property
    def everything(self) -> list[int]:
        return self._everything.positions

    def positions(self, terms: list[str]) -> list[int]:
        """The positions of the cases that hold every word of `terms` (`filter_terms`' words)."""
        if not terms:
            return self._everything.positions
        key = " ".join(terms)
        found = self._recent.get(key)
        if found is None:
            # Any earlier filter that `key` extends matched a superset of key's cases, and each of
            # its words is in all of them: only the other words are looked for ("van d" → "van de":
            # "de" in the cases with "van" and "d", not "van" again).
            known = next((known for known in reversed(self._recent) if key.startswith(known)), None)
            found = self._recent[known] if known is not None else self._everything
            done = set(known.split(" ")) if known is not None else set()
            for term in (term for term in terms if term not in done):
                found = self._narrow(found, term)
            if len(self._recent) >= RECENT_FILTERS:
                del self._recent[next(iter(self._recent))]
            self._recent[key] = found
        return found.positions

    def _narrow(self, found: Found, term: str) -> Found:
        hits = {tail: term in tail for tail in self._distinct_tails}
        if all(hits.values()):
            return found  # every tail holds the word: every case does
        if any(hits.values()):
            matches = [hit or term in head for hit, head in zip(map(hits.__getitem__, found.tails), found.heads)]
        else:
            matches = [term in head for head in found.heads]  # a flat comprehension: the common case
        return Found(*(list(compress(part, matches)) for part in found))
