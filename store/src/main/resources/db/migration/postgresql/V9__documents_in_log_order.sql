-- Documents of a collection in log order, for readers that follow a collection by the index of the
-- entry that last wrote each document (the in-memory deconfliction index catches up after every
-- commit). Without it a page after a cursor read and sorted every document of the collection. New
-- versions enter at the right edge of their collection's range (indexes grow); a replaced version
-- costs one delete.
CREATE INDEX docs_in_log_order ON docs (collection, idx, id);
