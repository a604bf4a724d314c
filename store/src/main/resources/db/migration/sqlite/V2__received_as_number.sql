-- The receipt time also as a number, so that time windows filter and sort by an index: microseconds
-- since 1970-01-01T00:00:00Z, rounded down (the precision of the server clock and of PostgreSQL's
-- timestamps). The text in `received` stays the exact value the leaf holds.
--
-- SQLite can add a NOT NULL column only with a default, and a default would hide an insert that left
-- the column out, where NULL shows it; the store always writes it.
ALTER TABLE entries ADD COLUMN received_us INTEGER;

-- Existing rows, from the text the store wrote (java.time ISO_INSTANT: YYYY-MM-DDTHH:MM:SS, then
-- '.' and 3, 6 or 9 digits unless the fraction is zero, then 'Z'). Whole seconds come from strftime;
-- the fraction's first six digits, padded with zeros, are the microseconds. Before 1970 the seconds are
-- negative and the fraction still adds, which rounds down as the store does.
UPDATE entries SET received_us =
    CAST(strftime('%s', substr(received, 1, 19)) AS INTEGER) * 1000000
    + CASE WHEN substr(received, 20, 1) = '.'
           THEN CAST(substr(substr(received, 21, length(received) - 21) || '000000', 1, 6) AS INTEGER)
           ELSE 0
      END;

CREATE INDEX entries_received ON entries (received_us, idx);
