-- CSV input that does not match the declared columns: a header naming
-- none of them fails the query (naming file, columns and header); missing
-- columns are warned about once per file and read as NULL; records with
-- the wrong number of fields or a NUL byte are skipped and counted; the
-- idle.* options are checked on every kind of source.
.mode changelog
CREATE SOURCE wrong (k VARCHAR, v BIGINT, ts TIMESTAMP) WITH (
  connector = 'file', path = 'data/csv_wrong_header.csv', format = 'csv');
SELECT k, v, ts FROM wrong;
-- A file without a header line, read with the default 'csv.header'.
CREATE SOURCE nohdr (k VARCHAR, v BIGINT, ts TIMESTAMP) WITH (
  connector = 'file', path = 'data/csv_no_header.csv', format = 'csv');
SELECT k, v, ts FROM nohdr;
-- The same file read as headerless: fine.
CREATE SOURCE nohdr2 (k VARCHAR, v BIGINT, ts TIMESTAMP) WITH (
  connector = 'file', path = 'data/csv_no_header.csv', format = 'csv',
  'csv.header' = 'false');
SELECT k, v, ts FROM nohdr2;
-- ts is not in the header: one warning, ts is NULL.
CREATE SOURCE part (k VARCHAR, v BIGINT, ts TIMESTAMP) WITH (
  connector = 'file', path = 'data/csv_partial_header.csv', format = 'csv');
SELECT k, v, ts FROM part;
-- Short, long and NUL-holding records are bad (a quoted field may span
-- lines and hold the delimiter); only ts and k are needed here, the field
-- count is still checked.
CREATE SOURCE cnt (k VARCHAR, v BIGINT, ts TIMESTAMP) WITH (
  connector = 'file', path = 'data/csv_field_count.csv', format = 'csv');
SELECT k, v, ts FROM cnt;
EXPLAIN ANALYZE SELECT k, ts FROM cnt;
-- In a glob, a file whose header names no column stops the query too,
-- after the rows of the files before it.
CREATE SOURCE globbed (k VARCHAR, v BIGINT, ts TIMESTAMP) WITH (
  connector = 'file', path = 'data/csv_glob/*.csv', format = 'csv');
SELECT k, v FROM globbed;
-- idle.* options (memory sources: see test_connectors_sink.c; the engine
-- does not pass their options to conn_source_check yet).
CREATE SOURCE f1 (k VARCHAR, ts TIMESTAMP) WITH (connector = 'file',
  path = 'data/csv_no_header.csv', format = 'csv', 'idle.timeout' = 'banana');
CREATE SOURCE f2 (k VARCHAR, ts TIMESTAMP) WITH (connector = 'file',
  path = 'data/csv_no_header.csv', format = 'csv', 'idle.timeout' = '500 ms',
  'idle.advance' = 'true');
