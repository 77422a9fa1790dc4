-- Idle sources (DESIGN.md 2.5): with 'idle.advance' = 'true', a source
-- whose partitions are all idle longer than 'idle.timeout' has a
-- watermark that follows processing time minus the declared delay, so
-- windows close when the stream goes quiet. Without it (or without idle
-- options) the watermark waits for data. Manual clock. Expected panes
-- worked out by hand first. Three memory sources with the same rows and
-- WATERMARK FOR bidtime AS bidtime - 1 min; 10-minute tumbles of SUM:
--   s1: idle.timeout 30 s, idle.advance true;  s2: idle.timeout 30 s;
--   s3: no idle options.
--   @08:12:00 rows (8:01,1) (8:05,2): watermark 8:04 everywhere
--   time -> 08:12:20: not idle yet (20 s): SHOW QUERIES lists all three
--     with no row out, at watermark 8:00: the sources are at 8:04, but
--     the aggregate holds its output watermark back to the start of the
--     window it has still to emit, [8:00,8:10) (DESIGN.md 2.5)
--   time -> 08:12:40: idle; s1's watermark follows 08:12:40 - 1 min
--     (>= 8:10): q1 +I [8:00,8:10) 3; s2/s3 stay at 8:04
--   @08:12:40 row (8:10:30,4): active again; watermark 8:09:30 for s2/s3
--     (s1's stays where idleness moved it: it never goes back)
--   time -> 08:22:00: idle again; s1's watermark reaches >= 8:20:
--     q1 +I [8:10,8:20) 4
--   ADVANCE WATERMARK of s2, s3 to 8:30: q2 and q3 +I [8:00,8:10) 3,
--     +I [8:10,8:20) 4 (s1 gets no ADVANCE WATERMARK: its panes can only
--     come from idleness)
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 08:12:00';
CREATE SOURCE s1 (bidtime TIMESTAMP, price BIGINT,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' MINUTE)
  WITH (connector = 'memory', 'idle.timeout' = '30 s',
        'idle.advance' = 'true');
CREATE SOURCE s2 (bidtime TIMESTAMP, price BIGINT,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' MINUTE)
  WITH (connector = 'memory', 'idle.timeout' = '30 s');
CREATE SOURCE s3 (bidtime TIMESTAMP, price BIGINT,
  WATERMARK FOR bidtime AS bidtime - INTERVAL '1' MINUTE)
  WITH (connector = 'memory');
.mode changelog
SELECT window_start, window_end, SUM(price) AS total
FROM TUMBLE(s1, bidtime, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
SELECT window_start, window_end, SUM(price) AS total
FROM TUMBLE(s2, bidtime, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
SELECT window_start, window_end, SUM(price) AS total
FROM TUMBLE(s3, bidtime, INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
INSERT INTO s1 VALUES (TIMESTAMP '2026-01-01 08:01:00', 1),
  (TIMESTAMP '2026-01-01 08:05:00', 2);
INSERT INTO s2 VALUES (TIMESTAMP '2026-01-01 08:01:00', 1),
  (TIMESTAMP '2026-01-01 08:05:00', 2);
INSERT INTO s3 VALUES (TIMESTAMP '2026-01-01 08:01:00', 1),
  (TIMESTAMP '2026-01-01 08:05:00', 2);
ADVANCE TIME TO TIMESTAMP '2026-01-01 08:12:20';
SHOW QUERIES;
ADVANCE TIME TO TIMESTAMP '2026-01-01 08:12:40';
INSERT INTO s1 VALUES (TIMESTAMP '2026-01-01 08:10:30', 4);
INSERT INTO s2 VALUES (TIMESTAMP '2026-01-01 08:10:30', 4);
INSERT INTO s3 VALUES (TIMESTAMP '2026-01-01 08:10:30', 4);
ADVANCE TIME TO TIMESTAMP '2026-01-01 08:22:00';
ADVANCE WATERMARK OF s2 TO TIMESTAMP '2026-01-01 08:30:00';
ADVANCE WATERMARK OF s3 TO TIMESTAMP '2026-01-01 08:30:00';
