-- A document keeps its index keys in its own row: reading a document needs no join, and replacing
-- one touches doc_keys only for the keys it gains or loses (most versions keep theirs). doc_keys is
-- then read by key alone, so it is stored in the order of its primary key (WITHOUT ROWID) and the
-- index by document goes: each random insert into an index is a page written at commit, and those
-- pages were most of what a batch wrote.
ALTER TABLE docs ADD COLUMN keys TEXT NOT NULL DEFAULT '[]';
UPDATE docs SET keys = (
    SELECT json_group_array(key) FROM (
        SELECT k.key FROM doc_keys k WHERE k.collection = docs.collection AND k.id = docs.id ORDER BY k.key))
WHERE EXISTS (SELECT 1 FROM doc_keys k WHERE k.collection = docs.collection AND k.id = docs.id);

CREATE TABLE doc_keys_by_key (
    collection TEXT NOT NULL,
    key        TEXT NOT NULL,
    id         TEXT NOT NULL,
    PRIMARY KEY (collection, key, id)
) WITHOUT ROWID;
INSERT INTO doc_keys_by_key (collection, key, id) SELECT collection, key, id FROM doc_keys;
DROP TABLE doc_keys;
ALTER TABLE doc_keys_by_key RENAME TO doc_keys;

-- The shape of the state for the planner, as in V5, for the index that remains.
DELETE FROM sqlite_stat1 WHERE tbl IN ('doc_keys', 'doc_keys_by_key');
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('doc_keys', 'doc_keys', '8000000 800000 1000 1');
