-- 'late.sink' (DESIGN.md 2.3): rows an aggregate drops as too late (or
-- without event time) go to a named sink, on the query's sink, on a view,
-- or as the session default (SET 'late.sink'). The late rows are the
-- rows of the aggregate's FROM item (here the sources), with their op.
-- Expected output worked out by hand:
-- Part 1, TUMBLE 10 min into sink `out`, lateness 0:
--   (8:07,2,A) (8:11,3,B); wm 8:10: W[8:00] fires (2,1).
--   (8:05,4,C) late (wm 8:10 >= end 8:10) -> late file;
--   (8:12,5,D) joins W[8:10]; (NULL,9,N) no event time -> late file.
--   wm 8:20: W[8:10] fires (8,2).
--   out file: (8:00,2,1) (8:10,8,2); late file: (8:05,4,C) (NULL,9,N).
-- Part 2, a view with its own late.sink (TUMBLE 10 min per user) and a
-- SESSION query (gap 5 min) under SET 'late.sink', both on `clicks`:
--   (a,8:00,1) (b,8:12,2); wm 8:10: view fires a/8:00 (1); session
--   a [8:00,8:05) fires (1).
--   (c,8:01,3) (a,8:04,4): both late for the view (W[8:00] ended 8:10)
--   and for the sessions ([8:01,8:06) and [8:04,8:09) end before 8:10):
--   each goes to its query's late sink, as clicks rows (u,t,p).
--   wm 8:30: view b/8:10 (1); session b [8:12,8:17) (2).
-- Part 3, errors: a late.sink that is not a sink; the query's own sink;
-- two running queries sharing a late.sink file in overwrite mode (the
-- second is refused: it would truncate the first's rows); in append mode
-- they share it.
SET clock = 'manual';
SET time = TIMESTAMP '2026-01-01 09:00:00';
CREATE SOURCE bids (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'memory');
CREATE SINK late_rows WITH (connector = 'file',
  path = '/tmp/weir_test_late_rows.jsonl', format = 'json');
CREATE SINK out WITH (connector = 'file', path = '/tmp/weir_test_late_out.jsonl',
  format = 'json', 'late.sink' = 'late_rows');
EXPLAIN INSERT INTO out SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start;
INSERT INTO out SELECT window_start, SUM(price) AS total, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start;
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:07:00', 2, 'A'),
  (TIMESTAMP '2026-01-01 08:11:00', 3, 'B');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO bids VALUES (TIMESTAMP '2026-01-01 08:05:00', 4, 'C'),
  (TIMESTAMP '2026-01-01 08:12:00', 5, 'D'), (NULL, 9, 'N');
ADVANCE WATERMARK OF bids TO TIMESTAMP '2026-01-01 08:20:00';
STOP QUERY q1;
.mode changelog
CREATE SOURCE out_back (window_start TIMESTAMP, total BIGINT, n BIGINT)
  WITH (connector = 'file', path = '/tmp/weir_test_late_out.jsonl',
  format = 'json');
SELECT * FROM out_back;
CREATE SOURCE late_back (bidtime TIMESTAMP, price BIGINT, item VARCHAR)
  WITH (connector = 'file', path = '/tmp/weir_test_late_rows.jsonl',
  format = 'json');
SELECT * FROM late_back;
-- Part 2
CREATE SOURCE clicks (u VARCHAR, t TIMESTAMP, p BIGINT)
  WITH (connector = 'memory');
CREATE SINK late_view WITH (connector = 'file',
  path = '/tmp/weir_test_late_view.jsonl', format = 'json');
CREATE SINK late_sess WITH (connector = 'file',
  path = '/tmp/weir_test_late_sess.csv', format = 'csv');
CREATE VIEW per_user WITH ('late.sink' = 'late_view') AS
  SELECT u, window_start AS ws, COUNT(*) AS n
  FROM TUMBLE(clicks, t, INTERVAL '10' MINUTE) GROUP BY u, window_start, window_end;
SELECT * FROM per_user;
SET 'late.sink' = 'late_sess';
SELECT u, window_start, window_end, SUM(p) AS total
FROM SESSION(clicks, t, INTERVAL '5' MINUTE) GROUP BY u, window_start, window_end;
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:00:00', 1),
  ('b', TIMESTAMP '2026-01-01 08:12:00', 2);
ADVANCE WATERMARK OF clicks TO TIMESTAMP '2026-01-01 08:10:00';
INSERT INTO clicks VALUES ('c', TIMESTAMP '2026-01-01 08:01:00', 3),
  ('a', TIMESTAMP '2026-01-01 08:04:00', 4);
ADVANCE WATERMARK OF clicks TO TIMESTAMP '2026-01-01 08:30:00';
STOP QUERY q4;
STOP QUERY q5;
SET 'late.sink' = '';
CREATE SOURCE view_back (u VARCHAR, t TIMESTAMP, p BIGINT) WITH (connector = 'file',
  path = '/tmp/weir_test_late_view.jsonl', format = 'json');
SELECT * FROM view_back;
CREATE SOURCE sess_back (u VARCHAR, t TIMESTAMP, p BIGINT) WITH (
  connector = 'file', path = '/tmp/weir_test_late_sess.csv', format = 'csv',
  'csv.header' = 'true');
SELECT * FROM sess_back;
-- Part 3
CREATE VIEW bad WITH ('late.sink' = 'clicks') AS SELECT u, COUNT(*) AS n
FROM TUMBLE(clicks, t, INTERVAL '10' MINUTE) GROUP BY u, window_start, window_end;
SELECT * FROM bad;
CREATE SINK self WITH (connector = 'file', path = '/tmp/weir_test_late_self.csv',
  format = 'csv', 'late.sink' = 'self');
INSERT INTO self SELECT window_start, COUNT(*)
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start;
SET 'late.sink' = 'late_rows';
SELECT window_start, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start;
SELECT window_start, SUM(price) AS total
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start;
CREATE SINK late_app WITH (connector = 'file',
  path = '/tmp/weir_test_late_app.jsonl', format = 'json',
  'sink.mode' = 'append');
SET 'late.sink' = 'late_app';
SELECT window_start, COUNT(*) AS n
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start;
SELECT window_start, SUM(price) AS total
FROM TUMBLE(bids, bidtime, INTERVAL '10' MINUTE) GROUP BY window_start;
SHOW QUERIES;
