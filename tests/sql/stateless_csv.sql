-- A bounded CSV file: filter, projection, scalar functions, bad rows
-- skipped and counted (format.on-error defaults to skip).
CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, score BIGINT,
  ts TIMESTAMP) WITH (connector = 'file', path = 'data/scores.csv',
  format = 'csv');
.mode changelog
SELECT team, score * 2 AS doubled FROM scores WHERE score > 10;
SELECT user_id, UPPER(team) AS t, score IS NULL AS missing,
       HOUR(ts) AS h, ts + INTERVAL '1' MINUTE AS later
FROM scores;
SELECT COALESCE(team, 'none') AS team, CASE WHEN score >= 15 THEN 'high'
       WHEN score >= 10 THEN 'mid' ELSE 'low' END AS band
FROM scores WHERE user_id LIKE '%e%' OR score BETWEEN 18 AND 20;
EXPLAIN ANALYZE SELECT team FROM scores WHERE score IN (5, 20);
