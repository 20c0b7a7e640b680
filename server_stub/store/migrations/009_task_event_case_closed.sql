-- Issue 14: closing a case completes its open tasks; each gets a history line saying so
-- ('case_closed', by whom). The CHECK of 006 is widened by rebuilding the table (SQLite cannot
-- alter a CHECK; the same statements serve PostgreSQL).
CREATE TABLE task_events_new (
    task_id TEXT NOT NULL REFERENCES tasks(id),
    position INTEGER NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('created', 'forwarded', 'picked_up', 'handed_back', 'completed', 'case_closed')),
    actor_id TEXT REFERENCES users(id),
    to_user_id TEXT REFERENCES users(id),
    to_team_id TEXT REFERENCES teams(id),
    note TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (task_id, position)
);
INSERT INTO task_events_new (task_id, position, event, actor_id, to_user_id, to_team_id, note, at)
    SELECT task_id, position, event, actor_id, to_user_id, to_team_id, note, at FROM task_events;
DROP TABLE task_events;
ALTER TABLE task_events_new RENAME TO task_events;
