-- RETRACTING suppresses a pane whose row equals the previous pane's in
-- every selected column (DESIGN.md 2.3). Pane metadata that describes the
-- pane (pane_timing, pane_index, emit_time) differs in every pane, so a
-- query selecting it sees every pane; `ver` does not count (it numbers
-- changelog rows, which exist only once a pane is sent).
-- Worked by hand:
--   INSERT (8:01, 1) @09:00  q1 +I 8:00 1
--                            q2 +I 8:00 1 EARLY 0
--                            q3 +I 8:00 1 0
--   watermark 8:10           q1 nothing (the on-time row equals the early)
--                            q2 -U 8:00 1 ON_TIME 1, +U 8:00 1 ON_TIME 1
--                            q3 nothing
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT)
  WITH (connector = 'memory');
.mode changelog
SELECT window_start, SUM(price) AS total
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
SELECT window_start, SUM(price) AS total, pane_timing, pane_index
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
SELECT window_start, SUM(price) AS total, ver
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:01:00', 1);
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
