-- A document's keys are deleted and read by (collection, id) on every write of the document and every
-- read of it, but the primary key leads with the key: without this index each of those scanned every
-- key of the collection, so writes slowed as the state grew.
CREATE INDEX doc_keys_by_document ON doc_keys (collection, id);
