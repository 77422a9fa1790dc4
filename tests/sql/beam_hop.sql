-- Beam triggers x accumulation modes on hopping windows (size 10 min,
-- slide 5 min) over the paper's bids, under the manual clock. Expected
-- panes worked out by hand from DESIGN.md 2.3-2.5 before running weir.
--
-- Windows: H1 = [8:00,8:10), H2 = [8:05,8:15), H3 = [8:10,8:20),
-- H4 = [8:15,8:25); each row lands in two of them. Script (processing
-- time starts at 09:00:10; rows are (bidtime, price)):
--   B1 @09:00:10 (8:07,2) (8:11,3)   H1 (2,1)  H2 (5,2)  H3 (3,1)
--   B2 @09:00:10 (8:05,4)            H1 (6,2)  H2 (9,3)
--   time -> 09:00:40, time -> 09:01:20
--   B3 @09:01:20 (8:09,5) (8:13,1)   H1 (11,3) H2 (15,5) H3 (4,2)
--   time -> 09:02:30
--   wm -> 8:10 (H1 on time), wm -> 8:15 (H2 on time)
--   B4 @09:02:30 (8:17,6)            H3 (10,3) H4 (6,1)
--   wm -> 8:20 (H3 on time); time -> 09:04:00; wm -> 8:40 (H4 on time)
-- (x,y) = (SUM(price), COUNT(*)), the running totals above; final panes
-- are the paper's H1 = 11, H2 = 15, H3 = 10, H4 = 6.
--
-- q1-q3 AFTER WATERMARK (all modes): +I H1 (11,3); +I H2 (15,5);
--   +I H3 (10,3); +I H4 (6,1), each at its watermark step.
-- q4-q6 EARLY EVERY 1 MINUTE:
--   time 09:01:20 (09:01:00): H1 (6,2) H2 (9,3) H3 (3,1)
--   time 09:02:30 (09:02:00): D H1 (5,1) H2 (6,2) H3 (1,1);
--     A H1 (11,3) H2 (15,5) H3 (4,2); R -U/+U to the A rows
--   wm 8:10: H1 D (NULL,0), A (11,3), R nothing
--   wm 8:15: H2 D (NULL,0), A (15,5), R nothing
--   wm 8:20: H3 D (6,1), A (10,3), R -U (4,2) +U (10,3)
--   time 09:04:00 (09:03:00, armed by B4): H4 early (6,1), R +I
--   wm 8:40: H4 D (NULL,0), A (6,1), R nothing
-- q7-q9 EARLY AFTER DELAY 30 s: the same panes as q4-q6 (B1 fires at
--   09:00:40 instead of 09:01:00, B3 at 09:01:50, B4 at 09:03:00), so
--   the first panes come one statement earlier.
-- q10-q12 EARLY AFTER 3 ROWS (per window, since its last pane; every
--   crossing is at a window's last row in its batch):
--   B2: H2 reaches 3 rows: H2 (9,3)
--   B3: H1 reaches 3 rows: H1 (11,3)   (H2 has 2 since its pane, H3 2)
--   wm 8:10: H1 D (NULL,0), A (11,3), R nothing
--   wm 8:15: H2 D (6,2), A (15,5), R -U (9,3) +U (15,5)
--   B4: H3 reaches 3 rows: H3 (10,3), R +I; H4 has 1
--   wm 8:20: H3 D (NULL,0), A (10,3), R nothing
--   wm 8:40: H4 (6,1), all modes
-- q13-q15 EARLY EVERY ROW:
--   B1: H1 (2,1) H2 (5,2) H3 (3,1)
--   B2: D H1 (4,1) H2 (4,1); A H1 (6,2) H2 (9,3); R -U/+U to A
--   B3: D H1 (5,1) H2 (6,2) H3 (1,1); A H1 (11,3) H2 (15,5) H3 (4,2);
--       R -U/+U to A
--   wm 8:10: H1 D (NULL,0), A (11,3), R nothing
--   wm 8:15: H2 D (NULL,0), A (15,5), R nothing
--   B4: D H3 (6,1) H4 (6,1); A H3 (10,3) H4 (6,1);
--       R -U H3 (4,2) +U H3 (10,3), +I H4 (6,1)
--   wm 8:20: H3 D (NULL,0), A (10,3), R nothing
--   wm 8:40: H4 D (NULL,0), A (6,1), R nothing
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:10';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
.mode changelog
-- q1
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK DISCARDING;
-- q2
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK ACCUMULATING;
-- q3
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK RETRACTING;
-- q4
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE DISCARDING;
-- q5
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE ACCUMULATING;
-- q6
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE RETRACTING;
-- q7
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND DISCARDING;
-- q8
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND ACCUMULATING;
-- q9
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND RETRACTING;
-- q10
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER 3 ROWS DISCARDING;
-- q11
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER 3 ROWS ACCUMULATING;
-- q12
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER 3 ROWS RETRACTING;
-- q13
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW DISCARDING;
-- q14
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW ACCUMULATING;
-- q15
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM HOP(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
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
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:15:00';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:17:00', 6, 'F');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:04:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:40:00';
