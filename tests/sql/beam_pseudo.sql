-- The changelog pseudo-columns of DESIGN.md 2.4: op, undo, pane_timing,
-- pane_index, emit_time, and the paper's ptime (= emit_time) and ver
-- (changelog row number within the window, from 0). Manual clock.
-- Expected rows worked out by hand before running weir.
--
-- q1: 10-minute tumble W1 = [8:00,8:10), EMIT AFTER WATERMARK EARLY
-- AFTER 2 ROWS LATE EVERY ROW, lateness 5 min, RETRACTING. Each pane's
-- retraction row carries the new pane's timing, index and emit time.
--   B1 @09:00:00 (8:01,1) (8:02,2): EARLY pane 0
--     +I 3  undo FALSE EARLY   0 09:00:00 ver 0
--   B2 @09:01:00 (8:03,4): 1 row since the pane, nothing
--   wm -> 8:10 @09:02:00: ON_TIME pane 1
--     -U 3  TRUE  ON_TIME 1 09:02:00 ver 1;  +U 7  FALSE ON_TIME 1 ver 2
--   B3 @09:03:00 (8:04,8): LATE pane 2
--     -U 7  TRUE  LATE 2 09:03:00 ver 3;     +U 15 FALSE LATE 2 ver 4
--   B4 @09:04:00 (8:05,16): LATE pane 3
--     -U 15 TRUE  LATE 3 09:04:00 ver 5;     +U 31 FALSE LATE 3 ver 6
--   (op is the row's changelog op as text; ptime = emit_time.)
-- q2: sessions (gap 5 min) per user, EMIT AFTER WATERMARK EARLY EVERY ROW
-- RETRACTING, selecting op, undo and ver:
--   C1 @09:05:00 (a,8:00,1): S1 [8:00,8:05)   +I 1 FALSE ver 0
--   C2 @09:05:00 (a,8:08,2): S2 [8:08,8:13)   +I 2 FALSE ver 0
--   C3 @09:05:00 (a,8:04,4): [8:04,8:09) bridges S1 and S2 into
--     M [8:00,8:13): -D S1 1 TRUE ver 1; -D S2 2 TRUE ver 1;
--     +I M 7 FALSE ver 0 (a new window: numbering starts again)
--   C4 @09:05:00 (a,8:03,8): inside M: -U M 7 TRUE ver 1; +U M 15 FALSE ver 2
--   wm -> 8:20: M's on-time pane equals its last pane: nothing
-- q3: the same sessions ACCUMULATING, selecting pane_timing and
-- pane_index: S1 (1) EARLY 0; S2 (2) EARLY 0; -D S1 (1) EARLY 1, -D S2
-- (2) EARLY 1 (their last rows go, as under RETRACTING), M (7) EARLY 0
-- (the merged window's pane_index starts again at 0); M (15) EARLY 1;
-- wm 8:20: M (15) ON_TIME 2.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
CREATE SOURCE clicks (u VARCHAR, t TIMESTAMP, p BIGINT)
  WITH (connector = 'memory');
.mode changelog
SELECT window_start, SUM(price) AS total, op, undo, pane_timing,
       pane_index, emit_time, ptime, ver
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start
EMIT AFTER WATERMARK EARLY AFTER 2 ROWS LATE EVERY ROW
ALLOWED LATENESS INTERVAL '5' MINUTE RETRACTING;
SELECT u, window_start, window_end, SUM(p) AS total, op, undo, ver
FROM SESSION(clicks, t, INTERVAL '5' MINUTE)
GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
SELECT u, window_start, window_end, SUM(p) AS total, pane_timing,
       pane_index
FROM SESSION(clicks, t, INTERVAL '5' MINUTE)
GROUP BY u, window_start, window_end
EMIT AFTER WATERMARK EARLY EVERY ROW ACCUMULATING;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:01:00', 1, 'A'),
  (TIMESTAMP '2026-01-01 08:02:00', 2, 'B');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:00';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:03:00', 4, 'C');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:02:00';
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:03:00';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:04:00', 8, 'D');
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:04:00';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:05:00', 16, 'E');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:15:00';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:05:00';
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:00:00', 1);
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:08:00', 2);
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:04:00', 4);
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:03:00', 8);
ADVANCE WATERMARK OF clicks TO TIMESTAMP '2026-01-01 08:20:00';
