-- Early panes: aligned (EARLY EVERY i: processing-time boundaries that are
-- multiples of i) against delayed (EARLY AFTER DELAY d: d after the first
-- row since the last pane), with and without an on-time pane. Manual
-- clock; emit_time shows when each pane fired. Expected panes worked out
-- by hand from DESIGN.md 2.3-2.4 before running weir.
--
-- Windows W0 = [7:50,8:00), W1 = [8:00,8:10). Rows (bidtime, price):
--   R1 @09:00:50 (7:55,10) (8:01,1)   W0 (10,1), W1 (1,1)
--   time -> 09:01:00, 09:01:10
--   R2 @09:01:10 (8:02,2)             W1 (3,2)
--   time -> 09:01:50, 09:02:00, 09:03:30 (no row since the last panes:
--   nothing fires at 09:03:00)
--   R3 @09:03:30 (8:03,4)             W1 (7,3)
--   wm -> 8:10                        both windows' ends pass
--   time -> 09:05:10
--   R4 @09:05:10 (8:04,8)             late: W1 (15,4) where lateness allows
--   time -> 09:06:30; wm -> 8:20
-- Columns: window_start, (SUM, COUNT), pane_timing, emit_time.
-- q1 AFTER WATERMARK EARLY EVERY 1 MINUTE ACCUMULATING (lateness 0):
--   09:01:00 W0 (10,1) EARLY, W1 (1,1) EARLY   (aligned: R1 at 09:00:50)
--   09:02:00 W1 (3,2) EARLY                    (W0 got nothing new)
--   wm 8:10 @09:03:30: W0 (10,1) ON_TIME, W1 (7,3) ON_TIME (R3's 09:04:00
--   early timer dies with the on-time pane); R4 is dropped.
-- q2 AFTER WATERMARK EARLY AFTER DELAY 1 MINUTE ACCUMULATING:
--   09:01:50 W0 (10,1) EARLY, W1 (3,2) EARLY   (delayed: R1 + 1 min)
--   wm 8:10 @09:03:30: W0 (10,1) ON_TIME, W1 (7,3) ON_TIME; R4 dropped.
-- q3 EARLY EVERY 1 MINUTE, lateness 10 min, ACCUMULATING, no on-time
--   pane: 09:01:00 W0 (10,1) EARLY, W1 (1,1) EARLY; 09:02:00 W1 (3,2)
--   EARLY; wm 8:10 fires nothing (W0 expires: 8:00 + 10 min); at time
--   09:05:10 the 09:04:00 boundary fires W1 (7,3) LATE (after the
--   watermark); R4 arms the 09:06:00 boundary: W1 (15,4) LATE. The same
--   trigger governs late rows: without a LATE clause, a late row waits
--   for the next boundary like any other (Beam: the trigger is just
--   Repeatedly(AfterProcessingTime.alignedTo(1 min))).
-- q4 EARLY AFTER DELAY 1 MINUTE, lateness 10 min, DISCARDING, no
--   on-time pane: 09:01:50 W0 (10,1) EARLY, W1 (3,2) EARLY; R3 arms
--   09:04:30: W1 (4,1) LATE; R4 arms 09:06:10: W1 (8,1) LATE.
-- wm 8:20 expires W1 for q3/q4 with nothing pending.
-- q5 (on bids2, started afterwards at 09:06:30): EARLY EVERY 7 SECONDS
--   ACCUMULATING; boundaries are multiples of 7 s since the epoch, not of
--   the query's start: 2026-01-01 09:06:31 is 1767258391 s = 7 * 252465484
--   + 3, so a row at 09:06:31 fires at 09:06:35 (W (1)), a row at
--   09:06:40 at 09:06:42 (W (3)).
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:50';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
.mode changelog
SELECT window_start, SUM(price) AS total, COUNT(*) AS n, pane_timing,
       emit_time
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE ACCUMULATING;
SELECT window_start, SUM(price) AS total, COUNT(*) AS n, pane_timing,
       emit_time
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '1' MINUTE ACCUMULATING;
SELECT window_start, SUM(price) AS total, COUNT(*) AS n, pane_timing,
       emit_time
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT EARLY EVERY INTERVAL '1' MINUTE ALLOWED LATENESS INTERVAL '10' MINUTE
ACCUMULATING;
SELECT window_start, SUM(price) AS total, COUNT(*) AS n, pane_timing,
       emit_time
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT EARLY AFTER DELAY INTERVAL '1' MINUTE
ALLOWED LATENESS INTERVAL '10' MINUTE DISCARDING;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 07:55:00', 10, 'Z'),
  (TIMESTAMP '2026-01-01 08:01:00', 1, 'A');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:10';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:02:00', 2, 'B');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:50';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:02:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:03:30';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:03:00', 4, 'C');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:05:10';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:04:00', 8, 'D');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:06:30';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
CREATE SOURCE bids2 (bidtime TIMESTAMP, price BIGINT)
  WITH (connector = 'memory');
SELECT window_start, SUM(price) AS total, emit_time
FROM TUMBLE(bids2, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '7' SECOND ACCUMULATING;
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:06:31';
INSERT INTO bids2 VALUES (TIMESTAMP '2026-01-01 08:01:00', 1);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:06:40';
INSERT INTO bids2 VALUES (TIMESTAMP '2026-01-01 08:02:00', 2);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:07:00';
