"""Fictitious organisations, teams and users for demos and tests, the same for the same seed.

Two municipalities (one with the central helpdesk of the seed, one with its own service desk,
as Rotterdam and Zaanstad have, seed S2), three teams, users in all four roles, and the
benchmark account `bench`. Names are clearly invented; mail goes to `.example` domains.
Usernames and ids are fixed (docs and tests name them); the seed chooses the passwords.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from server_stub.config import Argon2Params
from server_stub.store import Database, to_iso, utc_now
from server_stub.store import accounts as store

CENTRAL_HELPDESK = {"name": "Helpdesk MensCentraal", "phone": "085-4899080", "email": "helpdesk@menscentraal.example"}


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    contacts: dict
    offline_lock_hours: int = 72
    offline_wipe_days: int = 30
    auto_lock_minutes: int = 15


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    organisation_id: str


@dataclass(frozen=True)
class DemoUser:
    id: str
    username: str
    display_name: str
    email: str
    role: str
    organisation_id: str
    team_ids: tuple[str, ...]
    password: str  # clear text, for demo-accounts.json only


@dataclass(frozen=True)
class People:
    organisations: list[Organisation]
    teams: list[Team]
    users: list[DemoUser]
    seed: int = 0

    def user(self, username: str) -> DemoUser:
        return next(u for u in self.users if u.username == username)

    def organisation(self, organisation_id: str) -> Organisation:
        return next(o for o in self.organisations if o.id == organisation_id)

    def team(self, team_id: str) -> Team:
        return next(t for t in self.teams if t.id == team_id)

    def members(self, team_id: str) -> list[DemoUser]:
        return [u for u in self.users if team_id in u.team_ids]

    def demo_accounts(self) -> list[dict]:
        """The objects of DATA_DIR/demo-accounts.json."""
        return [
            {
                "username": u.username,
                "password": u.password,
                "role": u.role,
                "organisation": self.organisation(u.organisation_id).name,
                "teams": [self.team(t).name for t in u.team_ids],
            }
            for u in self.users
        ]


# (username, display name, role, organisation, teams)
_USERS = [
    ("anouk", "Anouk Testbergen", "medewerker", "org-demodorp", ("team-jgn",)),
    ("bram", "Bram Voorbeeldsma", "medewerker", "org-demodorp", ("team-jgn",)),
    ("carla", "Carla Demovaart", "superuser", "org-demodorp", ("team-jgn",)),
    ("bench", "Bench Proefgebruiker", "medewerker", "org-demodorp", ("team-jgn",)),
    ("daan", "Daan Fictiefsma", "medewerker", "org-demodorp", ("team-wmo",)),
    ("eva", "Eva Verzonnen", "medewerker", "org-demodorp", ("team-wmo",)),
    ("femke", "Femke Proefstra", "superuser", "org-demodorp", ("team-wmo", "team-jgn")),
    ("gerrit", "Gerrit Proefhuis", "lokaal_beheerder", "org-demodorp", ()),
    ("hanna", "Hanna Steunpunt", "helpdesk", "org-demodorp", ()),
    ("ilse", "Ilse Nepveld", "medewerker", "org-voorbeeldstad", ("team-swo",)),
    ("joost", "Joost Zogenaamd", "medewerker", "org-voorbeeldstad", ("team-swo",)),
    ("mees", "Mees Testenburg", "medewerker", "org-voorbeeldstad", ("team-swo",)),
    ("karim", "Karim Bedachtsma", "superuser", "org-voorbeeldstad", ("team-swo",)),
    ("lotte", "Lotte Schijnhout", "lokaal_beheerder", "org-voorbeeldstad", ()),
]

SERVICE_ACCOUNTS = frozenset({"bench"})

_DOMAINS = {"org-demodorp": "demodorp.example", "org-voorbeeldstad": "voorbeeldstad.example"}

_WORDS = (
    "appel",
    "fiets",
    "molen",
    "tulp",
    "gracht",
    "klomp",
    "regen",
    "duin",
    "polder",
    "zeilboot",
    "kaasmarkt",
    "sluis",
    "wadden",
    "brug",
    "haven",
    "toren",
    "vlinder",
    "kastanje",
    "bloesem",
    "kompas",
)


def _organisations() -> list[Organisation]:
    return [
        Organisation(
            "org-demodorp",
            "Gemeente Demodorp",
            {
                "organisation": "Gemeente Demodorp",
                "local_admin": {"name": "Gerrit Proefhuis", "email": "gerrit@demodorp.example", "phone": "0123-450010"},
                "helpdesk": CENTRAL_HELPDESK,
            },
        ),
        Organisation(
            "org-voorbeeldstad",
            "Gemeente Voorbeeldstad",
            {
                "organisation": "Gemeente Voorbeeldstad",
                "local_admin": {
                    "name": "Lotte Schijnhout",
                    "email": "lotte@voorbeeldstad.example",
                    "phone": "0123-459910",
                },
                # This municipality runs its own service desk (seed S2).
                "helpdesk": {
                    "name": "Servicedesk Voorbeeldstad",
                    "phone": "0123-459900",
                    "email": "servicedesk@voorbeeldstad.example",
                },
            },
        ),
    ]


def build_people(seed: int) -> People:
    rng = random.Random(seed)
    users = []
    for username, display_name, role, organisation_id, team_ids in _USERS:
        password = "-".join(rng.sample(_WORDS, 3)) + f"-{rng.randrange(10, 100)}"
        users.append(
            DemoUser(
                id=f"usr-{username}",
                username=username,
                display_name=display_name,
                email=f"{username}@{_DOMAINS[organisation_id]}",
                role=role,
                organisation_id=organisation_id,
                team_ids=team_ids,
                password=password,
            )
        )
    teams = [
        Team("team-jgn", "Jeugd en Gezin Noord", "org-demodorp"),
        Team("team-wmo", "Wmo-team Centrum", "org-demodorp"),
        Team("team-swo", "Sociaal Wijkteam Oost", "org-voorbeeldstad"),
    ]
    return People(organisations=_organisations(), teams=teams, users=users, seed=seed)


def load_people(db: Database, people: People, kdf_params: Argon2Params) -> None:
    """Insert organisations, teams and users (passwords hashed with `kdf_params`) in one transaction."""
    from server_stub.accounts import PasswordHasher  # accounts imports deps; keep this module light

    hasher = PasswordHasher(kdf_params)
    now = to_iso(utc_now())
    hashes = {u.id: hasher.hash(u.password) for u in people.users}
    with db.transaction() as conn:
        for org in people.organisations:
            store.insert_organisation(
                conn,
                id=org.id,
                name=org.name,
                contacts=org.contacts,
                offline_lock_hours=org.offline_lock_hours,
                offline_wipe_days=org.offline_wipe_days,
                auto_lock_minutes=org.auto_lock_minutes,
            )
        for team in people.teams:
            store.insert_team(conn, id=team.id, name=team.name, organisation_id=team.organisation_id)
        for user in people.users:
            store.insert_user(
                conn,
                id=user.id,
                username=user.username,
                display_name=user.display_name,
                email=user.email,
                role=user.role,
                organisation_id=user.organisation_id,
                password_hash=hashes[user.id],
                created_at=now,
            )
            for team_id in user.team_ids:
                store.add_team_member(conn, team_id, user.id)
        # The benchmark account is a machine's, not a colleague's: never offered as one (issue 14).
        conn.executemany(
            "UPDATE users SET service_account = 1 WHERE id = ?",
            [(u.id,) for u in people.users if u.username in SERVICE_ACCOUNTS],
        )
