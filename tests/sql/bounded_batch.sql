-- A bounded file is a batch input (DESIGN.md 2.1): WATERMARK FOR does not
-- move its watermark while it is read, so no row is late and the answer is
-- the batch engine's whatever the reader's batch size. data/disorder.csv:
-- 3000 rows, one per second from 12:00:00, except every 500th row (6 of
-- them) is 30 s out of order -- more than the 5 s watermark delay.
-- By hand: 1000-second windows align to the epoch: 12:00:00 is 800 s into
-- [11:46:40, 12:03:20), so that window holds rows 0..199, [12:03:20,
-- 12:20:00) rows 200..1199, [12:20:00, 12:36:40) rows 1200..2199 and
-- [12:36:40, ...) rows 2200..2999; each displaced row stays in its window
-- (499 -> 469 s, 1499 -> 1469 s, 2999 -> 2969 s ...): 200, 1000, 1000,
-- 800, and 0 late rows dropped.
CREATE SOURCE d (k VARCHAR, v BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH (connector = 'file', path = 'data/disorder.csv', format = 'csv');
.mode changelog
SELECT window_start, COUNT(*) AS n, SUM(v) AS s
FROM TUMBLE(d, ts, INTERVAL '1000' SECOND) GROUP BY window_start;
EXPLAIN ANALYZE SELECT window_start, COUNT(*) AS n
FROM TUMBLE(d, ts, INTERVAL '1000' SECOND) GROUP BY window_start;
-- Flink's knob reads a bounded input as a stream instead (WATERMARK FOR
-- then moves the watermark as the file is read); only 'batch' and
-- 'streaming' are accepted.
SET 'execution.runtime-mode' = 'streaming';
SET 'execution.runtime-mode' = 'sideways';
