-- SQLite plans queries from the statistics in sqlite_stat1, and without them it guesses. Its guess for
-- reading a document's keys (doc_keys by collection and id) was the primary key, whose prefix is only the
-- collection: every document read scanned every key of its collection, 39 s for a page of 200 incidents
-- among 100,000. These figures describe the shape of the state, not its size: a collection holds many
-- documents, a document a handful of keys, a key many documents. They hold until an ANALYZE measures
-- the real ones.
ANALYZE;
DELETE FROM sqlite_stat1 WHERE tbl IN ('docs', 'doc_keys');
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('docs', 'sqlite_autoindex_docs_1', '1000000 100000 1'),
    ('doc_keys', 'sqlite_autoindex_doc_keys_1', '8000000 800000 1000 1'),
    ('doc_keys', 'doc_keys_by_document', '8000000 800000 8');
