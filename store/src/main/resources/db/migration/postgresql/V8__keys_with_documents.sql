-- A document keeps its index keys in its own row: reading a document needs no join, and replacing
-- one touches doc_keys only for the keys it gains or loses (most versions keep theirs). doc_keys is
-- then read by key alone, through its primary key, and the index by document goes.
ALTER TABLE docs ADD COLUMN keys TEXT NOT NULL DEFAULT '[]';
UPDATE docs d SET keys = k.keys
FROM (SELECT collection, id, json_agg(key ORDER BY key)::text AS keys FROM doc_keys GROUP BY collection, id) k
WHERE d.collection = k.collection AND d.id = k.id;
DROP INDEX doc_keys_by_document;
