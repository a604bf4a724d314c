-- The log: entries in index order, their bodies, the C2SP tiles and the signed checkpoint.
CREATE TABLE entries (
    idx         INTEGER PRIMARY KEY,
    leaf_hash   BLOB    NOT NULL UNIQUE,
    header_hash BLOB    NOT NULL UNIQUE,
    leaf        BLOB    NOT NULL,
    kind        TEXT    NOT NULL,
    author      TEXT    NOT NULL,
    received    TEXT    NOT NULL
);
CREATE INDEX entries_kind ON entries (kind, idx);
CREATE INDEX entries_author ON entries (author, idx);

CREATE TABLE bodies (
    idx        INTEGER PRIMARY KEY REFERENCES entries (idx),
    body       BLOB    NOT NULL,
    salt       BLOB    NOT NULL,
    visibility TEXT    NOT NULL,
    author     TEXT    NOT NULL
);

CREATE TABLE tiles (
    path TEXT PRIMARY KEY,
    data BLOB NOT NULL
);

CREATE TABLE checkpoint (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    note BLOB    NOT NULL
);

-- The state derived from the log: documents by collection and id, and the index keys they carry.
CREATE TABLE docs (
    collection TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    visibility TEXT    NOT NULL,
    owner      TEXT    NOT NULL,
    idx        INTEGER NOT NULL,
    PRIMARY KEY (collection, id)
);

CREATE TABLE doc_keys (
    collection TEXT NOT NULL,
    key        TEXT NOT NULL,
    id         TEXT NOT NULL,
    PRIMARY KEY (collection, key, id)
);
