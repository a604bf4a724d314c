-- Documents of a collection in log order, for readers that follow a collection by the index of the
-- entry that last wrote each document (the in-memory deconfliction index catches up after every
-- commit). Without it a page after a cursor read and sorted every document of the collection. New
-- versions enter at the right edge of their collection's range (indexes grow); a replaced version
-- costs one delete.
CREATE INDEX docs_in_log_order ON docs (collection, idx, id);

-- The shape of the state for the planner, as in V5: a collection holds many documents, an entry
-- writes a few, and (collection, idx, id) is unique.
DELETE FROM sqlite_stat1 WHERE tbl = 'docs' AND idx = 'docs_in_log_order';
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('docs', 'docs_in_log_order', '1000000 100000 2 1');
