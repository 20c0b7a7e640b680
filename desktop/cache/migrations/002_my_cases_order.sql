-- My Cases in its default order (last change first) straight from an index.
--
-- Version 1 indexed (my_role, updated_at): with "my_role IS NOT NULL" that is a range over two
-- roles, so SQLite scanned all 20,000 rows and sorted them in a temporary B-tree on every
-- refresh (~30 ms warm; far more while a sync keeps invalidating the page cache, on the GUI
-- thread). A partial index over just my cases, holding the whole sort key and the id, answers
-- `my_case_ids` by walking the index backwards: no table rows, no sort.
DROP INDEX cases_my_updated;
CREATE INDEX cases_mine_by_updated ON cases (updated_at, number, id) WHERE my_role IS NOT NULL;
