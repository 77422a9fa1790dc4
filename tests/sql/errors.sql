-- Every class of error names line, column and token, and the script goes
-- on (--keep-going) so one file checks them all.
SELECT team FORM scores;
CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, score BIGINT,
  ts TIMESTAMP) WITH (connector = 'memory');
SELECT scroe FROM scores;
SELECT team
FROM nope;
SELECT team + 1 FROM scores;
SELECT team FROM scores WHERE SUM(score) > 3;
SELECT team, user_id, SUM(score) FROM scores GROUP BY team;
SELECT SUMM(score) FROM scores;
SELECT * FROM scores WHERE score;
CREATE SOURCE scores (a BIGINT) WITH (connector = 'memory');
CREATE SOURCE f (a BIGINT) WITH (connector = 'file', format = 'csv');
CREATE SOURCE g (a BIGINT) WITH (connector = 'nosuch');
INSERT INTO scores VALUES ('a', 'b');
ADVANCE TIME TO TIMESTAMP '2026-01-01 00:00:00';
SELECT TIMESTAMP '2026-13-45 00:00:00';
SELECT 1;
CREATE SOURCE ev (k VARCHAR, t TIMESTAMP, p BIGINT) WITH (connector = 'memory');
SELECT window_start, COUNT(*) FROM SESSION((SELECT k, MAX(t) AS t FROM ev
  GROUP BY k), t, INTERVAL '5' MINUTE) GROUP BY window_start, window_end;
-- A group window's bound function must name the GROUP BY's window.
SELECT TUMBLE_START(t, INTERVAL '10' MINUTE), COUNT(*) FROM ev
  GROUP BY TUMBLE(t, INTERVAL '5' MINUTE);
SELECT HOP_END(t, 1m, 5m), COUNT(*) FROM ev GROUP BY TUMBLE(t, 5m);
-- EMIT with triggers on a query that has no aggregate.
SELECT k, t FROM ev EMIT AFTER WATERMARK EARLY EVERY 1m;
CREATE VIEW v1 AS SELECT score FROM scores;
CREATE VIEW v2 AS SELECT score * 2 AS s2 FROM v1;
DROP VIEW v1;
DESCRIBE scors;
STOP QUERY q99;
ADVANCE WATERMARK OF scorse TO TIMESTAMP '2026-01-01 00:00:00';
DROP SINK nosuch;
CREATE SOURCE m2 (k VARCHAR) WITH (connector = 'memory', 'idle.timout' = '5 s');
SELECT 1;
SELECT 'unterminated FROM scores;
