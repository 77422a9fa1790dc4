-- Values at the edges (worked out by hand):
-- * SUM of BIGINT wraps around on overflow, as BIGINT arithmetic does
--   (Flink): 9223372036854775807 + 1 = -9223372036854775808; no crash.
-- * An integer literal of 2^63 does not fit a BIGINT column: a clear
--   error naming the column, nothing inserted.
-- * Dates that do not exist (Feb 29 of 2026, April 31) are errors in SQL
--   literals and bad records in files (2024-02-29 is fine).
-- * Proton's shorthand intervals: 10m windows, a 5s watermark delay.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE b (k VARCHAR, ts TIMESTAMP, v BIGINT,
  WATERMARK FOR ts AS ts - 5s) WITH (connector = 'memory');
.mode changelog
SELECT k, SUM(v) AS total, COUNT(*) AS n FROM b GROUP BY k;
INSERT INTO b VALUES ('z', TIMESTAMP '2026-01-01 08:00:00',
  9223372036854775807);
INSERT INTO b VALUES ('z', TIMESTAMP '2026-01-01 08:00:00', 1);
INSERT INTO b VALUES ('y', TIMESTAMP '2026-01-01 08:00:00',
  9223372036854775808);
SELECT TIMESTAMP '2026-02-29 08:00:00' AS t;
SELECT TIMESTAMP '2026-04-31 00:00:00' AS t;
SELECT TIMESTAMP '2024-02-29 08:00:00' AS t;
CREATE SOURCE dates (k VARCHAR, ts TIMESTAMP, v BIGINT) WITH (
  connector = 'file', path = 'data/csv_dates.csv', format = 'csv');
SELECT k, ts, v FROM dates;
EXPLAIN ANALYZE SELECT k, ts, v FROM dates;
