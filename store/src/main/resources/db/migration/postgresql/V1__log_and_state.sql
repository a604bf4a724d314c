-- PostgreSQL: text compares byte for byte (COLLATE "C"), so ordering and paging match SQLite.
-- The log: entries in index order, their bodies, the C2SP tiles and the signed checkpoint.
CREATE TABLE entries (
    idx         BIGINT  PRIMARY KEY,
    leaf_hash   BYTEA    NOT NULL UNIQUE,
    header_hash BYTEA    NOT NULL UNIQUE,
    leaf        BYTEA    NOT NULL,
    kind        TEXT COLLATE "C"    NOT NULL,
    author      TEXT COLLATE "C"    NOT NULL,
    received    TEXT COLLATE "C"    NOT NULL
);
CREATE INDEX entries_kind ON entries (kind, idx);
CREATE INDEX entries_author ON entries (author, idx);

CREATE TABLE bodies (
    idx        BIGINT PRIMARY KEY REFERENCES entries (idx),
    body       BYTEA    NOT NULL,
    salt       BYTEA    NOT NULL,
    visibility TEXT COLLATE "C"    NOT NULL,
    author     TEXT COLLATE "C"    NOT NULL
);

CREATE TABLE tiles (
    path TEXT COLLATE "C" PRIMARY KEY,
    data BYTEA NOT NULL
);

CREATE TABLE checkpoint (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    note BYTEA    NOT NULL
);

-- The state derived from the log: documents by collection and id, and the index keys they carry.
CREATE TABLE docs (
    collection TEXT COLLATE "C"    NOT NULL,
    id         TEXT COLLATE "C"    NOT NULL,
    body       TEXT COLLATE "C"    NOT NULL,
    visibility TEXT COLLATE "C"    NOT NULL,
    owner      TEXT COLLATE "C"    NOT NULL,
    idx        BIGINT  NOT NULL,
    PRIMARY KEY (collection, id)
);

CREATE TABLE doc_keys (
    collection TEXT COLLATE "C" NOT NULL,
    key        TEXT COLLATE "C" NOT NULL,
    id         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (collection, key, id)
);
