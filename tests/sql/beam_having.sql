-- HAVING and WHERE-on-window-bounds over windowed panes: a window whose
-- pane stops satisfying HAVING is deleted (-D), one that starts to is
-- inserted (+I); a WHERE on window_start filters whole windows. Manual
-- clock; expected rows worked out by hand first. 10-minute tumbles
-- W1 = [8:00,8:10), W2 = [8:10,8:20); EARLY EVERY ROW; rows (t, p):
--   B1 (8:01,1) (8:11,1): W1 1, W2 1;  B2 (8:02,2): W1 3;
--   B3 (8:03,4): W1 7;  wm -> 9:00: on-time panes repeat the last rows.
-- q1 HAVING SUM(p) < 5, RETRACTING: B1 +I W1 1, +I W2 1; B2 -U W1 1
--   +U W1 3; B3 -D W1 3 (W1 leaves); wm: nothing (W1 filtered, W2 same).
-- q2 HAVING SUM(p) >= 5, RETRACTING: B3 +I W1 7 (W1 enters); wm nothing.
-- q3 WHERE window_start >= 8:10, RETRACTING: B1 +I W2 1; wm nothing.
-- q4 HAVING SUM(p) < 5, ACCUMULATING: B1 W1 1, W2 1; B2 W1 3; B3 nothing
--   (7 is filtered); wm: W2 1 (W1's 7 filtered).
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE b (t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
.mode changelog
SELECT window_start, SUM(p) AS s FROM TUMBLE(b, t, INTERVAL '10' MINUTE)
GROUP BY window_start HAVING SUM(p) < 5
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
SELECT window_start, SUM(p) AS s FROM TUMBLE(b, t, INTERVAL '10' MINUTE)
GROUP BY window_start HAVING SUM(p) >= 5
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
SELECT window_start, SUM(p) AS s FROM TUMBLE(b, t, INTERVAL '10' MINUTE)
WHERE window_start >= TIMESTAMP '2026-01-01 08:10:00' GROUP BY window_start
EMIT AFTER WATERMARK EARLY EVERY ROW RETRACTING;
SELECT window_start, SUM(p) AS s FROM TUMBLE(b, t, INTERVAL '10' MINUTE)
GROUP BY window_start HAVING SUM(p) < 5
EMIT AFTER WATERMARK EARLY EVERY ROW ACCUMULATING;
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:01:00', 1),
  (TIMESTAMP '2026-01-01 08:11:00', 1);
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:02:00', 2);
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:03:00', 4);
ADVANCE WATERMARK OF b TO TIMESTAMP '2026-01-01 09:00:00';
