"""Builders for feed objects shaped as docs/API.md describes (cases, tasks, pages), for the
client tests. A module of its own, imported by name: `from conftest import` found whichever
conftest came first on sys.path when tests/client and tests/server ran together.
"""

from __future__ import annotations

import random

ME = {
    "id": "u-me",
    "username": "fveld",
    "display_name": "Fleur van Veld",
    "role": "medewerker",
    "organisation_id": "org-1",
    "organisation": "Gemeente Testdam",
}

CASE_ACTIONS = (
    "read",
    "read_closed_steps",
    "add_note",
    "complete_step",
    "close",
    "create_task",
    "add_supporter",
    "remove_supporter",
    "change_coordinator",
    "admin_replace_coordinator",
    "delete",
)
TASK_ACTIONS = ("pickup", "release", "forward", "complete")

FIRST_NAMES = (
    "Anouk",
    "Bram",
    "Chantal",
    "Daan",
    "Elif",
    "Fatima",
    "Gijs",
    "Hanna",
    "Ibrahim",
    "Joost",
    "Kim",
    "Lotte",
    "Mohamed",
    "Noor",
    "Olga",
    "Pieter",
    "Rosa",
    "Sem",
    "Tess",
    "Yusuf",
)
LAST_NAMES = (
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "Yılmaz",
    "Öztürk",
)
CASE_TYPES = (
    ("ct-jeugd", "Jeugdhulp"),
    ("ct-wmo", "Wmo-maatwerkvoorziening"),
    ("ct-schuld", "Schuldhulpverlening"),
    ("ct-zorg", "Zorgteam casus"),
)
STEP_NAMES = ("Aanmelding", "Intake", "Onderzoek", "Plan van aanpak", "Uitvoering", "Evaluatie")


def capabilities(actions=CASE_ACTIONS, allowed=True) -> dict:
    return {
        a: {
            "allowed": allowed and a != "delete",
            "reason": "case-delete-not-possible" if a == "delete" else (None if allowed else "not-case-member"),
        }
        for a in actions
    }


def person(user_id: str, name: str) -> dict:
    return {"id": user_id, "display_name": name}


def make_case(
    i: int,
    *,
    role: str = "coordinator",
    me: dict = ME,
    version: int = 1,
    status: str = "open",
    citizens: list[dict] | None = None,
    rng: random.Random | None = None,
) -> dict:
    """A realistic case: 1–3 citizens, 4–6 steps, a few journal notes, all capabilities."""
    rng = rng or random.Random(i)
    if citizens is None:
        citizens = [
            {
                "id": f"p-{i}-{n}",
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "bsn": f"{rng.randrange(10**8, 10**9)}",
                "birth_date": f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}",
            }
            for n in range(rng.randrange(1, 4))
        ]
    other = person(f"u-{rng.randrange(1, 50)}", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}")
    mine = person(me["id"], me["display_name"])
    coordinator, supporters = {"coordinator": (mine, [other]), "supporter": (other, [mine]), "none": (other, [])}[role]
    n_steps = rng.randrange(4, 7)
    open_at = rng.randrange(0, n_steps)
    steps = [
        {
            "id": f"s-{i}-{n}",
            "name": STEP_NAMES[n],
            "position": n + 1,
            "status": "closed" if n < open_at or status == "closed" else "open",
            "closed_at": "2026-10-01T09:00:00Z" if n < open_at else None,
            "closed_by": other if n < open_at else None,
            "summary": "Afgerond volgens plan." if n < open_at else None,
        }
        for n in range(n_steps)
    ]
    journal = [
        {
            "id": f"j-{i}-{n}",
            "text": f"Huisbezoek gehad, afspraak {n} gemaakt over de vervolgstappen.",
            "author": other,
            "created_at": f"2026-10-{10 + n:02d}T10:00:00Z",
        }
        for n in range(rng.randrange(1, 4))
    ]
    case_type_id, case_type_name = CASE_TYPES[i % len(CASE_TYPES)]
    return {
        "id": f"c-{i}",
        "number": f"Z-2026-{i:06d}",
        "case_type": {"id": case_type_id, "name": case_type_name},
        "group": {"id": f"g-{i // 3}", "name": f"Huishouden {citizens[0]['name'].split()[-1] if citizens else i}"},
        "citizens": citizens,
        "status": status,
        "outcome": None if status == "open" else "afgerond",
        "coordinator": coordinator,
        "supporters": supporters,
        "steps": steps,
        "journal": journal,
        "version": version,
        "updated_at": f"2026-11-{1 + i % 27:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
        "capabilities": capabilities(),
    }


def make_task(
    i: int,
    *,
    case_id: str = "c-1",
    status: str = "queued",
    team: dict | None = None,
    assignee: dict | None = None,
    version: int = 1,
) -> dict:
    team = team if team is not None else ({"id": "t-1", "name": "Wijkteam Noord"} if status == "queued" else None)
    return {
        "id": f"task-{i}",
        "case_id": case_id,
        "case_summary": {
            "number": "Z-2026-000001",
            "case_type": "Jeugdhulp",
            "group_name": "Huishouden Jansen",
            "citizen_name": "Anouk Jansen",
        },
        "type": "Uitvoeren van medische keuring",
        "description": "Keuring plannen met huisarts.",
        "deadline": f"2026-12-{1 + i % 28:02d}",
        "queued_at": f"2026-11-{1 + i % 28:02d}T08:00:00Z",
        "created_by": person("u-7", "Karin Bos"),
        "assignee": assignee,
        "team": team,
        "status": status,
        "via_team_queue": team is not None,
        "version": version,
        "capabilities": {a: {"allowed": True, "reason": None} for a in TASK_ACTIONS},
    }


def make_page(*, cursor: str = "cur-1", has_more: bool = False, removals: list | None = None, **upserts) -> dict:
    return {
        "cursor": cursor,
        "has_more": has_more,
        "server_time": "2026-11-27T12:00:00Z",
        "upserts": {
            kind: upserts.get(kind, [])
            for kind in ("cases", "tasks", "teams", "case_types", "colleagues", "preferences", "organisation")
        },
        "removals": removals or [],
    }
