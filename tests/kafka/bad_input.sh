#!/bin/bash
# tests/kafka/bad_input.sh — malformed messages mixed into a topic are
# skipped and counted (with partition and offset), the rest is correct,
# and 'format.on-error' = 'fail' stops the query with a clear error.
. "$(dirname "$0")/lib.sh" "$@"

start_broker --topic mixed --partitions 3
gen_events 300 >"$TMP/good.keyed"
cut -d'|' -f2- "$TMP/good.keyed" >"$TMP/good.jsonl"
# Every 25th line is followed by a bad message on the same key (so bad
# messages land in every partition): invalid JSON, a wrong type, a cut-off
# object, an unknown timestamp.
awk -F'|' '{ print }
  NR % 25 == 0 { k = $1; b = (NR / 25) % 4
    if (b == 0) print k "|this is not json"
    if (b == 1) print k "|{\"user_id\":\"x\",\"team\":\"red\",\"score\":\"many\"}"
    if (b == 2) print k "|{\"user_id\":\"x\",\"team\":\"re"
    if (b == 3) print k "|{\"team\":\"red\",\"score\":1,\"ts\":\"yesterday\"}" }' \
  "$TMP/good.keyed" >"$TMP/mixed.keyed"
nbad=$(($(wc -l <"$TMP/mixed.keyed") - 300))
[ "$nbad" -eq 12 ] || fail "generator: $nbad bad messages"
kcat -b "$BROKER" -t mixed -P -K'|' -l "$TMP/mixed.keyed" ||
  fail "kcat could not produce"

COLS="user_id VARCHAR, team VARCHAR, score BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND"
QUERY="SELECT team, window_start, SUM(score) AS total, COUNT(*) AS n
  FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE)
  GROUP BY team, window_start, window_end"

cat >"$TMP/file.sql" <<SQL
CREATE SOURCE scores ($COLS) WITH (connector = 'file',
  path = '$TMP/good.jsonl', format = 'json');
.mode csv
$QUERY;
SQL
timeout 60 "$WEIR" -f "$TMP/file.sql" >"$TMP/file.out" 2>"$TMP/file.err" ||
  fail "file query failed"

cat >"$TMP/kafka.sql" <<SQL
CREATE SOURCE scores ($COLS) WITH (connector = 'kafka', topic = 'mixed',
  'bootstrap.servers' = '$BROKER', format = 'json', 'bounded.mode' = 'latest');
.mode csv
$QUERY;
SQL
timeout 60 "$WEIR" -f "$TMP/kafka.sql" >"$TMP/kafka.out" 2>"$TMP/kafka.err" ||
  fail "kafka query failed (a bad message must not stop it)"
{ sed -n '1,/^.mode csv$/p' "$TMP/kafka.sql"; echo "EXPLAIN ANALYZE $QUERY;"; } \
  >"$TMP/analyze.sql"
timeout 60 "$WEIR" -f "$TMP/analyze.sql" >"$TMP/analyze.out" \
  2>"$TMP/analyze.err" || fail "EXPLAIN ANALYZE failed"
sort "$TMP/file.out" >"$TMP/want"
grep '^+I' "$TMP/kafka.out" | sort >"$TMP/got"
[ "$(wc -l <"$TMP/want")" -gt 5 ] || fail "too few rows"
grep '^+I' "$TMP/want" | diff - "$TMP/got" >&2 ||
  fail "result with bad messages skipped differs from the good events' result"
# Counted: EXPLAIN ANALYZE reports all 12 skipped.
grep -q "bad records: $nbad" "$TMP/analyze.out" ||
  fail "EXPLAIN ANALYZE does not count $nbad bad records: $(grep bad "$TMP/analyze.out")"
# Logged with partition and offset and the reason.
grep -Eq 'mixed\[[0-2]\] offset:[0-9]+: invalid JSON' "$TMP/kafka.err" ||
  fail "bad message log lacks partition/offset/reason"
grep -q "is not a BIGINT" "$TMP/kafka.err" || fail "type error not reported"
# Per partition: the summary's counts add up to all of them.
sum=$(grep -o 'bad messages skipped (partition [^)]*)' "$TMP/kafka.err" |
  grep -o ': [0-9]*' | awk '{ s += $2 } END { print s + 0 }')
[ "$sum" -eq "$nbad" ] || fail "per-partition counts add up to $sum, not $nbad"

# 'format.on-error' = 'fail': the query fails, naming the message.
sed "s/'bounded.mode' = 'latest'/'bounded.mode' = 'latest', 'format.on-error' = 'fail'/" \
  "$TMP/kafka.sql" >"$TMP/fail.sql"
timeout 60 "$WEIR" -f "$TMP/fail.sql" >"$TMP/fail.out" 2>"$TMP/fail.err" &&
  fail "'format.on-error' = 'fail' did not fail the query"
grep -Eq 'mixed\[[0-2]\] offset:[0-9]+' "$TMP/fail.err" "$TMP/fail.out" ||
  fail "failure does not name partition and offset"
echo "ok: bad messages skipped and counted; on-error fail stops the query"
