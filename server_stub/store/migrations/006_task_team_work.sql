-- Issue 14, team work: a task's short history (created, forwarded by whom to whom and why,
-- picked up, handed back, completed), "niet voor mij" per user, and service accounts (never a
-- forwarding target). Plain SQL: the same statements serve the PostgreSQL backend.
CREATE TABLE task_events (
    task_id TEXT NOT NULL REFERENCES tasks(id),
    position INTEGER NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('created', 'forwarded', 'picked_up', 'handed_back', 'completed')),
    actor_id TEXT REFERENCES users(id),
    to_user_id TEXT REFERENCES users(id),
    to_team_id TEXT REFERENCES teams(id),
    note TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (task_id, position)
);

-- Hidden from one user's Werkbak while the task still has the version it had then: any change
-- of the task (a version bump) brings it back.
CREATE TABLE task_dismissals (
    user_id TEXT NOT NULL REFERENCES users(id),
    task_id TEXT NOT NULL REFERENCES tasks(id),
    task_version INTEGER NOT NULL,
    PRIMARY KEY (user_id, task_id)
);

ALTER TABLE users ADD COLUMN service_account INTEGER NOT NULL DEFAULT 0;
