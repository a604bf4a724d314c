-- Several instances on one database (issue 9). The numbering skips 5, which is SQLite's alone.

-- A counter every write transaction raises as it commits, so that an instance can tell whether the
-- state changed since it built a read model in memory, whoever wrote it.
CREATE TABLE store_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT  NOT NULL
);
INSERT INTO store_version (id, n) VALUES (1, 0);

-- Submissions admitted by any instance (signatures checked), waiting for the sequencer-role holder,
-- and then their outcome. One row per signed entry, or per group of entries sequenced together;
-- `skey` is the entry's header hash, or a hash naming the group, so a re-sent one finds its row.
CREATE SEQUENCE submissions_order;
CREATE TABLE submissions (
    skey     BYTEA   PRIMARY KEY,
    ord      BIGINT  NOT NULL DEFAULT nextval('submissions_order'),
    grp      BOOLEAN NOT NULL,
    dry_run  BOOLEAN NOT NULL,
    payload  BYTEA   NOT NULL,
    outcome  BYTEA,
    settled  TIMESTAMPTZ
);
-- What the sequencer takes next: the unsettled rows in order of arrival.
CREATE INDEX submissions_queued ON submissions (ord) WHERE outcome IS NULL;
CREATE INDEX submissions_settled ON submissions (settled) WHERE outcome IS NOT NULL;
