-- Late rows: inside and beyond the allowed lateness, every late trigger x
-- accumulation mode, and a session merge caused by late rows after the
-- sessions fired on time. Manual clock. Expected panes worked out by
-- hand from DESIGN.md 2.3-2.5 before running weir.
--
-- Part 1: bids over 10-minute tumbling windows, W1 = [8:00,8:10),
-- W2 = [8:10,8:20), lateness 5 min (W1 takes rows while wm < 8:15).
-- Processing time starts at 09:00:10; rows are (bidtime, price):
--   B1 @09:00:10 (8:07,2) (8:11,3)  W1 (2,1), W2 (3,1)
--   wm -> 8:10                      W1 on time: (2,1)
--   B2 @09:00:10 (8:05,4)           late for W1, accepted
--   time -> 09:00:30
--   B3 @09:00:30 (8:09,5)           late, accepted
--   time -> 09:00:50; wm -> 8:14:59
--   B4 @09:00:50 (8:01,1)           late, accepted (8:14:59 < 8:15)
--   wm -> 8:15                      W1 expires: a pending late pane
--                                   fires now, then its state is freed
--   time -> 09:01:30
--   B5 @09:01:30 (8:08,7)           beyond the lateness: dropped
--   B6 @09:01:30 (8:18,6)           W2 (9,2)
--   wm -> 8:20                      W2 on time: (9,2)
--   time -> 09:03:00; wm -> 8:40    nothing
-- (x,y) = (SUM(price), COUNT(*)); W1's running totals after B2/B3/B4:
-- (6,2), (11,3), (12,4); B5 never counts.
-- q1-q3 LATE EVERY ROW:  wm 8:10 (2,1);
--   B2: D (4,1) A (6,2)  R -U (2,1) +U (6,2)
--   B3: D (5,1) A (11,3) R -U (6,2) +U (11,3)
--   B4: D (1,1) A (12,4) R -U (11,3) +U (12,4)
--   wm 8:20: W2 (9,2)
-- q4-q6 LATE AFTER 2 ROWS:  wm 8:10 (2,1);
--   B3 (2nd late row): D (9,2) A (11,3) R -U (2,1) +U (11,3)
--   wm 8:15 (B4's row pending at expiry fires, Beam's FIRE_IF_NON_EMPTY):
--     D (1,1) A (12,4) R -U (11,3) +U (12,4)
--   wm 8:20: W2 (9,2)
-- q7-q9 LATE AFTER DELAY 30 s:  wm 8:10 (2,1);
--   B2 arms 09:00:40; time 09:00:50 fires it:
--     D (9,2) A (11,3) R -U (2,1) +U (11,3)
--   B4 arms 09:01:20, but wm 8:15 expires W1 first: the pending pane fires
--     then: D (1,1) A (12,4) R -U (11,3) +U (12,4); time 09:01:30: nothing
--   wm 8:20: W2 (9,2)
-- q10 AFTER WATERMARK, no lateness: wm 8:10 (2,1); B2-B5 are all dropped;
--   wm 8:20 (9,2).
-- q11 AFTER WATERMARK + ALLOWED LATENESS, no LATE clause (Beam's default
--   trigger fires again for late data; DISCARDING by default):
--   wm 8:10 (2,1); B2 (4,1); B3 (5,1); B4 (1,1); wm 8:20 (9,2).
-- q12 GRACE PERIOD spelling of q3: the same rows as q3.
--
-- Part 2: clicks over session windows (gap 5 min) per user,
-- LATE EVERY ROW, lateness 20 min (a session's state lives until the
-- watermark reaches its end + 20 min):
--   C1 (a,8:00,1) (a,8:10,2)        Sa1 [8:00,8:05) (1,1), Sa2 [8:10,8:15) (2,1)
--   wm -> 8:16                      both on time: Sa1 (1,1), Sa2 (2,1)
--   C2 (a,8:04,4)                   late; merges with Sa1 into
--                                   Sa1' [8:00,8:09) (5,2)
--     D Sa1' (4,1); A and R -D Sa1 (1,1) +I Sa1' (5,2)
--   C3 (a,8:07,8)                   late; bridges Sa1' and Sa2 into
--                                   M [8:00,8:15) (15,4)
--     D M (8,1); A and R -D Sa1' (5,2) -D Sa2 (2,1) +I M (15,4)
--   wm -> 8:40                      M expires (8:15 + 20 min)
--   C4 (a,8:03,100)                 beyond the lateness: dropped (its
--                                   own [8:03,8:08) + 20 min <= 8:40)
-- q13-q15 = D, A, R.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:10';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
CREATE SOURCE clicks (u VARCHAR, t TIMESTAMP, p BIGINT)
  WITH (connector = 'memory');
.mode changelog
-- q1
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q2
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q3
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
-- q4
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q5
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q6
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER 2 ROWS ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
-- q7
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE DISCARDING;
-- q8
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE ACCUMULATING;
-- q9
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE AFTER DELAY INTERVAL '30' SECOND ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
-- q10
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK;
-- q11
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK ALLOWED LATENESS INTERVAL '5' MINUTE;
-- q12
SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK LATE EVERY ROW GRACE PERIOD INTERVAL '5' MINUTE
RETRACTING;
-- q13
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(clicks, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '20' MINUTE DISCARDING;
-- q14
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(clicks, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '20' MINUTE ACCUMULATING;
-- q15
SELECT u, window_start, window_end, SUM(p) AS total, COUNT(*) AS n
FROM SESSION(clicks, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK LATE EVERY ROW ALLOWED LATENESS INTERVAL '20' MINUTE RETRACTING;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:07:00', 2, 'A'),
  (TIMESTAMP '2026-01-01 08:11:00', 3, 'B');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:05:00', 4, 'C');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:30';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:09:00', 5, 'D');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:50';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:14:59';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:01:00', 1, 'G');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:15:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:30';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:08:00', 7, 'H');
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:18:00', 6, 'F');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:03:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:40:00';
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:00:00', 1),
  ('a', TIMESTAMP '2026-01-01 08:10:00', 2);
ADVANCE WATERMARK OF clicks TO TIMESTAMP '2026-01-01 08:16:00';
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:04:00', 4);
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:07:00', 8);
ADVANCE WATERMARK OF clicks TO TIMESTAMP '2026-01-01 08:40:00';
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:03:00', 100);
