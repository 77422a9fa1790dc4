-- Beam triggers x accumulation modes on 10-minute tumbling windows, under
-- the manual clock (Beam's TestStream, as SQL). Expected panes worked out by
-- hand from DESIGN.md 2.3-2.5 before running weir.
--
-- Script (processing time starts at 09:00:10; W1 = [8:00,8:10), W2 =
-- [8:10,8:20); rows are (bidtime, price)):
--   B1 @09:00:10  (8:07,2) (8:11,3)        W1 += 2, W2 += 3
--   B2 @09:00:10  (8:05,4)                 W1 += 4
--   time -> 09:00:40, time -> 09:01:20
--   B3 @09:01:20  (8:09,5) (8:13,1)        W1 += 5, W2 += 1
--   time -> 09:02:30
--   watermark -> 8:10                      W1 on-time pane
--   B4 @09:02:30  (8:17,6)                 W2 += 6
--   watermark -> 8:20                      W2 on-time pane
--   time -> 09:04:00, watermark -> 8:40    nothing: windows closed, and
--                                          [8:20,8:30) got no row (never fires)
-- Panes are (total, n) = (SUM(price), COUNT(*)); D/A/R = DISCARDING /
-- ACCUMULATING / RETRACTING; DISCARDING's on-time pane with no new rows
-- carries (NULL, 0); RETRACTING drops a pane identical to the previous one.
--
-- q1-q3 AFTER WATERMARK: one pane per window, all modes alike:
--   wm 8:10: +I W1 (11,3); wm 8:20: +I W2 (10,3).
-- q4-q6 EARLY EVERY 1 MINUTE (aligned to 09:01:00, 09:02:00, ...):
--   time 09:00:40: nothing (the next boundary is 09:01:00).
--   time 09:01:20 (fires 09:01:00): W1 (6,2), W2 (3,1)       [R: +I, +I]
--   time 09:02:30 (fires 09:02:00): D W1 (5,1) W2 (1,1); A W1 (11,3) W2 (4,2);
--                                   R -U W1 (6,2) +U W1 (11,3),
--                                     -U W2 (3,1) +U W2 (4,2)
--   wm 8:10: D W1 (NULL,0); A W1 (11,3); R nothing (same row)
--   wm 8:20: D W2 (6,1); A W2 (10,3); R -U W2 (4,2) +U W2 (10,3)
--   time 09:04:00: nothing (W2's 09:03:00 early timer died with the window)
-- q7-q9 EARLY AFTER DELAY 30 s (a pane 30 s after the first row since the
--   last pane):
--   time 09:00:40 (B1 at 09:00:10 + 30 s): W1 (6,2), W2 (3,1)
--   time 09:01:20: nothing; B3 at 09:01:20 arms both windows for 09:01:50
--   time 09:02:30: D W1 (5,1) W2 (1,1); A W1 (11,3) W2 (4,2);
--                  R -U W1 (6,2) +U W1 (11,3), -U W2 (3,1) +U W2 (4,2)
--   wm 8:10: D W1 (NULL,0); A W1 (11,3); R nothing
--   wm 8:20 (B4 armed W2 for 09:03:00, not reached): D W2 (6,1); A W2 (10,3);
--            R -U W2 (4,2) +U W2 (10,3)
--   time 09:04:00: nothing
-- q10-q12 EARLY AFTER 2 ROWS (rows counted per window since its last pane):
--   B1: W1 1 row, W2 1 row: nothing.  B2: W1 2 rows: W1 (6,2)
--   B3: W1 1 row; W2 2 rows: W2 (4,2)
--   wm 8:10: D W1 (5,1); A W1 (11,3); R -U W1 (6,2) +U W1 (11,3)
--   B4: W2 1 row: nothing
--   wm 8:20: D W2 (6,1); A W2 (10,3); R -U W2 (4,2) +U W2 (10,3)
-- q13-q15 EARLY EVERY ROW (a pane after each batch for the windows it hit):
--   B1: W1 (2,1), W2 (3,1)
--   B2: D W1 (4,1); A W1 (6,2); R -U W1 (2,1) +U W1 (6,2)
--   B3: D W1 (5,1) W2 (1,1); A W1 (11,3) W2 (4,2);
--       R -U W1 (6,2) +U W1 (11,3), -U W2 (3,1) +U W2 (4,2)
--   wm 8:10: D W1 (NULL,0); A W1 (11,3); R nothing
--   B4: D W2 (6,1); A W2 (10,3); R -U W2 (4,2) +U W2 (10,3)
--   wm 8:20: D W2 (NULL,0); A W2 (10,3); R nothing
-- Under DISCARDING and ACCUMULATING every pane is +I.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:10';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
.mode changelog
-- q1
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK DISCARDING;
-- q2
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK ACCUMULATING;
-- q3
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK RETRACTING;
-- q4
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE DISCARDING;
-- q5
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE ACCUMULATING;
-- q6
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE RETRACTING;
-- q7
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND DISCARDING;
-- q8
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND ACCUMULATING;
-- q9
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND RETRACTING;
-- q10
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER 2 ROWS DISCARDING;
-- q11
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER 2 ROWS ACCUMULATING;
-- q12
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER 2 ROWS RETRACTING;
-- q13
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW DISCARDING;
-- q14
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW ACCUMULATING;
-- q15
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:07:00', 2, 'A'),
  (TIMESTAMP '2026-01-01 08:11:00', 3, 'B');
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:05:00', 4, 'C');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:40';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:20';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:09:00', 5, 'D'),
  (TIMESTAMP '2026-01-01 08:13:00', 1, 'E');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:02:30';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:17:00', 6, 'F');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:04:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:40:00';
