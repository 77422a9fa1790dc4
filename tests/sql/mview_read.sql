-- Reading a materialized view: a query over mv reads mv's changelog (its
-- current contents as +I rows, then every change as it happens), not mv's
-- definition again. Manual clock. Expected rows worked out by hand before
-- running weir (readers hear of a change in the order they started):
--
-- Part 1: mv = SUM(p) per k over b (q1 maintains it, prints nothing).
--   B1 (x,1) (y,2)             mv: +I x 1, +I y 2
--   q2 SELECT * FROM mv        snapshot: +I x 1, +I y 2
--   q3 k, s*10 FROM mv         snapshot: +I x 10, +I y 20
--   q4 SUM(s), COUNT(*)        one snapshot batch: +I 3 2
--   q5 s > 3, COUNT(*)         +I FALSE 2
--   B2 (x,5)                   mv: -U x 1, +U x 6 (one batch), so
--     q2: -U x 1,   +U x 6
--     q3: -U x 10,  +U x 60
--     q4: -U 3 2,   +U 8 2     (the retraction reaches the aggregate)
--     q5: -U FALSE 2, +U FALSE 1, +I TRUE 1   (x moves groups)
--   (the old planner inlined mv: no snapshot, and q2 showed x 5)
--   SHOW QUERIES: q1's text is mv's definition, not "SELECT * FROM mv";
--   EXPLAIN shows the Read of the view, not its definition.
--
-- Part 2: a plain view over mv and a materialized view over mv.
--   big = k FROM mv WHERE s > 3;  tot = SUM(s) FROM mv (q6)
--   q7 SELECT * FROM tot       +I 8          (mv is x 6, y 2)
--   q8 SELECT * FROM big       +I x
--   B3 (y,3)                   mv: -U y 2, +U y 5; tot: -U 8, +U 11
--     q7: -U 8, +U 11;  q8: the -U of y 2 is filtered out, y 5 -> +I y
--   DROP VIEW tot: q6 stops, q7 ends (FINISHED); B4 (z,1) then moves mv
--   (z 1) but prints nothing (q8 filters it out).
--   q9 SELECT * FROM mv        snapshot in mv's table order (an updated
--                              row moves to the end): +I x 6, +I y 5, +I z 1
--
-- Part 3: a windowed view wv (q10) = COUNT(*) per 10-minute window
-- (ws = window_start) and k over w (no WATERMARK FOR: ADVANCE moves it;
-- rows fire when the window closes).
--   q11 k, SUM(c) FROM wv GROUP BY k   (empty snapshot, nothing printed)
--   W1 (8:01,x) (8:05,x) (8:12,y)
--   wm -> 8:10: wv +I 8:00 x 2          q11: +I x 2
--   q12 SELECT * FROM wv                 snapshot: +I 8:00 x 2
--   q13 20-minute TUMBLE over wv's ws, SUM(c): its watermark is wv's
--     sink-side one (8:10 now): window [8:00,8:20) holds 2, open
--   W2 (8:15,x); wm -> 8:20: wv +I 8:10 y 1, +I 8:10 x 1 (one batch), then
--     wv's watermark 8:20 reaches its readers:
--     q11: -U x 2, +U x 3, +I y 1;  q12: +I 8:10 y 1, +I 8:10 x 1
--     q13: window [8:00,8:20) closes: +I 8:00 4
--   SHOW QUERIES: wv's readers q11-q13 show watermark 8:20 like wv's q10.
SET clock='manual';
CREATE SOURCE b (t TIMESTAMP, p BIGINT, k VARCHAR) WITH (connector='memory');
CREATE MATERIALIZED VIEW mv AS SELECT k, SUM(p) AS s FROM b GROUP BY k;
.mode changelog
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:07:00',1,'x'),(TIMESTAMP '2026-01-01 08:17:00',2,'y');
SELECT * FROM mv;
SELECT k, s*10 AS s10 FROM mv;
SELECT SUM(s) AS total, COUNT(*) AS n FROM mv;
SELECT s > 3 AS big, COUNT(*) AS n FROM mv GROUP BY s > 3;
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:08:00',5,'x');
SHOW QUERIES;
EXPLAIN SELECT SUM(s) AS total FROM mv;
STOP QUERY q2;
STOP QUERY q3;
STOP QUERY q4;
STOP QUERY q5;

CREATE VIEW big AS SELECT k FROM mv WHERE s > 3;
CREATE MATERIALIZED VIEW tot AS SELECT SUM(s) AS total FROM mv;
SELECT * FROM tot;
SELECT * FROM big;
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:09:00',3,'y');
DROP VIEW tot;
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:09:00',1,'z');
SELECT * FROM mv;
STOP QUERY q9;

CREATE SOURCE w (t TIMESTAMP, k VARCHAR) WITH (connector='memory');
CREATE MATERIALIZED VIEW wv AS SELECT window_start AS ws, k, COUNT(*) AS c FROM TUMBLE(w, t, INTERVAL '10' MINUTE) GROUP BY window_start, window_end, k;
SELECT k, SUM(c) AS n FROM wv GROUP BY k;
INSERT INTO w VALUES (TIMESTAMP '2026-01-01 08:01:00','x'),(TIMESTAMP '2026-01-01 08:05:00','x'),(TIMESTAMP '2026-01-01 08:12:00','y');
ADVANCE WATERMARK OF w TO TIMESTAMP '2026-01-01 08:10:00';
SELECT * FROM wv;
SELECT window_start, SUM(c) AS n FROM TUMBLE(wv, ws, INTERVAL '20' MINUTE) GROUP BY window_start, window_end;
INSERT INTO w VALUES (TIMESTAMP '2026-01-01 08:15:00','x');
ADVANCE WATERMARK OF w TO TIMESTAMP '2026-01-01 08:20:00';
SHOW QUERIES;
