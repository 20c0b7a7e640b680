"""Realistic, clearly fictitious work for demos, tests and benchmarks, the same for the same seed.

Four case types (Wmo, jeugdhulp, schuldhulpverlening, participatiewet), household groups of
citizens with invented names and citizen numbers from the 999 test range (valid by the 11-proef,
never a real person's), cases with steps and journal notes, and tasks in team queues and assigned.
By default (`scale` None or 1) 200 cases spread so that every case worker has cases in My Cases
and every team has open tasks in its queue; `scale=N` (N >= 2) makes N cases, every one in the
My Cases of `bench`; `scale=0` makes no cases (case types only).

Dates are relative to `today` (default: the day of generation) so that a demo looks current;
everything else depends only on the seed. Rows are written with executemany in one transaction.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

from server_stub.store import Database

DEFAULT_CASES = 200
BENCH_USERNAME = "bench"
CASE_WORKER_ROLES = ("medewerker", "superuser")

CASE_TYPES = {
    "ct-wmo": (
        "Wmo-maatwerkvoorziening",
        ["Melding", "Gesprek (keukentafel)", "Onderzoek en verslag", "Aanvraag en beschikking", "Evaluatie"],
        [
            "Huisbezoek plannen",
            "Medische keuring uitvoeren",
            "Offerte woningaanpassing opvragen",
            "Beschikking opstellen",
            "Evaluatiegesprek voeren",
        ],
    ),
    "ct-jeugd": (
        "Jeugdhulp",
        ["Aanmelding", "Vraagverheldering", "Plan van aanpak", "Inzet jeugdhulp", "Evaluatie"],
        [
            "Contact opnemen met school",
            "Gezinsgesprek plannen",
            "Verwijzing jeugdhulp regelen",
            "Overleg met huisarts",
            "Evaluatiegesprek voeren",
        ],
    ),
    "ct-schuld": (
        "Schuldhulpverlening",
        ["Aanmelding", "Intake", "Stabilisatie", "Schuldregeling", "Nazorg"],
        [
            "Schuldenoverzicht opvragen",
            "Budgetplan opstellen",
            "Contact met schuldeisers",
            "Beschermingsbewind aanvragen",
            "Nazorggesprek voeren",
        ],
    ),
    "ct-participatie": (
        "Participatiewet",
        ["Aanvraag", "Onderzoek rechtmatigheid", "Besluit", "Re-integratie", "Heronderzoek"],
        [
            "Bewijsstukken opvragen",
            "Huisbezoek rechtmatigheid",
            "Besluit opstellen",
            "Re-integratietraject starten",
            "Heronderzoek plannen",
        ],
    ),
}
# Which teams are authorised for which case types (seed C6).
TEAM_CASE_TYPES = {
    "team-jgn": ["ct-jeugd", "ct-schuld", "ct-participatie"],
    "team-wmo": ["ct-wmo", "ct-schuld"],
    "team-swo": ["ct-wmo", "ct-jeugd", "ct-schuld", "ct-participatie"],
}

FIRST_NAMES = [
    "Sanne",
    "Daan",
    "Emma",
    "Lucas",
    "Julia",
    "Milan",
    "Sophie",
    "Thijs",
    "Lisa",
    "Noah",
    "Fleur",
    "Sem",
    "Tess",
    "Jesse",
    "Iris",
    "Ruben",
    "Noor",
    "Finn",
    "Anna",
    "Levi",
    "Fatima",
    "Mohamed",
    "Yara",
    "Ayoub",
    "Esra",
    "Mehmet",
    "Priya",
    "Wim",
    "Ria",
    "Henk",
    "Gerda",
    "Kees",
    "Marja",
    "Piet",
    "Annie",
    "Jan",
    "Willemijn",
    "Bas",
    "Ilse",
    "Joris",
]
# Invented surnames in a Dutch shape, so that no real person is named.
SURNAME_ROOTS = [
    "Proef",
    "Demo",
    "Test",
    "Voorbeeld",
    "Nep",
    "Schijn",
    "Verzon",
    "Bedacht",
    "Fictief",
    "Verzin",
    "Oefen",
    "Droom",
    "Fantasie",
    "Zogenaam",
    "Model",
]
SURNAME_ENDINGS = [
    "berg",
    "sma",
    "stra",
    "huis",
    "veld",
    "vaart",
    "hout",
    "dijk",
    "kamp",
    "broek",
    "man",
    "ink",
    "horst",
    "hoven",
    "ga",
]
PREFIXES = ["", "", "", "van ", "de ", "van der ", "van den "]

NOTES = [
    "Telefonisch contact gehad; afspraak voor huisbezoek gemaakt.",
    "Huisbezoek afgelegd. De hulpvraag is besproken en vastgelegd in het verslag.",
    "Overleg gehad met de huisarts over de zorgvraag; terugkoppeling volgt.",
    "Cliënt heeft de gevraagde stukken aangeleverd.",
    "Afspraak verzet op verzoek van cliënt.",
    "Multidisciplinair overleg: vervolgstappen afgestemd met de betrokken partijen.",
    "Brief verstuurd met uitleg over de procedure en de termijnen.",
    "Evaluatie: de ingezette ondersteuning sluit goed aan; volgende evaluatie over drie maanden.",
    "Geen reactie ontvangen; herinnering gestuurd.",
    "Netwerkberaad gepland met familie en mantelzorger.",
]
STEP_SUMMARIES = [
    "Afgerond volgens planning.",
    "Afgerond; verslag toegevoegd aan het dossier.",
    "Afgerond na overleg met de cliënt.",
    "Afgerond; besluit vastgelegd.",
]
# What each task asks, in the words a colleague would write (no citizen data: the case has it).
TASK_DESCRIPTIONS = {
    "Huisbezoek plannen": "Bel de cliënt voor een huisbezoek binnen twee weken; neem de meldingsvragen mee en "
    "leg de afspraak vast in het journaal.",
    "Medische keuring uitvoeren": "Vraag via de GGD een medische keuring aan. Stuur het verslag van het "
    "keukentafelgesprek mee en noteer de datum van de keuring.",
    "Offerte woningaanpassing opvragen": "Vraag bij twee erkende aannemers een offerte op voor de aanpassing "
    "(traplift, douche). Beoordeel ze op de eisen uit het onderzoeksverslag.",
    "Beschikking opstellen": "Stel de beschikking op met de toegekende voorziening, de ingangsdatum en de "
    "bezwaartermijn; laat haar toetsen door de tweede lezer.",
    "Evaluatiegesprek voeren": "Plan het evaluatiegesprek met cliënt en betrokkenen: werkt de ingezette hulp? "
    "Leg de uitkomst en eventuele vervolgafspraken vast.",
    "Contact opnemen met school": "Neem contact op met de intern begeleider van de school over aanwezigheid en "
    "welzijn; vraag toestemming van de ouders voordat u gegevens deelt.",
    "Gezinsgesprek plannen": "Plan een gesprek met beide ouders en het kind (vanaf 12 jaar) om de hulpvraag te "
    "verhelderen; bied een tolk aan als dat nodig is.",
    "Verwijzing jeugdhulp regelen": "Regel de verwijzing naar de gecontracteerde aanbieder; controleer de "
    "wachttijd en spreek overbruggingszorg af als die langer is dan zes weken.",
    "Overleg met huisarts": "Overleg met de huisarts over de zorgvraag en de medicatie; vraag vooraf "
    "toestemming van de cliënt en noteer wat is afgesproken.",
    "Schuldenoverzicht opvragen": "Vraag de cliënt om alle rekeningen, aanmaningen en brieven van "
    "deurwaarders; maak daarmee een volledig schuldenoverzicht.",
    "Budgetplan opstellen": "Stel samen met de cliënt een budgetplan op met vaste lasten, leefgeld en "
    "aflossingsruimte; check toeslagen en kwijtschelding.",
    "Contact met schuldeisers": "Stuur de schuldeisers het verzoek tot een betalingsregeling en vraag om "
    "opschorting van incasso voor de duur van de stabilisatie.",
    "Beschermingsbewind aanvragen": "Bespreek beschermingsbewind met de cliënt en help met het verzoekschrift "
    "aan de kantonrechter; voeg het schuldenoverzicht bij.",
    "Nazorggesprek voeren": "Voer het nazorggesprek zes maanden na de schuldregeling: lukt het budgetteren, "
    "zijn er nieuwe schulden? Leg de uitkomst vast.",
    "Bewijsstukken opvragen": "Vraag de ontbrekende bewijsstukken op (bankafschriften van drie maanden, "
    "huurcontract); geef een termijn van twee weken.",
    "Huisbezoek rechtmatigheid": "Leg een aangekondigd huisbezoek af om de woonsituatie vast te stellen; "
    "ga met zijn tweeën en maak een rapport op.",
    "Besluit opstellen": "Stel het besluit op over de aanvraag, met de motivering en de bezwaarmogelijkheid; "
    "laat het tekenen door de teamleider.",
    "Re-integratietraject starten": "Meld de cliënt aan bij het werkgevers­servicepunt en plan het "
    "kennismakingsgesprek; spreek de eerste doelen af.",
    "Heronderzoek plannen": "Plan het heronderzoek naar het recht op uitkering; stuur de cliënt de "
    "uitnodiging met de lijst van mee te nemen stukken.",
}
OUTCOMES = ["afgerond"] * 6 + ["doorverwezen"] * 2 + ["ingetrokken"] * 1 + ["administratieve_fout"] * 1


def fictitious_bsns():
    """Citizen numbers that pass the 11-proef from the blocks 999…, 998…, 997… down to 990…, in a
    fixed order (about 91,000 per block, 910,000 in all; 100,000 cases use three blocks). Numbers
    starting with 99 are the test ranges: never issued to a person, so demo data cannot name one."""
    for block in range(99900000, 98900000, -100000):
        for prefix in range(block, block + 100000):
            digits = [int(d) for d in f"{prefix:08d}"]
            check = sum(d * w for d, w in zip(digits, range(9, 1, -1))) % 11
            if check < 10:  # 9*d1 + ... + 2*d8 - d9 ≡ 0 (mod 11)
                yield f"{prefix:08d}{check}"


def is_valid_bsn(bsn: str) -> bool:
    """The 11-proef for citizen service numbers."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    digits = [int(d) for d in bsn]
    return (sum(d * w for d, w in zip(digits, range(9, 1, -1))) - digits[8]) % 11 == 0


class _Ids:
    """Deterministic uuid-shaped ids from the generator's random stream."""

    def __init__(self, rng: random.Random):
        self._bits = rng.getrandbits

    def __call__(self) -> str:
        h = f"{self._bits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


def _iso(moment: datetime) -> str:
    """As the API writes times (microseconds, Z); isoformat is much faster than strftime."""
    return moment.isoformat(timespec="microseconds")[:26] + "Z"


def generate(db: Database, people, *, scale: int | None = None, seed: int = 0, today: date | None = None) -> dict:
    """Fill the work tables for `people` (already in the database); returns counts."""
    rng = random.Random(f"menscentraal-work-{seed}")
    new_id = _Ids(rng)
    today = today or datetime.now(timezone.utc).date()
    now = datetime.combine(today, time(9, 0), tzinfo=timezone.utc)
    bsns = fictitious_bsns()
    workers = [u for u in people.users if u.role in CASE_WORKER_ROLES and u.team_ids]
    by_org: dict[str, list] = {}
    for user in workers:
        by_org.setdefault(user.organisation_id, []).append(user)
    bench = next((u for u in people.users if u.username == BENCH_USERNAME), None)
    if scale == 1:
        scale = None  # the command line's default: the ordinary demo
    if scale is not None and bench is None:
        raise ValueError("the benchmark account 'bench' is missing from the demo people")
    case_count = scale if scale is not None else DEFAULT_CASES

    rows: dict[str, list[tuple]] = {
        name: []
        for name in (
            "groups",
            "citizens",
            "cases",
            "case_citizens",
            "supporters",
            "steps",
            "journal",
            "tasks",
            "task_events",
        )
    }
    groups_by_org: dict[str, list[tuple[str, list[str], str]]] = {}

    def new_group(organisation_id: str) -> tuple[str, list[str], str]:
        surname = rng.choice(PREFIXES) + rng.choice(SURNAME_ROOTS) + rng.choice(SURNAME_ENDINGS)
        group_id = new_id()
        created = now - timedelta(days=rng.randrange(30, 900))
        rows["groups"].append(
            (group_id, organisation_id, f"Huishouden {surname[0].upper()}{surname[1:]}", _iso(created))
        )
        members = []
        adults = rng.choice([1, 1, 2, 2, 2])
        children = rng.choice([0, 0, 1, 2, 3])
        for index in range(adults + children):
            age = rng.randrange(19, 88) if index < adults else rng.randrange(0, 18)
            birth = today - timedelta(days=age * 365 + rng.randrange(0, 365))
            citizen_id = new_id()
            last = surname if index < adults or rng.random() < 0.8 else rng.choice(SURNAME_ROOTS).lower() + "man"
            name = (
                f"{rng.choice(FIRST_NAMES)} {last[0].upper()}{last[1:]}"
                if not last.startswith(("van", "de"))
                else f"{rng.choice(FIRST_NAMES)} {last}"
            )
            rows["citizens"].append((citizen_id, group_id, name, next(bsns), birth.isoformat()))
            members.append(citizen_id)
        group = (group_id, members, organisation_id)
        groups_by_org.setdefault(organisation_id, []).append(group)
        return group

    queued_per_team: dict[str, int] = {}
    for number in range(1, case_count + 1):
        # Who works on it: round robin over all case workers, or always `bench` at scale.
        if scale is not None:
            coordinator = (
                bench
                if rng.random() < 0.8
                else rng.choice([u for u in by_org[bench.organisation_id] if u is not bench])
            )
        else:
            coordinator = workers[(number - 1) % len(workers)]
        organisation_id = coordinator.organisation_id
        colleagues = [u for u in by_org[organisation_id] if u is not coordinator]
        supporters = set(rng.sample(colleagues, k=min(len(colleagues), rng.choice([0, 0, 1, 1, 2]))))
        if scale is not None and coordinator is not bench:
            supporters.add(bench)
        team_id = coordinator.team_ids[0]
        case_type_id = rng.choice(TEAM_CASE_TYPES.get(team_id, list(CASE_TYPES)))
        _, step_names, task_types = CASE_TYPES[case_type_id]

        existing = groups_by_org.get(organisation_id, [])
        group_id, citizens, _ = rng.choice(existing) if existing and rng.random() < 0.25 else new_group(organisation_id)
        created = now - timedelta(days=rng.randrange(3, 700), minutes=rng.randrange(0, 600))
        closed = rng.random() < 0.12
        case_id = new_id()
        members = [coordinator] + sorted(supporters, key=lambda u: u.id)
        closed_steps = len(step_names) if closed else rng.randrange(0, len(step_names) - 1)
        step_times = sorted(
            created + timedelta(days=rng.randrange(1, max(2, (now - created).days))) for _ in range(closed_steps)
        )
        closed_at = (step_times[-1] if step_times else created + timedelta(days=1)) if closed else None
        updated = max([created] + step_times)
        rows["cases"].append(
            (
                case_id,
                f"Z{created.year}-{number:06d}",
                organisation_id,
                case_type_id,
                group_id,
                "closed" if closed else "open",
                rng.choice(OUTCOMES) if closed else None,
                coordinator.id,
                _iso(created),
                _iso(updated),
                _iso(closed_at) if closed_at else None,
            )
        )
        for citizen_id in rng.sample(citizens, k=min(len(citizens), rng.choice([1, 1, 2]))):
            rows["case_citizens"].append((case_id, citizen_id))
        for supporter in supporters:
            rows["supporters"].append((case_id, supporter.id))
        for position, step_name in enumerate(step_names, start=1):
            done = position <= closed_steps
            rows["steps"].append(
                (
                    new_id(),
                    case_id,
                    step_name,
                    position,
                    "closed" if done else "open",
                    _iso(step_times[position - 1]) if done else None,
                    rng.choice(members).id if done else None,
                    rng.choice(STEP_SUMMARIES) if done else None,
                )
            )
        for _ in range(rng.randrange(1, 5)):
            written = created + timedelta(
                minutes=rng.randrange(10, max(11, int((now - created).total_seconds() // 60)))
            )
            rows["journal"].append((new_id(), case_id, rng.choice(NOTES), rng.choice(members).id, _iso(written)))

        task_count = rng.choice([0, 1, 1, 2]) if scale is None else rng.choice([0, 0, 0, 1])
        if not closed and scale is None and queued_per_team.get(team_id, 0) < 3:
            task_count = max(task_count, 1)  # every team starts with open tasks in its queue
        for index in range(task_count):
            task_created = max(created, now - timedelta(days=rng.randrange(0, 21), minutes=rng.randrange(0, 480)))
            deadline = (today + timedelta(days=rng.randrange(-5, 40))).isoformat()
            creator = rng.choice(members)
            if closed:
                status, assignee, queue, via = "completed", rng.choice(members).id, None, 0
            else:
                roll = rng.random()
                if index == 0 and queued_per_team.get(team_id, 0) < 3 and scale is None:
                    roll = 0.0
                if roll < 0.4:
                    status, assignee, queue, via = "queued", None, team_id, 1
                    queued_per_team[team_id] = queued_per_team.get(team_id, 0) + 1
                elif roll < 0.6:  # picked up from the queue earlier
                    status, assignee, queue, via = "assigned", rng.choice(members).id, team_id, 1
                else:
                    status, assignee, queue, via = "assigned", rng.choice(members).id, None, 0
            task_id, task_type = new_id(), rng.choice(task_types)
            rows["tasks"].append(
                (
                    task_id,
                    case_id,
                    task_type,
                    TASK_DESCRIPTIONS.get(task_type, "Zie het journaal van de zaak voor de afspraken."),
                    deadline,
                    _iso(task_created) if via else None,
                    creator.id,
                    assignee,
                    queue,
                    status,
                    via,
                    _iso(task_created),
                    _iso(task_created),
                    _iso(closed_at) if status == "completed" else None,
                )
            )
            # Its history, without drawing from the random stream (the rest stays as it was).
            events = rows["task_events"]
            events.append(
                (
                    task_id,
                    1,
                    "created",
                    creator.id,
                    None if via else assignee,
                    team_id if via else None,
                    None,
                    _iso(task_created),
                )
            )
            if via and status != "queued":
                events.append(
                    (task_id, 2, "picked_up", assignee, None, None, None, _iso(task_created + timedelta(hours=3)))
                )
            if status == "completed":
                events.append((task_id, 3 if via else 2, "completed", assignee, None, None, None, _iso(closed_at)))

    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO case_types (id, name) VALUES (?, ?)",
            [(ct, name) for ct, (name, _, _) in CASE_TYPES.items()],
        )
        team_ids = {t.id for t in people.teams}
        conn.executemany(
            "INSERT INTO case_type_authorisations (case_type_id, team_id) VALUES (?, ?)",
            [(ct, team) for team, cts in TEAM_CASE_TYPES.items() if team in team_ids for ct in cts],
        )
        conn.executemany(
            "INSERT INTO household_groups (id, organisation_id, name, created_at) VALUES (?, ?, ?, ?)", rows["groups"]
        )
        conn.executemany(
            "INSERT INTO citizens (id, group_id, name, bsn, birth_date) VALUES (?, ?, ?, ?, ?)", rows["citizens"]
        )
        conn.executemany(
            "INSERT INTO cases (id, number, organisation_id, case_type_id, group_id, status, outcome, "
            "coordinator_id, created_at, updated_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows["cases"],
        )
        conn.executemany("INSERT INTO case_citizens (case_id, citizen_id) VALUES (?, ?)", rows["case_citizens"])
        conn.executemany("INSERT INTO case_supporters (case_id, user_id) VALUES (?, ?)", rows["supporters"])
        conn.executemany(
            "INSERT INTO case_steps (id, case_id, name, position, status, closed_at, closed_by, summary) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows["steps"],
        )
        conn.executemany(
            "INSERT INTO journal_entries (id, case_id, text, author_id, created_at) VALUES (?, ?, ?, ?, ?)",
            rows["journal"],
        )
        conn.executemany(
            "INSERT INTO tasks (id, case_id, type, description, deadline, queued_at, created_by, "
            "assignee_id, team_id, status, via_team_queue, created_at, updated_at, completed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows["tasks"],
        )
        conn.executemany(
            "INSERT INTO task_events (task_id, position, event, actor_id, to_user_id, to_team_id, note, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows["task_events"],
        )
        rebuild_visibility(conn)
    return {name: len(values) for name, values in rows.items()}


def rebuild_visibility(conn) -> None:
    """Who sees what, in set queries (the same rules as store.feed's viewers)."""
    conn.execute("DELETE FROM visibility")
    conn.execute("""INSERT OR IGNORE INTO visibility (user_id, object_type, object_id)
                    SELECT coordinator_id, 'case', id FROM cases
                    UNION SELECT user_id, 'case', case_id FROM case_supporters""")
    conn.execute("""INSERT OR IGNORE INTO visibility (user_id, object_type, object_id)
                    SELECT v.user_id, 'task', t.id FROM tasks t
                    JOIN visibility v ON v.object_type = 'case' AND v.object_id = t.case_id""")
    conn.execute("""INSERT OR IGNORE INTO visibility (user_id, object_type, object_id)
                    SELECT assignee_id, 'task', id FROM tasks WHERE status = 'assigned'""")
    conn.execute("""INSERT OR IGNORE INTO visibility (user_id, object_type, object_id)
                    SELECT m.user_id, 'task', t.id FROM tasks t
                    JOIN team_members m ON m.team_id = t.team_id
                    JOIN users u ON u.id = m.user_id AND u.active = 1
                    WHERE t.status = 'queued'""")
    conn.execute("""INSERT OR IGNORE INTO visibility (user_id, object_type, object_id)
                    SELECT m.user_id, 'team', m.team_id FROM team_members m
                    JOIN users u ON u.id = m.user_id AND u.active = 1""")
