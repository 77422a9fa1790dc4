-- A window over a changelog: the inner unwindowed aggregate retracts a
-- key's row when its latest time moves to a later window, so the earlier
-- window ends up empty. An empty window has no result row (as in a batch
-- GROUP BY, and as EMIT CHANGES shows with its -D). Manual clock;
-- expected rows worked out by hand first. Inner rows (k, t = MAX(t),
-- s = SUM(p)); outer 10-minute tumbles over t, (n, total) = (COUNT(*),
-- SUM(s)):
--   B1 (a,8:01,1): inner +I (a,8:01,1)          W1 = [8:00,8:10) (1,1)
--   B2 (a,8:12,4): inner -U (a,8:01,1), +U (a,8:12,5)
--                                                W1 empty, W2 = [8:10,8:20) (1,5)
--   wm -> 9:00
-- q1 default (AFTER WATERMARK): wm: +I W2 (1,5) only.
-- q2 EMIT CHANGES: B1 +I W1 (1,1); B2 -D W1 (1,1), +I W2 (1,5).
-- q3 AFTER WATERMARK ACCUMULATING: wm: +I W2 (1,5) only.
SET clock = 'manual';
CREATE SOURCE b (k VARCHAR, t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
.mode changelog
SELECT window_start, window_end, COUNT(*) AS n, SUM(s) AS total
FROM TUMBLE((SELECT k, MAX(t) AS t, SUM(p) AS s FROM b GROUP BY k), t,
            INTERVAL '10' MINUTE)
GROUP BY window_start, window_end;
SELECT window_start, window_end, COUNT(*) AS n, SUM(s) AS total
FROM TUMBLE((SELECT k, MAX(t) AS t, SUM(p) AS s FROM b GROUP BY k), t,
            INTERVAL '10' MINUTE)
GROUP BY window_start, window_end EMIT CHANGES;
SELECT window_start, window_end, COUNT(*) AS n, SUM(s) AS total
FROM TUMBLE((SELECT k, MAX(t) AS t, SUM(p) AS s FROM b GROUP BY k), t,
            INTERVAL '10' MINUTE)
GROUP BY window_start, window_end EMIT AFTER WATERMARK ACCUMULATING;
INSERT INTO b VALUES ('a', TIMESTAMP '2026-01-01 08:01:00', 1);
INSERT INTO b VALUES ('a', TIMESTAMP '2026-01-01 08:12:00', 4);
ADVANCE WATERMARK OF b TO TIMESTAMP '2026-01-01 09:00:00';
