-- Flink's SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), gap): sessions per
-- partition key, which must be the GROUP BY keys. By hand: a 8:00,8:03 ->
-- [8:00,8:08) 3; b 8:01 -> [8:01,8:06) 4; fired by window end (b first);
-- q2 (PARTITION BY (u), the list form) gives the same sessions.
SET clock = 'manual';
CREATE SOURCE clicks (u VARCHAR, t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
.mode changelog
SELECT u, window_start, window_end, SUM(p) AS total
FROM TABLE(SESSION(TABLE clicks PARTITION BY u, DESCRIPTOR(t), INTERVAL '5' MINUTE))
GROUP BY u, window_start, window_end;
SELECT window_start, SUM(p) FROM TABLE(SESSION(TABLE clicks PARTITION BY u, DESCRIPTOR(t), INTERVAL '5' MINUTE)) GROUP BY window_start, window_end;
SELECT window_start, SUM(p) FROM TABLE(TUMBLE(TABLE clicks PARTITION BY u, DESCRIPTOR(t), INTERVAL '5' MINUTE)) GROUP BY window_start, window_end;
SELECT u, window_start, SUM(p) AS total FROM TABLE(SESSION(TABLE clicks PARTITION BY (u), DESCRIPTOR(t), INTERVAL '5' MINUTE)) GROUP BY u, window_start, window_end;
INSERT INTO clicks VALUES ('a', TIMESTAMP '2026-01-01 08:00:00', 1), ('a', TIMESTAMP '2026-01-01 08:03:00', 2), ('b', TIMESTAMP '2026-01-01 08:01:00', 4);
ADVANCE WATERMARK OF clicks TO TIMESTAMP '2026-01-01 09:00:00';
