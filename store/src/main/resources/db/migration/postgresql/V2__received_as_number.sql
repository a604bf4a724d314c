-- The receipt time also as a number, so that time windows filter and sort by an index: microseconds
-- since 1970-01-01T00:00:00Z, rounded down (the precision of the server clock and of PostgreSQL's
-- timestamps). The text in `received` stays the exact value the leaf holds.
ALTER TABLE entries ADD COLUMN received_us BIGINT;

-- Existing rows, from the text the store wrote (java.time ISO_INSTANT: YYYY-MM-DDTHH:MM:SS, then
-- '.' and 3, 6 or 9 digits unless the fraction is zero, then 'Z'). Whole seconds come from the
-- timestamp; the fraction's first six digits, padded with zeros, are the microseconds. A cast of the
-- whole text would round the nanoseconds where the store rounds down. Before 1970 the seconds are
-- negative and the fraction still adds, which rounds down as the store does.
UPDATE entries SET received_us =
    EXTRACT(EPOCH FROM (substr(received, 1, 19) || 'Z')::timestamptz)::bigint * 1000000
    + CASE WHEN substr(received, 20, 1) = '.'
           THEN rpad(substr(received, 21, length(received) - 21), 6, '0')::bigint
           ELSE 0
      END;

ALTER TABLE entries ALTER COLUMN received_us SET NOT NULL;
CREATE INDEX entries_received ON entries (received_us, idx);
