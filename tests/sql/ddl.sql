-- DDL, catalog listings and EXPLAIN in every spelling.
CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, score BIGINT,
  ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH (connector = 'memory');
CREATE STREAM clicks (url VARCHAR, ts TIMESTAMP) WITH (connector = 'memory');
CREATE TABLE logs (line VARCHAR) WITH (connector = 'file',
  path = 'data/*.csv', format = 'csv', follow = 'true');
CREATE SOURCE IF NOT EXISTS scores (x BIGINT) WITH (connector = 'memory');
CREATE VIEW high AS SELECT user_id, score FROM scores WHERE score > 10;
SHOW SOURCES;
SHOW VIEWS;
DESCRIBE scores;
DESCRIBE high;
EXPLAIN SELECT team, score * 2 FROM scores WHERE score > 10;
EXPLAIN SELECT user_id FROM high WHERE score < 15;
EXPLAIN SELECT window_start, window_end, team, SUM(score)
FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE)
GROUP BY window_start, window_end, team;
EXPLAIN SELECT team, TUMBLE_START(ts, INTERVAL '2' MINUTE), SUM(score)
FROM scores GROUP BY team, TUMBLE(ts, INTERVAL '2' MINUTE)
EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' MINUTE
ALLOWED LATENESS INTERVAL '1' MINUTE RETRACTING;
DROP VIEW high;
DROP SOURCE clicks;
DROP SOURCE IF EXISTS clicks;
SHOW SOURCES;
SHOW VIEWS;
