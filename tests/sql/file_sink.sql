-- INSERT INTO a file sink, then read the written file back as a source.
CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, score BIGINT,
  ts TIMESTAMP) WITH (connector = 'file', path = 'data/scores.csv',
  format = 'csv');
CREATE SINK high WITH (connector = 'file', path = '/tmp/weir_test_high.csv',
  format = 'csv');
INSERT INTO high SELECT user_id, score FROM scores WHERE score >= 12;
CREATE SOURCE back (user_id VARCHAR, score BIGINT) WITH (connector = 'file',
  path = '/tmp/weir_test_high.csv', format = 'csv');
.mode changelog
SELECT score, user_id FROM back;
CREATE SINK js WITH (connector = 'file', path = '/tmp/weir_test_high.jsonl',
  format = 'json');
INSERT INTO js SELECT user_id, score FROM scores WHERE score >= 15;
CREATE SOURCE back2 (user_id VARCHAR, score BIGINT) WITH (connector = 'file',
  path = '/tmp/weir_test_high.jsonl', format = 'json');
SELECT * FROM back2;
