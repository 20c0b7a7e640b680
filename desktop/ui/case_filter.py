"""My Cases' filter in memory: the positions of the cases whose search text holds every word, as
the command line's SQL (`instr`) finds them, for one read of the list (`queries.CaseList`).

A case's text is held in parts (`queries.split_search_texts`): its number, its own head and a tail
shared with many cases (case type, step, coordinator, supporters). A word is looked for once in
each distinct tail, in the numbers only when they hold all its letters, and in every head, first
by its rarest letter (issue 19: at 100,000 cases a word in the coordinator's name scanned 18 MB
of text per keystroke).
"""

from __future__ import annotations

from itertools import compress, islice
from collections.abc import Iterable

from desktop.cache.queries import CaseList

RECENT_FILTERS = 32  # results kept for backspaces and for narrowing
SAMPLE = 1_000  # heads looked at to tell how many hold a letter
RARE = 0.5  # a letter fewer heads than this hold is looked for first


class CaseFilter:
    """Which cases of one read match a filter; typing on narrows the last result instead of
    scanning every case, and a backspace finds its result among the recent ones. A result is a
    list of positions only: the texts are looked up through it (no copies to make, keep and walk
    for the garbage collector)."""

    def __init__(self, listing: CaseList) -> None:
        self._everything = list(range(len(listing)))
        self._numbers, self._heads, self._tails = listing.numbers, listing.heads, listing.tails
        self._distinct_tails = listing.distinct_tails
        self._number_letters = listing.number_letters
        self._recent: dict[str, list[int]] = {}  # filter words → their result
        self._sample = list(islice(listing.heads, 0, None, max(1, len(listing.heads) // SAMPLE)))
        self._shares: dict[str, float] = {}  # letter → the share of the sample that holds it

    def positions(self, terms: list[str]) -> list[int]:
        """The positions of the cases that hold every word of `terms` (`filter_terms`' words)."""
        if not terms:
            return self._everything
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
        return found

    def _narrow(self, found: list[int], term: str) -> list[int]:
        hits = {tail: int(term in tail) for tail in self._distinct_tails}
        if all(hits.values()):
            return found  # every tail holds the word: every case does
        parts = []  # per case one byte each: whether that part of its text holds the word
        if self._number_letters.issuperset(term):
            parts.append(bytes([term in number for number in self._at(self._numbers, found)]))
            if not parts[0].count(0):
                return found  # every number holds it (a digit, "z2026"): no copies
        rare = min(term, key=self._share)
        if len(term) > 1 and self._share(rare) < RARE:
            # CPython looks for one letter with memchr, ten times faster than for a word: the
            # word is looked for only in the heads that hold its rarest letter.
            matches = [rare in head and term in head for head in self._at(self._heads, found)]
        else:
            matches = [term in head for head in self._at(self._heads, found)]  # a flat comprehension
        if any(hits.values()):
            parts.append(bytes(map(hits.__getitem__, self._at(self._tails, found))))
        if parts:  # or-ed as integers, in C
            either = int.from_bytes(bytes(matches), "little")
            for part in parts:
                either |= int.from_bytes(part, "little")
            matches = either.to_bytes(len(found), "little")
        return list(compress(found, matches))

    def _at(self, part: list[str], found: list[int]) -> Iterable[str]:
        """The texts of one part at the positions `found` (the whole list when that is all)."""
        return part if found is self._everything else map(part.__getitem__, found)

    def _share(self, letter: str) -> float:
        share = self._shares.get(letter)
        if share is None:
            share = self._shares[letter] = sum(letter in head for head in self._sample) / max(1, len(self._sample))
        return share
