-- The output watermark hold (DESIGN.md 2.5): an aggregate forwards the
-- minimum of its input watermark and the earliest window_start of any
-- pane it may still emit, so a query windowing its output over
-- window_start never sees those rows as late. Manual clock; expected rows
-- worked out by hand.
-- Part 1: per_min counts clicks per minute with 3 minutes of lateness
-- (late panes: DISCARDING deltas); q1 sums per_min per 5 minutes over ws.
--   rows 8:00:10 8:01:20 8:03:30 8:04:40; wm -> 8:05: per_min fires its
--   minutes 8:00, 8:01, 8:03, 8:04 (1 each); minutes starting after
--   8:05 - 3 min - 1 min = 8:01 still take rows, so per_min's watermark
--   is held at 8:02 and q1's [8:00,8:05) stays open.
--   row 8:02:30 is late but within the lateness: per_min's late pane
--   (8:02, 1) reaches q1 in time (without the hold q1 would have closed
--   [8:00,8:05) at 8:05 with 4 and dropped it).
--   wm -> 8:10: per_min is held at 8:07: q1 fires [8:00,8:05) 5.
-- Part 2: sess counts clicks per user session (gap 2 min); q2 counts
-- sessions and their clicks per 5 minutes over the session's start.
--   (a,8:00) (a,8:01:30) (b,8:02); wm -> 8:03: a [8:00,8:03:30) is longer
--   than the gap and holds sess's watermark at 8:00.
--   (a,8:03:10): a [8:00,8:05:10). wm -> 8:05: b [8:02,8:04) fires; the
--   hold stays at 8:00 (a is open), so q2's [8:00,8:05) waits.
--   (a,8:05:05): a [8:00,8:07:05). wm -> 8:10: a fires (4 clicks); q2
--   fires [8:00,8:05): 2 sessions, 5 clicks (without the hold it fired at
--   8:05 with b alone and dropped a's row as late).
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE clicks (u VARCHAR, t TIMESTAMP) WITH (connector = 'memory');
CREATE SOURCE clicks2 (u VARCHAR, t TIMESTAMP) WITH (connector = 'memory');
CREATE VIEW per_min AS
  SELECT window_start AS ws, COUNT(*) AS n
  FROM TUMBLE(clicks, t, INTERVAL '1' MINUTE)
  GROUP BY window_start, window_end
  EMIT AFTER WATERMARK ALLOWED LATENESS INTERVAL '3' MINUTE;
CREATE VIEW sess AS
  SELECT u, window_start AS ss, COUNT(*) AS n
  FROM SESSION(clicks2, t, INTERVAL '2' MINUTE)
  GROUP BY u, window_start, window_end;
.mode changelog
SELECT window_start, window_end, SUM(n) AS clicks
FROM TUMBLE(per_min, ws, INTERVAL '5' MINUTE)
GROUP BY window_start, window_end;
SELECT window_start, window_end, COUNT(*) AS sessions, SUM(n) AS clicks
FROM TUMBLE(sess, ss, INTERVAL '5' MINUTE)
GROUP BY window_start, window_end;
-- Part 1
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:00:10'),
  ('b', TIMESTAMP '2026-01-01 08:01:20'),
  ('c', TIMESTAMP '2026-01-01 08:03:30'),
  ('d', TIMESTAMP '2026-01-01 08:04:40');
ADVANCE WATERMARK OF clicks TO TIMESTAMP '2026-01-01 08:05:00';
SHOW QUERIES;
INSERT INTO clicks VALUES ('e', TIMESTAMP '2026-01-01 08:02:30');
ADVANCE WATERMARK OF clicks TO TIMESTAMP '2026-01-01 08:10:00';
-- Part 2
INSERT INTO clicks2 VALUES ('a', TIMESTAMP '2026-01-01 08:00:00'),
  ('a', TIMESTAMP '2026-01-01 08:01:30'), ('b', TIMESTAMP '2026-01-01 08:02:00');
ADVANCE WATERMARK OF clicks2 TO TIMESTAMP '2026-01-01 08:03:00';
INSERT INTO clicks2 VALUES ('a', TIMESTAMP '2026-01-01 08:03:10');
ADVANCE WATERMARK OF clicks2 TO TIMESTAMP '2026-01-01 08:05:00';
SHOW QUERIES;
INSERT INTO clicks2 VALUES ('a', TIMESTAMP '2026-01-01 08:05:05');
ADVANCE WATERMARK OF clicks2 TO TIMESTAMP '2026-01-01 08:10:00';
SHOW QUERIES;
