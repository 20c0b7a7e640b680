"""My Cases' filter in memory (desktop/ui/case_filter.py) finds exactly what the command line's SQL
finds, over the head and tail the whole list's read splits each search text into (issue 19)."""

from __future__ import annotations

import random

from tests.client.factories import make_case, make_page, person
from desktop.cache import apply_page, queries
from desktop.cache.search_text import filter_terms
from desktop.ui.case_filter import CaseFilter

# Names that test where a text is split: separators and commas inside names, accents SQLite's
# lower() does not fold, a name equal to the case type, empty names.
ODD_NAMES = ("Ève | Ångström", "Jan, Piet", "Jeugdhulp", "Müller-Öz", "İlker ß", "", "a | b, c", "de | jong")
ODD_TYPES = ("Jeugdhulp", "Ëerste hulp", "", "Zorg | team", "jeugdhulp")


def _odd_case(n: int, rng: random.Random) -> dict:
    case = make_case(n, rng=rng)
    if rng.random() < 0.5:
        case["citizens"][0]["name"] = rng.choice(ODD_NAMES)
    if rng.random() < 0.3:
        case["citizens"] = []
    case["case_type"]["name"] = rng.choice(ODD_TYPES)
    if rng.random() < 0.3:
        case["group"]["name"] = rng.choice(ODD_NAMES)
    if rng.random() < 0.3:
        case["supporters"].append(person(f"u-odd-{n}", rng.choice(ODD_NAMES) or "X"))
    return case


def stored_in_order(conn, listing: queries.CaseList) -> list[str]:
    texts = dict(conn.execute("SELECT id, search_text FROM cases"))
    return [texts[case_id] for case_id in listing.ids]


def _filters(texts: list[str], rng: random.Random) -> list[str]:
    words = ["|", "||", ",", "-", "|b", "b,", ", c", "z-2026", "jeugd", "hulp", "eer", "angstrom", "muller"]
    for text in rng.sample(texts, 25):
        start = rng.randrange(len(text))
        words.append(text[start : start + rng.randrange(1, 7)])
    return [" ".join(rng.sample(words, rng.randrange(1, 3))) for _ in range(60)] + words


def test_the_filter_in_memory_finds_what_the_sql_filter_finds_over_odd_names_and_types_issue19(cache_conn):
    rng = random.Random(7)
    apply_page(cache_conn, make_page(cases=[_odd_case(n, rng) for n in range(1, 121)]))
    listing = queries.my_case_list(cache_conn)
    assert all(tail.startswith(" | ") for tail in listing.tails)  # every text split at its case type
    assert listing.search_texts == stored_in_order(cache_conn, listing)
    matcher = CaseFilter(listing)
    stored = [text for (text,) in cache_conn.execute("SELECT search_text FROM cases WHERE my_role IS NOT NULL")]
    for text in _filters(stored, rng):
        typed = [""]
        for letter in text:  # typed letter by letter: each narrows the last result
            typed.append(typed[-1] + letter)
        for prefix in typed[1:]:
            positions = matcher.positions(filter_terms(prefix))
            assert positions == sorted(positions)
            expected = {row.id for row in queries.my_cases(cache_conn, prefix, limit=None)}
            assert {listing.ids[p] for p in positions} == expected, prefix


def test_a_text_is_split_at_its_first_separator_and_its_case_types_piece_if_found():
    patterns: dict[str, str] = {}
    texts = ["z-1 | jan | zorg", "z-2 | zorgteam", "z-3"]
    assert queries.split_search_texts(texts, ["Zorg"] * 3, patterns) == (
        ["z-1", "z-2", "z-3"],
        [" | jan", " | zorgteam", ""],
        [" | zorg", "", ""],
    )
    assert patterns == {"Zorg": " | zorg | "}


def test_a_word_every_tail_holds_matches_every_case_and_one_no_tail_holds_only_the_heads_that_do(cache_conn):
    apply_page(cache_conn, make_page(cases=[make_case(n) for n in range(1, 7)]))
    listing = queries.my_case_list(cache_conn)
    matcher = CaseFilter(listing)
    assert matcher.positions(["fleur"]) == list(range(6))  # me, in every case's tail
    assert all("fleur" not in head for head in listing.heads)
    number = listing.column("number")[2].lower()
    assert listing.numbers[2] == number and number not in listing.heads[2]
    assert matcher.positions([number]) == [2]
    assert matcher.positions(["z-2026"]) == list(range(6))  # every number holds it


def test_the_stored_search_text_holds_each_citizens_name_once_and_the_sql_filter_still_finds_it(cache_conn):
    citizens = [
        {"id": "p-1", "name": "Anna de Vries", "bsn": "111222333", "birth_date": "1980-01-01"},
        {"id": "p-2", "name": "Bram Öztürk", "bsn": "444555666", "birth_date": "1981-01-01"},
    ]
    apply_page(cache_conn, make_page(cases=[make_case(1, citizens=citizens)]))
    [text] = [text for (text,) in cache_conn.execute("SELECT search_text FROM cases")]
    assert text.count("anna de vries") == 1 and text.count("bram ozturk") == 1
    for word in ("vries", "ozturk", "vries,", "111222333"):
        assert [row.id for row in queries.my_cases(cache_conn, word)] == ["c-1"]
