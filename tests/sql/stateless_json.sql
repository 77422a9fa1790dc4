-- JSON lines: ISO, spaced and epoch-millisecond timestamps, escapes,
-- nulls, a non-JSON line and a wrongly typed value (both skipped).
CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, score BIGINT,
  ts TIMESTAMP) WITH (connector = 'file', path = 'data/scores.jsonl',
  format = 'json');
.mode changelog
SELECT user_id, team, score, ts FROM scores;
EXPLAIN ANALYZE SELECT user_id FROM scores;
