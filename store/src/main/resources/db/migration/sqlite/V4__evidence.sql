-- Evidence files, stored once by the SHA-256 of their bytes; entries carry only the hash.
CREATE TABLE evidence (
    sha256      TEXT    PRIMARY KEY,
    media_type  TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    uploader    TEXT    NOT NULL,
    received_us INTEGER NOT NULL
);
