"""Sync pages shaped as in docs/API.md, to fill a real encrypted cache for UI tests and screenshots.

Fictitious people only. The capabilities are what the service would send for a member of the
case (seed C5/C7) or, for a non-member, what it refuses and why.
"""

from __future__ import annotations

import os
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from desktop.cache import writes
from desktop.cache.db import open_cache

ME = {
    "id": "u-me",
    "username": "s.bakker",
    "display_name": "Sanne Bakker",
    "role": "medewerker",
    "organisation_id": "org-zaanstad",
    "organisation": "Gemeente Zaanstad",
}
ADMIN = {**ME, "role": "lokaal_beheerder"}
FIRST = [
    "Anouk",
    "Daan",
    "Fatima",
    "Mohammed",
    "Lotte",
    "Sem",
    "Yara",
    "Noah",
    "Emma",
    "Ilias",
    "Julia",
    "Bram",
    "Sara",
    "Finn",
    "Noor",
    "Mila",
    "Ahmet",
    "Eva",
    "Lucas",
    "Zoë",
]
LAST = [
    "de Vries",
    "Jansen",
    "El Amrani",
    "Bakker",
    "Visser",
    "Yılmaz",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Kaya",
    "Dekker",
    "van Leeuwen",
    "Koster",
    "Brouwer",
]
CASE_TYPES = [
    ("ct-jeugd", "Jeugdhulp"),
    ("ct-wmo", "Wmo-maatwerkvoorziening"),
    ("ct-schuld", "Schuldhulpverlening"),
    ("ct-participatie", "Participatie"),
]
STEPS = ["Aanmelding", "Intake", "Onderzoek", "Plan van aanpak", "Uitvoering", "Evaluatie"]
COLLEAGUES = [
    {"id": "u-me", "display_name": "Sanne Bakker", "team_ids": ["t-jeugd", "t-wijk"]},
    {"id": "u-piet", "display_name": "Piet de Graaf", "team_ids": ["t-jeugd"]},
    {"id": "u-amira", "display_name": "Amira Haddou", "team_ids": ["t-jeugd", "t-wijk"]},
    {"id": "u-kees", "display_name": "Kees Verhoeven", "team_ids": ["t-wijk"]},
]
TEAMS = [
    {
        "id": "t-jeugd",
        "name": "Jeugd en Gezin Noord",
        "organisation_id": "org-zaanstad",
        "members": [
            {"id": c["id"], "display_name": c["display_name"]} for c in COLLEAGUES if "t-jeugd" in c["team_ids"]
        ],
    },
    {
        "id": "t-wijk",
        "name": "Wijkteam Poelenburg",
        "organisation_id": "org-zaanstad",
        "members": [
            {"id": c["id"], "display_name": c["display_name"]} for c in COLLEAGUES if "t-wijk" in c["team_ids"]
        ],
    },
]
CONTACTS = {
    "organisation": "Gemeente Zaanstad",
    "local_admin": {"name": "Petra Jansen", "email": "beheer.menscentraal@zaanstad.example", "phone": "075-6816811"},
    "helpdesk": {"name": "Helpdesk MensCentraal", "phone": "085-4899080", "email": "helpdesk@menscentraal.example"},
}
NOW = datetime(2026, 11, 27, 14, 30, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def person(user_id: str) -> dict:
    found = next(c for c in COLLEAGUES if c["id"] == user_id)
    return {"id": found["id"], "display_name": found["display_name"]}


def case_capabilities(member: bool, open_: bool) -> dict:
    def yes():
        return {"allowed": True, "reason": None}

    def no(reason):
        return {"allowed": False, "reason": reason}

    edit = yes() if member and open_ else no("not-case-member" if not member else "case-closed")
    return {
        "read": yes(),
        "read_closed_steps": yes(),
        "add_note": edit,
        "complete_step": edit,
        "close": edit,
        "create_task": edit,
        "add_supporter": edit,
        "remove_supporter": edit,
        "change_coordinator": edit,
        "admin_replace_coordinator": no("admin-only"),
        "delete": no("case-delete-not-possible"),
    }


def make_case(i: int, rng: random.Random, me: str = "u-me", member: bool = True) -> dict:
    case_type = CASE_TYPES[i % len(CASE_TYPES)]
    citizen = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    open_step = 1 + i % (len(STEPS) - 1)
    status = "closed" if i % 17 == 0 else "open"
    updated = NOW - timedelta(minutes=37 * i + rng.randint(0, 30))
    steps = []
    for position, name in enumerate(STEPS):
        closed = position < open_step or status == "closed"
        if position > open_step and status == "open":
            break
        steps.append(
            {
                "id": f"s-{i}-{position}",
                "name": name,
                "position": position,
                "status": "closed" if closed else "open",
                "closed_at": iso(updated - timedelta(days=(open_step - position) * 6)) if closed else None,
                "closed_by": person("u-piet") if closed else None,
                "summary": f"{name} afgerond; afspraken vastgelegd in het plan." if closed else None,
            }
        )
    coordinator = me if (member and i % 3 != 1) else "u-piet"
    supporters = [person("u-amira")] + ([person(me)] if member and coordinator != me else [])
    return {
        "id": f"c-{i}",
        "number": f"Z-2026-{10000 + i:05d}",
        "case_type": {"id": case_type[0], "name": case_type[1]},
        "group": {"id": f"g-{i // 3}", "name": f"Huishouden {citizen.split(' ', 1)[1]}"},
        "citizens": [{"id": f"p-{i}", "name": citizen, "bsn": f"{100000000 + i * 7:09d}", "birth_date": "1984-03-12"}],
        "status": status,
        "outcome": "afgerond" if status == "closed" else None,
        "coordinator": person(coordinator),
        "supporters": supporters,
        "steps": steps,
        "journal": [
            {
                "id": f"j-{i}-1",
                "text": "Huisbezoek gedaan; moeder geeft aan dat de schuldenlast stress geeft.",
                "author": person("u-amira"),
                "created_at": iso(updated - timedelta(days=2)),
            },
            {
                "id": f"j-{i}-2",
                "text": "Telefonisch contact met school; afspraak gepland voor volgende week.",
                "author": person(coordinator),
                "created_at": iso(updated),
            },
        ],
        "version": 3,
        "updated_at": iso(updated),
        "capabilities": case_capabilities(member, status == "open"),
    }


TASK_KINDS = [
    (
        "Uitvoeren medische keuring",
        "Vraag via de GGD een medische keuring aan; stuur het verslag van het "
        "keukentafelgesprek mee en noteer de datum van de keuring in het journaal.",
    ),
    ("Huisbezoek plannen", "Bel de cliënt voor een huisbezoek binnen twee weken en neem de vragen uit de melding mee."),
    (
        "Indicatie beoordelen en terugkoppelen aan de aanbieder, met onderbouwing van het aantal uren",
        "Beoordeel de aangevraagde indicatie op de uitkomst van het onderzoek; leg de onderbouwing vast en "
        "koppel het besluit terug aan de aanbieder.",
    ),
    ("Terugbellen cliënt", "Mevrouw belde over de voortgang van haar aanvraag; bel vandaag terug."),
    ("Verslag intake uitwerken", "Werk het verslag van de intake uit in het plan van aanpak."),
]


def make_task(i: int, case: dict, *, queued: bool, me: str = "u-me") -> dict:
    team = TEAMS[i % 2]
    task_caps = {
        "pickup": {"allowed": queued, "reason": None if queued else "task-not-in-queue"},
        "release": {"allowed": not queued, "reason": None if not queued else "not-task-holder"},
        "forward": {"allowed": True, "reason": None},
        "complete": {"allowed": not queued, "reason": None if not queued else "not-task-holder"},
        "dismiss": {"allowed": queued, "reason": None if queued else "task-not-in-queue"},
    }
    kind, description = TASK_KINDS[i % len(TASK_KINDS)]
    queued_at = NOW - timedelta(hours=5 + 9 * i)
    history = [
        {
            "event": "created",
            "at": iso(queued_at - timedelta(days=1)),
            "actor": person("u-piet"),
            "to_user": None,
            "to_team": {"id": team["id"], "name": team["name"]},
            "note": None,
        }
    ]
    if i % 3 == 0:  # forwarded here, with a note that travels with the task
        history.append(
            {
                "event": "forwarded",
                "at": iso(queued_at),
                "actor": person("u-amira"),
                "to_user": None,
                "to_team": {"id": team["id"], "name": team["name"]},
                "note": "Ik ben de komende twee weken met verlof; kan iemand dit overnemen?",
            }
        )
    # deadlines around the real today, so that "te laat" shows as a user would see it
    deadline = (date.today() + timedelta(days=-2 if i % 4 == 1 else 3 + i)).isoformat()
    return {
        "id": f"task-{i}",
        "case_id": case["id"],
        "case_summary": {
            "number": case["number"],
            "case_type": case["case_type"]["name"],
            "group_name": case["group"]["name"],
            "citizen_name": case["citizens"][0]["name"],
        },
        "type": kind,
        "description": description,
        "deadline": deadline,
        "queued_at": iso(queued_at),
        "created_by": person("u-piet"),
        "assignee": None if queued else person(me),
        "team": {"id": team["id"], "name": team["name"]},
        "status": "queued" if queued else "assigned",
        "via_team_queue": queued or i % 2 == 0,
        "version": 1,
        "capabilities": task_caps,
        "history": history,
        "dismissed": False,
        "forward_teams": [{"id": t["id"], "name": t["name"]} for t in TEAMS if t["id"] != team["id"]],
    }


def snapshot(n_cases: int, n_queue: int = 6, n_mine: int = 4, seed: int = 7, page_size: int = 2000) -> list[dict]:
    """A first sync of `n_cases` cases plus tasks and reference data, split into pages."""
    rng = random.Random(seed)
    cases = [make_case(i, rng) for i in range(n_cases)]
    foreign = [make_case(n_cases + i, rng, member=False) for i in range(max(n_queue, 1))]
    tasks = [make_task(i, foreign[i % len(foreign)], queued=True) for i in range(n_queue)]
    tasks += [make_task(100 + i, cases[i % max(n_cases, 1)], queued=False) for i in range(n_mine if n_cases else 0)]
    reference = {
        "teams": TEAMS,
        "case_types": [{"id": a, "name": b} for a, b in CASE_TYPES],
        "colleagues": COLLEAGUES,
        "preferences": [
            {
                "team_queue_email": {"t-jeugd": True, "t-wijk": True},
                "email_on_assigned": True,
                "email_on_added_to_case": False,
                "desktop_notifications": True,
                "version": 1,
            }
        ],
        "organisation": [
            {"contacts": CONTACTS, "offline_lock_hours": 72, "offline_wipe_days": 30, "auto_lock_minutes": 15}
        ],
    }
    pages = []
    chunks = [cases[i : i + page_size] for i in range(0, len(cases), page_size)] or [[]]
    for n, chunk in enumerate(chunks):
        upserts = {"cases": chunk}
        if n == 0:
            upserts.update(reference)
            upserts["cases"] = chunk + foreign
            upserts["tasks"] = tasks
        pages.append(
            {
                "cursor": f"cur-{n}",
                "has_more": n < len(chunks) - 1,
                "server_time": iso(NOW),
                "upserts": upserts,
                "removals": [],
            }
        )
    return pages


def filled_cache(path: Path, n_cases: int, user: dict | None = None, key: bytes | None = None, **kwargs):
    """A real SQLCipher cache at `path` holding a snapshot; returns the open connection."""
    conn = open_cache(path, key or os.urandom(32), create=True)
    writes.set_user(conn, user or ME)
    for page in snapshot(n_cases, **kwargs):
        writes.apply_page(conn, page)
    return conn


def reader_over(conn):
    """A models' reader that answers at once on this thread (the app's ViewReader answers later,
    from its own thread: tests/ui/test_models.py covers both)."""
    return lambda query, deliver: deliver(query(conn))
