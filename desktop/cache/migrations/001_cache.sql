-- The whole cache, version 1. Everything here is inside the SQLCipher file.
--
-- Feed objects are kept twice on purpose: the columns the lists show and filter on, in compact
-- rows (so a 20,000-case My Cases filter scans a few MB of hot pages), and the full JSON object
-- as the service sent it (`doc`), which the case view and the sync engine read.
-- `dirty` counts unsent outbox mutations on the row: while it is above zero, a pulled row does
-- not overwrite it.

CREATE TABLE cases (
    id              TEXT PRIMARY KEY,
    number          TEXT NOT NULL,
    client_display  TEXT NOT NULL,      -- citizen name(s), or the group name when there are none
    client_sort     TEXT NOT NULL,      -- client_display folded, so "Öztürk" sorts with the O
    group_id        TEXT,
    group_name      TEXT,
    case_type_id    TEXT,
    case_type_name  TEXT NOT NULL,
    status          TEXT NOT NULL,      -- open | closed
    my_role         TEXT,               -- coordinator | supporter | NULL (not in My Cases)
    coordinator_id  TEXT,
    coordinator_name TEXT,
    current_step    TEXT,               -- name of the first open step, NULL when none
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL,
    search_text     TEXT NOT NULL,      -- folded (lower case, no accents) text the filter matches
    dirty           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cases_my_updated ON cases (my_role, updated_at);
CREATE INDEX cases_my_number ON cases (my_role, number);
-- Rows with unsent changes, found without scanning 20,000 cases on every pulled page.
CREATE INDEX cases_dirty ON cases (id) WHERE dirty > 0;

CREATE TABLE case_docs (
    id   TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    doc  TEXT NOT NULL                  -- the case object as JSON (steps, journal, roles, capabilities)
);

CREATE TABLE tasks (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL,      -- no foreign key: a task can be visible without its case
    case_number     TEXT,
    case_type_name  TEXT,
    group_name      TEXT,
    citizen_name    TEXT,
    type            TEXT NOT NULL,
    description     TEXT,
    deadline        TEXT,
    queued_at       TEXT,
    status          TEXT NOT NULL,      -- queued | assigned | completed
    assignee_id     TEXT,
    assignee_name   TEXT,
    team_id         TEXT,
    team_name       TEXT,
    via_team_queue  INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    doc             TEXT NOT NULL,
    dirty           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_team_status ON tasks (team_id, status);
CREATE INDEX tasks_assignee_status ON tasks (assignee_id, status);
CREATE INDEX tasks_case ON tasks (case_id);
CREATE INDEX tasks_dirty ON tasks (id) WHERE dirty > 0;

CREATE TABLE teams (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    organisation_id  TEXT,
    doc              TEXT NOT NULL
);

CREATE TABLE case_types (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL
);

CREATE TABLE colleagues (
    id            TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    team_ids      TEXT NOT NULL         -- JSON array
);

-- Single-row tables: the user's preferences and the organisation settings.
CREATE TABLE preferences (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    doc        TEXT NOT NULL,
    version    INTEGER,
    dirty      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE organisation (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    doc        TEXT NOT NULL
);

CREATE TABLE sync_state (
    singleton        INTEGER PRIMARY KEY CHECK (singleton = 1),
    cursor           TEXT,               -- opaque; saved in the same transaction as its page
    last_sync_at     TEXT,
    last_contact_at  TEXT,
    user_id          TEXT,               -- whose cache this is: decides my_role
    user_doc         TEXT                -- the login answer's user object as JSON
);
INSERT INTO sync_state (singleton) VALUES (1);

-- Mutations waiting to be pushed, in the order they were made.
CREATE TABLE outbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,  -- client uuid; the service applies each id at most once
    kind          TEXT NOT NULL,
    case_id       TEXT,                  -- the object the mutation touches (for dirty and purge)
    task_id       TEXT,
    payload       TEXT NOT NULL,         -- JSON, as pushed
    base_version  INTEGER,
    created_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT                   -- a problem code, never text from the payload
);
CREATE INDEX outbox_case ON outbox (case_id);
CREATE INDEX outbox_task ON outbox (task_id);

-- Conflicts and rejections, kept with the user's own text until the user dismisses them.
CREATE TABLE unprocessed (
    id           TEXT PRIMARY KEY,       -- the mutation id
    kind         TEXT NOT NULL,
    case_id      TEXT,
    task_id      TEXT,
    payload      TEXT NOT NULL,          -- the user's own change, JSON
    status       TEXT NOT NULL,          -- conflict | rejected | removed
    reason       TEXT,                   -- problem or reason code
    detail       TEXT,
    held_by      TEXT,                   -- JSON {"id", "display_name"} for a lost pick-up
    created_at   TEXT NOT NULL,          -- when the user made the change
    recorded_at  TEXT NOT NULL
);

-- Cases opened while offline, reported to the service's audit log at the next sync.
CREATE TABLE offline_reads (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    TEXT NOT NULL,
    opened_at  TEXT NOT NULL
);
