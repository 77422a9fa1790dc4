-- Every EMIT alias of DESIGN.md 2.3 produces the panes it should, over
-- one script on 10-minute tumbling windows (W1 = [8:00,8:10),
-- W2 = [8:10,8:20)). Manual clock. Expected panes worked out by hand
-- before running weir. Rows (bidtime, price); (x,y) = (SUM, COUNT):
--   B1 @09:00:10 (8:07,2) (8:11,3)  W1 (2,1), W2 (3,1)
--   B2 @09:00:10 (8:05,4)           W1 (6,2)
--   time -> 09:00:40, 09:01:20
--   wm -> 8:10                      W1's end passes
--   B3 @09:01:20 (8:09,5)           late for W1: dropped unless lateness
--   wm -> 8:20                      W2's end passes
-- q1-q5 EMIT CHANGES / STREAM / ON UPDATE / PER EVENT / CHANGELOG (a pane
--   per batch, RETRACTING, no on-time pane): B1 +I W1 (2,1), +I W2 (3,1);
--   B2 -U W1 (2,1), +U W1 (6,2); nothing more (B3 dropped).
-- q6-q9 EMIT FINAL / ON WINDOW CLOSE / AFTER WINDOW CLOSE / AFTER
--   WATERMARK, and q10 with no EMIT: wm 8:10 +I W1 (6,2); wm 8:20 +I W2 (3,1).
-- q11 EMIT PERIODIC INTERVAL '1' MINUTE ACCUMULATING (= EARLY EVERY 1 min,
--   no on-time pane): time 09:01:20 (the 09:01:00 boundary): W1 (6,2),
--   W2 (3,1); nothing more.
-- q12 EMIT AFTER WATERMARK AND AFTER DELAY INTERVAL '30' SECOND
--   ACCUMULATING: time 09:00:40: W1 (6,2), W2 (3,1) (early);
--   wm 8:10 W1 (6,2); wm 8:20 W2 (3,1) (on time).
-- q13 EMIT STREAM AFTER DELAY INTERVAL '30' SECOND (RETRACTING, no
--   on-time pane): time 09:00:40: +I W1 (6,2), +I W2 (3,1); nothing more.
-- q14 Blink's EMIT WITH DELAY '30' SECOND BEFORE WATERMARK, WITHOUT DELAY
--   AFTER WATERMARK (= AFTER WATERMARK, EARLY AFTER DELAY 30 s, LATE
--   EVERY ROW; default DISCARDING; lateness 0): time 09:00:40 W1 (6,2),
--   W2 (3,1); wm 8:10 W1 (NULL,0); B3 dropped; wm 8:20 W2 (NULL,0).
-- q15 the same with ALLOWED LATENESS INTERVAL '5' MINUTE: as q14, and B3
--   fires at once: W1 (5,1) (late, discarding).
-- q16 Proton's EMIT AFTER WINDOW CLOSE WITH DELAY INTERVAL '5' MINUTE: a
--   window's one pane waits until the watermark passes its end + 5 min,
--   so B3 (8:09, at wm 8:10) still counts: wm 8:20 (>= 8:15) +I W1 (11,3)
--   ON_TIME; W2 would close at 8:25, which the script never reaches.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:10';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
.mode changelog
-- q1
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT CHANGES;
-- q2
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT STREAM;
-- q3
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT ON UPDATE;
-- q4
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT PER EVENT;
-- q5
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT CHANGELOG;
-- q6
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT FINAL;
-- q7
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT ON WINDOW CLOSE;
-- q8
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WINDOW CLOSE;
-- q9
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK;
-- q10
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
;
-- q11
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT PERIODIC INTERVAL '1' MINUTE ACCUMULATING;
-- q12
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK AND AFTER DELAY INTERVAL '30' SECOND ACCUMULATING;
-- q13
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT STREAM AFTER DELAY INTERVAL '30' SECOND;
-- q14
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT WITH DELAY '30' SECOND BEFORE WATERMARK, WITHOUT DELAY AFTER WATERMARK;
-- q15
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT WITH DELAY '30' SECOND BEFORE WATERMARK, WITHOUT DELAY AFTER WATERMARK ALLOWED LATENESS INTERVAL '5' MINUTE;
-- q16
SELECT window_start, SUM(price) AS total, COUNT(*) AS n, pane_timing
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WINDOW CLOSE WITH DELAY INTERVAL '5' MINUTE;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:07:00', 2, 'A'),
  (TIMESTAMP '2026-01-01 08:11:00', 3, 'B');
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:05:00', 4, 'C');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:40';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:20';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:09:00', 5, 'D');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
