-- Late triggers x accumulation modes on hopping and session windows
-- (beam_late.sql does tumbling ones). Manual clock; lateness 5 min.
-- Expected panes worked out by hand from DESIGN.md 2.3-2.4 first.
-- (x,y) = (SUM(p), COUNT(*)); q1-q9 hop, q10-q18 session; in each group
-- of three: DISCARDING, ACCUMULATING, RETRACTING; groups: LATE EVERY ROW,
-- LATE AFTER 2 ROWS, LATE AFTER DELAY 30 s (all AFTER WATERMARK).
--
-- Hop size 10 slide 5: H1 = [8:00,8:10), H2 = [8:05,8:15). Rows (t,p):
--   B1 @09:00:10 (8:06,1)     H1 (1,1), H2 (1,1)
--   wm -> 8:10                H1 on time: (1,1)
--   B2 @09:00:10 (8:07,2)     late for H1 (H1 (3,2)); H2 (3,2), still open
--   time -> 09:00:30
--   B3 @09:00:30 (8:08,4)     late for H1 (7,3); H2 (7,3)
--   time -> 09:01:00
--   wm -> 8:15                H1 expires; H2 on time: (7,3)
--   B4 @09:01:00 (8:09,8)     H1: dropped; late for H2 (15,4)
--   wm -> 8:20                H2 expires: pending late panes fire
--   time -> 09:02:00          nothing
-- EVERY ROW: wm 8:10 H1 (1,1); B2 H1 D (2,1) A (3,2) R -U (1,1) +U (3,2);
--   B3 H1 D (4,1) A (7,3) R -U (3,2) +U (7,3); wm 8:15 H2 (7,3);
--   B4 H2 D (8,1) A (15,4) R -U (7,3) +U (15,4).
-- AFTER 2 ROWS: wm 8:10 H1 (1,1); B3 H1 D (6,2) A (7,3) R -U (1,1)
--   +U (7,3); wm 8:15 H2 (7,3); wm 8:20 (B4's row pending at expiry)
--   H2 D (8,1) A (15,4) R -U (7,3) +U (15,4).
-- AFTER DELAY 30 s: wm 8:10 H1 (1,1); B2 arms 09:00:40, fired at time
--   09:01:00: H1 D (6,2) A (7,3) R -U (1,1) +U (7,3); wm 8:15 H2 (7,3);
--   B4 arms 09:01:30, but wm 8:20 expires H2 first: H2 D (8,1) A (15,4)
--   R -U (7,3) +U (15,4).
--
-- Session gap 5 min, user a; late rows extend a fired session backwards
-- (its end stays 8:05, behind the watermark), so each is a merge:
--   C1 @09:00:10 (8:00,1)     S0 [8:00,8:05)
--   wm -> 8:05                S0 on time: (1,1)
--   C2 @09:00:10 (7:58,2)     merges: S1 [7:58,8:05) (3,2)
--   time -> 09:00:30
--   C3 @09:00:30 (7:56,4)     merges: S2 [7:56,8:05) (7,3)
--   time -> 09:01:00
--   wm -> 8:10                S2 expires
--   C4 @09:01:00 (7:57,8)     its own [7:57,8:02) + 5 min <= 8:10: dropped
-- (A and R both delete (-D) the last row of a session merged away.)
-- EVERY ROW: wm 8:05 S0 (1,1); C2 D S1 (2,1),
--   A and R -D S0 (1,1) +I S1 (3,2); C3 D S2 (4,1),
--   A and R -D S1 (3,2) +I S2 (7,3).
-- AFTER 2 ROWS (counts since the last pane add up across the merge):
--   wm 8:05 S0 (1,1); C3: D S2 (6,2), A and R -D S0 (1,1)
--   +I S2 (7,3) (S1 never fired).
-- AFTER DELAY 30 s: wm 8:05 S0 (1,1); C2 arms 09:00:40 (kept by the C3
--   merge), fired at time 09:01:00: D S2 (6,2),
--   A and R -D S0 (1,1) +I S2 (7,3).
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:10';
CREATE SOURCE h (t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
CREATE SOURCE s (u VARCHAR, t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
.mode changelog
-- q1
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q2
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q3
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
-- q4
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q5
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q6
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
-- q7
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q8
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q9
SELECT window_start, SUM(p) AS total, COUNT(*) AS n
FROM HOP(h, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
-- q10
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q11
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q12
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
-- q13
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q14
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q15
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
-- q16
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q17
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q18
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(s, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
INSERT INTO h VALUES (TIMESTAMP '2026-01-01 08:06:00', 1);
ADVANCE WATERMARK OF h TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO h VALUES (TIMESTAMP '2026-01-01 08:07:00', 2);
INSERT INTO s VALUES ('a', TIMESTAMP '2026-01-01 08:00:00', 1);
ADVANCE WATERMARK OF s TO TIMESTAMP '2026-01-01 08:05:00';
INSERT INTO s VALUES ('a', TIMESTAMP '2026-01-01 07:58:00', 2);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:30';
INSERT INTO h VALUES (TIMESTAMP '2026-01-01 08:08:00', 4);
INSERT INTO s VALUES ('a', TIMESTAMP '2026-01-01 07:56:00', 4);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:00';
ADVANCE WATERMARK OF h TO TIMESTAMP '2026-01-01 08:15:00';
INSERT INTO h VALUES (TIMESTAMP '2026-01-01 08:09:00', 8);
ADVANCE WATERMARK OF h TO TIMESTAMP '2026-01-01 08:20:00';
ADVANCE WATERMARK OF s TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO s VALUES ('a', TIMESTAMP '2026-01-01 07:57:00', 8);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:02:00';
