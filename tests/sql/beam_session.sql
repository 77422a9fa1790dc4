-- Beam triggers x accumulation modes on session windows (gap 5 min, per
-- user u), including a merge of two sessions that already fired early
-- panes, under the manual clock. Expected panes worked out by hand from
-- DESIGN.md 2.2-2.5 before running weir. A session is [first, last + gap).
--
-- Script (processing time starts at 09:00:10; rows (u, bidtime, price)):
--   B1 @09:00:10 (a,8:00,1) (a,8:03,2)  S1 = a [8:00,8:08) (3,2)
--   B2 @09:00:10 (a,8:12,4) (b,8:01,10) S2 = a [8:12,8:17) (4,1),
--                                      Sb = b [8:01,8:06) (10,1)
--   time -> 09:00:40, time -> 09:01:20
--   B3 @09:01:20 (a,8:07:30,8)          its [8:07:30,8:12:30) overlaps S1
--                                      and S2: they merge into
--                                      M = a [8:00,8:17) (15,4)
--   time -> 09:02:30
--   wm -> 8:10                         Sb on time
--   B4 @09:02:30 (b,8:20,5)             Sb2 = b [8:20,8:25) (5,1)
--   wm -> 8:20                         M on time
--   time -> 09:04:00; wm -> 8:40       Sb2 on time
-- (x,y) = (SUM(price), COUNT(*)). A merge retracts (-D) the last row of
-- each merged session that had fired, then +I the merged one, with the
-- merged window's next pane (not when the merging row arrives: under
-- q6/q9 the -D rows wait for M's pane at 09:02:00 / 09:01:50, so that a
-- table fed the changelog never loses user a meanwhile). Under
-- DISCARDING the merged pane holds only rows not yet emitted; under
-- ACCUMULATING, as under RETRACTING, the merged sessions' last rows are
-- deleted (-D) before the merged pane (DESIGN 2.4: the changelog applied
-- as upserts stays right).
--
-- q1-q3 AFTER WATERMARK (all modes): wm 8:10 +I Sb (10,1);
--   wm 8:20 +I M (15,4); wm 8:40 +I Sb2 (5,1). No pane fired before the
--   merge, so nothing is retracted.
-- q4-q6 EARLY EVERY 1 MINUTE:
--   time 09:01:20 (09:01:00): S1 (3,2) S2 (4,1) Sb (10,1)
--   time 09:02:30 (09:02:00): M: D (8,1);
--                             A and R -D S1 (3,2) -D S2 (4,1) +I M (15,4)
--   wm 8:10: Sb D (NULL,0), A (10,1), R nothing
--   wm 8:20: M D (NULL,0), A (15,4), R nothing
--   time 09:04:00 (09:03:00): Sb2 early (5,1)
--   wm 8:40: Sb2 D (NULL,0), A (5,1), R nothing
-- q7-q9 EARLY AFTER DELAY 30 s: as q4-q6, the first panes at 09:00:40,
--   M's at 09:01:50 (armed by B3), Sb2's at 09:03:00.
-- q10-q12 EARLY AFTER 2 ROWS (counts since the last pane add up on
--   merge):
--   B1: S1 (3,2)
--   B2: S2 1 row, Sb 1 row: nothing
--   B3: M has 0 (S1) + 1 (S2) + 1 = 2: D (12,2);
--       A and R -D S1 (3,2) +I M (15,4)      (S2 never fired)
--   wm 8:10: Sb (10,1), all modes
--   B4: Sb2 1 row: nothing
--   wm 8:20: M D (NULL,0), A (15,4), R nothing
--   wm 8:40: Sb2 (5,1), all modes
-- q13-q15 EARLY EVERY ROW:
--   B1: S1 (3,2).  B2: S2 (4,1) Sb (10,1)
--   B3: M D (8,1); A and R -D S1 (3,2) -D S2 (4,1) +I M (15,4)
--   wm 8:10: Sb D (NULL,0), A (10,1), R nothing
--   B4: Sb2 (5,1)
--   wm 8:20: M D (NULL,0), A (15,4), R nothing
--   wm 8:40: Sb2 D (NULL,0), A (5,1), R nothing
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:10';
CREATE SOURCE bids (u VARCHAR, bidtime TIMESTAMP, price BIGINT)
  WITH (connector = 'memory');
.mode changelog
-- q1
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK DISCARDING;
-- q2
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK ACCUMULATING;
-- q3
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK RETRACTING;
-- q4
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE DISCARDING;
-- q5
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE ACCUMULATING;
-- q6
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE RETRACTING;
-- q7
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND DISCARDING;
-- q8
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND ACCUMULATING;
-- q9
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY AFTER DELAY INTERVAL '30' SECOND RETRACTING;
-- q10
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY AFTER 2 ROWS DISCARDING;
-- q11
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY AFTER 2 ROWS ACCUMULATING;
-- q12
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY AFTER 2 ROWS RETRACTING;
-- q13
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY ROW DISCARDING;
-- q14
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY ROW ACCUMULATING;
-- q15
SELECT u, window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM SESSION(bids, bidtime, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
INSERT INTO bids VALUES ('a', TIMESTAMP '2026-01-01 08:00:00', 1),
  ('a', TIMESTAMP '2026-01-01 08:03:00', 2);
INSERT INTO bids VALUES ('a', TIMESTAMP '2026-01-01 08:12:00', 4),
  ('b', TIMESTAMP '2026-01-01 08:01:00', 10);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:40';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:20';
INSERT INTO bids VALUES ('a', TIMESTAMP '2026-01-01 08:07:30', 8);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:02:30';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO bids VALUES ('b', TIMESTAMP '2026-01-01 08:20:00', 5);
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:04:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:40:00';
