-- Evidence files, stored once by the SHA-256 of their bytes; entries carry only the hash.
CREATE TABLE evidence (
    sha256      TEXT COLLATE "C" PRIMARY KEY,
    media_type  TEXT   NOT NULL,
    size        BIGINT NOT NULL,
    data        BYTEA  NOT NULL,
    uploader    TEXT   NOT NULL,
    received_us BIGINT NOT NULL
);
