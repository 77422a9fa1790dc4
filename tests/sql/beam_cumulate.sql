-- CUMULATE windows (step 5 min, max size 10 min) over the paper's bids,
-- under the manual clock. Expected panes worked out by hand first.
-- Windows of the [8:00,8:10) cycle: C1 = [8:00,8:05), C2 = [8:00,8:10);
-- of the [8:10,8:20) cycle: C3 = [8:10,8:15), C4 = [8:10,8:20). A row at
-- t lands in every window of its cycle that ends after t:
--   (8:07,2) C2; (8:11,3) C3 C4; (8:05,4) C2; (8:09,5) C2; (8:13,1) C3 C4;
--   (8:17,6) C4.
-- Finals: C1 empty (never fires), C2 = 11 (3 rows), C3 = 4 (2), C4 = 10 (3).
-- Batches (the paper's): B1 = first three bids, B2 = last three.
--   after B1: C2 (6,2) C3 (3,1) C4 (3,1); after B2: C2 (11,3) C3 (4,2)
--   C4 (10,3).   (x,y) = (SUM(price), COUNT(*))
-- q1 default (AFTER WATERMARK): wm 8:05 nothing (C1 is empty);
--   wm 8:10 C2 (11,3); wm 8:15 C3 (4,2); wm 8:20 C4 (10,3).
-- q2 EARLY EVERY ROW RETRACTING: B1 +I C2 (6,2), +I C3 (3,1), +I C4 (3,1);
--   B2 -U C2 (6,2) +U C2 (11,3), -U C3 (3,1) +U C3 (4,2),
--   -U C4 (3,1) +U C4 (10,3); the on-time panes repeat the last rows:
--   nothing.
-- q3 EARLY EVERY ROW DISCARDING: B1 C2 (6,2) C3 (3,1) C4 (3,1);
--   B2 C2 (5,1) C3 (1,1) C4 (7,2); wm 8:10 C2 (NULL,0); wm 8:15 C3
--   (NULL,0); wm 8:20 C4 (NULL,0).
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
.mode changelog
SELECT window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM CUMULATE(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
SELECT window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM CUMULATE(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
SELECT window_start, window_end, SUM(price) AS total, COUNT(*) AS n
FROM CUMULATE(bids, bidtime, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY ROW DISCARDING;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:07:00', 2, 'A'),
  (TIMESTAMP '2026-01-01 08:11:00', 3, 'B'),
  (TIMESTAMP '2026-01-01 08:05:00', 4, 'C');
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:09:00', 5, 'D'),
  (TIMESTAMP '2026-01-01 08:13:00', 1, 'E'),
  (TIMESTAMP '2026-01-01 08:17:00', 6, 'F');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:05:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:15:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
