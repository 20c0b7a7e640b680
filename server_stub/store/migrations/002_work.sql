-- The work: case types, household groups, citizens, cases, steps, journal, tasks, preferences,
-- the at-most-once record of pushed mutations, and the per-user change feed.

CREATE TABLE case_types (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- Who is authorised for a case type (seed C6): a team (all its members) or one user.
CREATE TABLE case_type_authorisations (
    case_type_id TEXT NOT NULL REFERENCES case_types(id),
    team_id TEXT REFERENCES teams(id),
    user_id TEXT REFERENCES users(id),
    CHECK ((team_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX case_type_auth_team ON case_type_authorisations(team_id);
CREATE INDEX case_type_auth_user ON case_type_authorisations(user_id);

-- A household group (groep): the dossier of related citizens, holding their cases (D1, D2).
CREATE TABLE household_groups (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE citizens (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES household_groups(id),
    name TEXT NOT NULL,
    bsn TEXT NOT NULL UNIQUE,
    birth_date TEXT NOT NULL
);
CREATE INDEX citizens_group ON citizens(group_id);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    case_type_id TEXT NOT NULL REFERENCES case_types(id),
    group_id TEXT NOT NULL REFERENCES household_groups(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    outcome TEXT,
    coordinator_id TEXT NOT NULL REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    -- the case version at which the coordinator last changed: a stale base version conflicts
    coordinator_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX cases_group ON cases(group_id);
CREATE INDEX cases_coordinator ON cases(coordinator_id);

CREATE TABLE case_citizens (
    case_id TEXT NOT NULL REFERENCES cases(id),
    citizen_id TEXT NOT NULL REFERENCES citizens(id),
    PRIMARY KEY (case_id, citizen_id)
) WITHOUT ROWID;
CREATE INDEX case_citizens_citizen ON case_citizens(citizen_id);

CREATE TABLE case_supporters (
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (case_id, user_id)
) WITHOUT ROWID;
CREATE INDEX case_supporters_user ON case_supporters(user_id);

CREATE TABLE case_steps (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_at TEXT,
    closed_by TEXT REFERENCES users(id),
    summary TEXT
);
CREATE INDEX case_steps_case ON case_steps(case_id, position);

-- Append-only (never updated, never deleted).
CREATE TABLE journal_entries (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    text TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX journal_case ON journal_entries(case_id, created_at);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    type TEXT NOT NULL,
    description TEXT NOT NULL,
    deadline TEXT,
    queued_at TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    assignee_id TEXT REFERENCES users(id),
    team_id TEXT REFERENCES teams(id),
    status TEXT NOT NULL CHECK (status IN ('queued', 'assigned', 'completed')),
    via_team_queue INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT,
    CHECK (status <> 'queued' OR (team_id IS NOT NULL AND assignee_id IS NULL)),
    CHECK (status <> 'assigned' OR assignee_id IS NOT NULL)
);
CREATE INDEX tasks_case ON tasks(case_id);
CREATE INDEX tasks_team_status ON tasks(team_id, status);
CREATE INDEX tasks_assignee ON tasks(assignee_id);

-- Missing rows mean the defaults: every e-mail on.
CREATE TABLE preferences (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    email_on_assigned INTEGER NOT NULL DEFAULT 1,
    email_on_added_to_case INTEGER NOT NULL DEFAULT 1,
    desktop_notifications INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE team_queue_email (
    user_id TEXT NOT NULL REFERENCES users(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    enabled INTEGER NOT NULL,
    PRIMARY KEY (user_id, team_id)
) WITHOUT ROWID;

-- At most once: a retried mutation id returns its stored result.
CREATE TABLE pushed_mutations (
    user_id TEXT NOT NULL,
    mutation_id TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    result TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (user_id, mutation_id)
) WITHOUT ROWID;

-- What each user sees now (cases, tasks): kept in step with every write, so that a change can
-- tell who lost sight of an object (a removal) without re-evaluating the rules for everyone.
CREATE TABLE visibility (
    user_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    PRIMARY KEY (user_id, object_type, object_id)
) WITHOUT ROWID;
CREATE INDEX visibility_object ON visibility(object_type, object_id);

-- The per-user change feed: one row per (user, object), moved to a new seq on every change,
-- so a pull is one indexed range query and a user's feed never grows beyond what they saw.
CREATE TABLE feed (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feed_user_seq ON feed(user_id, seq);
CREATE UNIQUE INDEX feed_user_object ON feed(user_id, object_type, object_id);

-- Our decision beyond the seed: a local administrator or the helpdesk may replace a coordinator
-- with a written reason. The reason is free text, so it lives here, beside the case, and the audit
-- entry refers to it by id instead of copying it into the audit log.
CREATE TABLE coordinator_replacements (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    previous_coordinator_id TEXT NOT NULL REFERENCES users(id),
    new_coordinator_id TEXT NOT NULL REFERENCES users(id),
    replaced_by TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    replaced_at TEXT NOT NULL
);
CREATE INDEX coordinator_replacements_case ON coordinator_replacements(case_id);
