-- My Cases read whole from one index (issue 19).
--
-- The index of migration 002 gave the order, but each row was then looked up in the table by its
-- rowid, in display order: random pages, each decrypted again and again through a 16 MiB page
-- cache (1.2 s of SQL for 100,000 cases warm, ~5 s after a cold start). This index holds every
-- column the list shows, and the search text, in that order: the list is one walk over it
-- (0.25 s warm at 100,000). It costs ~20 MB of file at 100,000 cases and ~0.7 s more at the end of
-- a first sync (it is one of the indexes a first sync builds last: desktop/cache/pull.py).
DROP INDEX IF EXISTS cases_mine_by_updated;
CREATE INDEX cases_mine_list ON cases (updated_at, number, id, client_display, case_type_name, my_role, current_step, status, dirty, search_text) WHERE my_role IS NOT NULL;
