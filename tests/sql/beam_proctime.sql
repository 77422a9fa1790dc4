-- Processing-time windows (DESIGN.md 2.2: PROCTIME() as the time column)
-- under the manual clock: a row's time is the processing time it arrives
-- at, and a window closes when processing time passes its end (there is
-- no event-time watermark here: the script never advances one). Expected
-- panes worked out by hand:
--   @09:00:10 A 1            -> [09:00,09:01)
--   @09:00:50 B 2, C 4       -> [09:00,09:01)
--   time -> 09:00:59: nothing (the window is still open)
--   time -> 09:01:20: [09:00,09:01) closes: total 7, 3 rows
--   @09:01:20 D 8            -> [09:01,09:02)
--   time -> 09:05:00: [09:01,09:02) closes: total 8, 1 row
-- q1 (TVF) and q2 (GROUP BY TUMBLE(PROCTIME(), ...)) give the same panes.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:10';
CREATE SOURCE b (item VARCHAR, price BIGINT) WITH (connector = 'memory');
.mode changelog
SELECT window_start, window_end, SUM(price) AS s, COUNT(*) AS n
FROM TUMBLE(b, PROCTIME(), INTERVAL '1' MINUTE)
GROUP BY window_start, window_end;
SELECT TUMBLE_START(PROCTIME(), INTERVAL '1' MINUTE) AS ws, SUM(price) AS s
FROM b GROUP BY TUMBLE(PROCTIME(), INTERVAL '1' MINUTE);
INSERT INTO b VALUES ('A', 1);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:50';
INSERT INTO b VALUES ('B', 2), ('C', 4);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:00:59';
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:01:20';
INSERT INTO b VALUES ('D', 8);
ADVANCE TIME TO TIMESTAMP '2026-01-01 09:05:00';
