-- Window assignment at the edges: offsets (DESIGN.md 2.2: tumble and hop
-- take an optional offset), a hop whose size is not a multiple of its
-- slide, and times before the epoch (negative microseconds: windows must
-- floor, not truncate toward zero). Expected windows worked out by hand
-- (minutes relative to 1970-01-01 00:00; rows at -10:01 (23:49:59),
-- -5 (23:55) and +2 (00:02) with prices 4, 1, 2):
-- q1 TUMBLE 10: [23:40,23:50) 4; [23:50,00:00) 1; [00:00,00:10) 2
-- q2 TUMBLE 10 offset 3: [23:43,23:53) 4; [23:53,00:03) 1+2 = 3
-- q3 HOP slide 4 size 10 (starts at multiples of 4): -10:01 is in the
--   windows starting 23:40, 23:44, 23:48; -5 in 23:48, 23:52; +2 in
--   23:56, 00:00 -> 23:40 4; 23:44 4; 23:48 5; 23:52 1; 23:56 2; 00:00 2
-- q4 HOP slide 5 size 10 offset 1 (starts at 5k+1): -10:01 in 23:41,
--   23:46; -5 in 23:46, 23:51; +2 in 23:56, 00:01 -> 23:41 4; 23:46 5;
--   23:51 1; 23:56 2; 00:01 2
-- Every window fires once, at the watermark step, in window order.
-- q5 SESSION gap 5 min on c, rows (8:01,1) (8:06,2) (8:10:59,3): a row
--   exactly one gap after the last one starts a new session (Beam's
--   IntervalWindow: [8:01,8:06) and [8:06,8:11) touch but are disjoint),
--   a row 4:59 after it joins: [8:01,8:06) 1; [8:06,8:15:59) 5.
SET clock = 'manual';
CREATE SOURCE b (t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
.mode changelog
SELECT window_start, window_end, SUM(p) AS s
FROM TUMBLE(b, t, INTERVAL '10' MINUTE) GROUP BY window_start, window_end;
SELECT window_start, window_end, SUM(p) AS s
FROM TUMBLE(b, t, INTERVAL '10' MINUTE, INTERVAL '3' MINUTE)
GROUP BY window_start, window_end;
SELECT window_start, window_end, SUM(p) AS s
FROM HOP(b, t, INTERVAL '4' MINUTE, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
SELECT window_start, window_end, SUM(p) AS s
FROM HOP(b, t, INTERVAL '5' MINUTE, INTERVAL '10' MINUTE, INTERVAL '1' MINUTE)
GROUP BY window_start, window_end;
CREATE SOURCE c (t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
SELECT window_start, window_end, SUM(p) AS s
FROM SESSION(c, t, INTERVAL '5' MINUTE) GROUP BY window_start, window_end;
INSERT INTO b VALUES (TIMESTAMP '1969-12-31 23:55:00', 1),
  (TIMESTAMP '1970-01-01 00:02:00', 2), (TIMESTAMP '1969-12-31 23:49:59', 4);
ADVANCE WATERMARK OF b TO TIMESTAMP '1970-01-01 01:00:00';
INSERT INTO c VALUES (TIMESTAMP '2026-01-01 08:01:00', 1),
  (TIMESTAMP '2026-01-01 08:06:00', 2), (TIMESTAMP '2026-01-01 08:10:59', 3);
ADVANCE WATERMARK OF c TO TIMESTAMP '2026-01-01 09:00:00';
