#!/bin/bash
# tests/kafka/windows.sh — a windowed query over a Kafka topic equals the
# same query over the same events from a file, for every sink format.
#
# 600 game events with out-of-order timestamps are produced with kcat,
# keyed by user, into a topic of 3 partitions (`weir kafka-dev`). The
# tumbling-window query runs once over the JSON lines file (file sink:
# the expected rows) and over the topic with 'bounded.mode' = 'latest':
#   - json sink, default EMIT (one final row per window): the output
#     topic holds exactly the expected rows;
#   - EMIT CHANGES (early panes with retractions) into json (with op),
#     debezium-json and upsert sinks: folding each changelog (and the
#     upsert topic's last value per key, tombstones deleting) gives the
#     expected rows;
#   - session windows under EMIT CHANGES into an upsert sink: merged
#     sessions become tombstones, and the compacted state is the file run's.
. "$(dirname "$0")/lib.sh" "$@"

start_broker --topic scores --partitions 3
gen_events 600 >"$TMP/events.keyed"
cut -d'|' -f2- "$TMP/events.keyed" >"$TMP/events.jsonl"
kcat -b "$BROKER" -t scores -P -K'|' -l "$TMP/events.keyed" ||
  fail "kcat could not produce"

COLS="user_id VARCHAR, team VARCHAR, score BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND"
QUERY="SELECT team, window_start, window_end, SUM(score) AS total,
  COUNT(*) AS n FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE)
  GROUP BY team, window_start, window_end"
KAFKA="connector = 'kafka', 'bootstrap.servers' = '$BROKER'"

cat >"$TMP/file.sql" <<SQL
CREATE SOURCE scores ($COLS) WITH (connector = 'file',
  path = '$TMP/events.jsonl', format = 'json');
CREATE SINK expected WITH (connector = 'file', path = '$TMP/expected.jsonl',
  format = 'json');
INSERT INTO expected $QUERY;
SQL
timeout 60 "$WEIR" -f "$TMP/file.sql" >"$TMP/file.out" 2>"$TMP/file.err" ||
  fail "file query failed"
sed 's/"op":"+I",//' "$TMP/expected.jsonl" | sort >"$TMP/expected.rows"
[ "$(wc -l <"$TMP/expected.rows")" -ge 20 ] || fail "too few expected rows"

# kafka_run SINK_FORMAT TOPIC EMIT: the query over the topic into TOPIC.
kafka_run() {
  cat >"$TMP/k_$2.sql" <<SQL
CREATE SOURCE scores ($COLS) WITH ($KAFKA, topic = 'scores',
  format = 'json', 'scan.startup.mode' = 'earliest-offset',
  'bounded.mode' = 'latest');
CREATE SINK out WITH ($KAFKA, topic = '$2', format = '$1');
INSERT INTO out $QUERY $3;
SQL
  timeout 60 "$WEIR" -f "$TMP/k_$2.sql" >"$TMP/k_$2.out" 2>"$TMP/k_$2.err" ||
    fail "kafka query ($1 $3) failed"
}

# 1. Default EMIT: the same final rows, nothing else.
kafka_run json out_json ""
topic_values out_json | sed 's/"op":"+I",//' | sort >"$TMP/got.rows"
diff "$TMP/expected.rows" "$TMP/got.rows" >&2 ||
  fail "json sink: output topic differs from the file run"

# fold: "+ row" / "- row" lines -> the rows left (a multiset), sorted.
fold() {
  awk '{ op = substr($0, 1, 1); row = substr($0, 3);
         c[row] += (op == "+") ? 1 : -1 }
       END { for (r in c) for (i = 0; i < c[r]; i++) print r;
             for (r in c) if (c[r] < 0) print "NEGATIVE " r }' | sort
}

# 2. EMIT CHANGES into json with op: the changelog folds to the result.
kafka_run json out_changes "EMIT CHANGES"
topic_values out_changes >"$TMP/changes.json"
grep -q '"op":"-U"' "$TMP/changes.json" ||
  fail "EMIT CHANGES produced no retraction (test would prove nothing)"
sed -e 's/^{"op":"+[IU]",/+ {/' -e 's/^{"op":"-[UD]",/- {/' \
  "$TMP/changes.json" | fold >"$TMP/got.rows"
diff "$TMP/expected.rows" "$TMP/got.rows" >&2 ||
  fail "json changelog does not fold to the file run's result"

# 3. debezium-json: c/d with after/before.
kafka_run debezium-json out_dbz "EMIT CHANGES"
topic_values out_dbz |
  sed -e 's/^{"before":null,"after":\(.*\),"op":"c"}$/+ \1/' \
    -e 's/^{"before":\(.*\),"after":null,"op":"d"}$/- \1/' |
  fold >"$TMP/got.rows"
diff "$TMP/expected.rows" "$TMP/got.rows" >&2 ||
  fail "debezium-json changelog does not fold to the file run's result"

# 4. upsert: the compacted state (last value per key; a tombstone deletes).
kafka_run upsert out_ups "EMIT CHANGES"
kcat -b "$BROKER" -t out_ups -C -e -q -o beginning -Z -f '%k\t%s\n' \
  >"$TMP/ups.kv" 2>/dev/null
[ "$(wc -l <"$TMP/ups.kv")" -gt "$(wc -l <"$TMP/expected.rows")" ] ||
  fail "upsert topic has no updates (test would prove nothing)"
grep -q '"op"' "$TMP/ups.kv" && fail "upsert values carry an op"
awk -F'\t' '{ if ($2 == "NULL") delete v[$1]; else v[$1] = $2 }
  END { for (k in v) print v[k] }' "$TMP/ups.kv" | sort >"$TMP/got.rows"
diff "$TMP/expected.rows" "$TMP/got.rows" >&2 ||
  fail "upsert topic's compacted state differs from the file run"
# Keys are the group key and window: one key per result row.
cut -f1 "$TMP/ups.kv" | sort -u | wc -l >"$TMP/nkeys"
[ "$(cat "$TMP/nkeys")" -eq "$(wc -l <"$TMP/expected.rows")" ] ||
  fail "upsert keys are not the query's unique key"

# 5. Session windows per team (whose events come from every partition, so
# they arrive out of order) under EMIT CHANGES: merges retract the merged
# sessions
# (-D), which the upsert sink writes as tombstones; the compacted state is
# still the file run's final sessions.
QUERY="SELECT team, window_start, window_end, COUNT(*) AS n,
  SUM(score) AS total FROM SESSION(scores, ts, INTERVAL '6' SECOND)
  GROUP BY team, window_start, window_end"
cat >"$TMP/file2.sql" <<SQL
CREATE SOURCE scores ($COLS) WITH (connector = 'file',
  path = '$TMP/events.jsonl', format = 'json');
CREATE SINK expected WITH (connector = 'file', path = '$TMP/sessions.jsonl',
  format = 'json');
INSERT INTO expected $QUERY;
SQL
timeout 60 "$WEIR" -f "$TMP/file2.sql" >"$TMP/file2.out" 2>"$TMP/file2.err" ||
  fail "file session query failed"
sed 's/"op":"+I",//' "$TMP/sessions.jsonl" | sort >"$TMP/expected2.rows"
[ "$(wc -l <"$TMP/expected2.rows")" -ge 4 ] || fail "too few sessions"
kafka_run upsert out_sess "EMIT CHANGES"
kcat -b "$BROKER" -t out_sess -C -e -q -o beginning -Z -f '%k\t%s\n' \
  >"$TMP/sess.kv" 2>/dev/null
grep -q '	NULL$' "$TMP/sess.kv" ||
  fail "no tombstone for a merged session (test would prove less)"
awk -F'\t' '{ if ($2 == "NULL") delete v[$1]; else v[$1] = $2 }
  END { for (k in v) print v[k] }' "$TMP/sess.kv" | sort >"$TMP/got2.rows"
diff "$TMP/expected2.rows" "$TMP/got2.rows" >&2 ||
  fail "upsert topic of merging sessions differs from the file run"
# 6. The message timestamp as event time ('timestamp.column'): every event
# lands in a window of the day it was produced.
cat >"$TMP/kts.sql" <<SQL
CREATE SOURCE scores (user_id VARCHAR, team VARCHAR, score BIGINT,
  kts TIMESTAMP, WATERMARK FOR kts AS kts - INTERVAL '1' SECOND)
  WITH ($KAFKA, topic = 'scores', format = 'json',
  'timestamp.column' = 'kts', 'bounded.mode' = 'latest');
.mode csv
SELECT window_start, COUNT(*) AS n FROM TUMBLE(scores, kts, INTERVAL '1' DAY)
GROUP BY window_start, window_end;
SQL
timeout 60 "$WEIR" -f "$TMP/kts.sql" >"$TMP/kts.out" 2>"$TMP/kts.err" ||
  fail "query over the message timestamp failed"
n=$(grep '^+I,' "$TMP/kts.out" | awk -F, '{ s += $3 } END { print s + 0 }')
[ "$n" -eq 600 ] || fail "windows over the message timestamp hold $n of 600"
# Produced moments ago: the windows are of today (or yesterday at midnight).
grep '^+I,' "$TMP/kts.out" | cut -d, -f2 | cut -c1-10 | sort -u |
  grep -vx -e "$(date -u +%Y-%m-%d)" -e "$(date -u -d yesterday +%Y-%m-%d)" &&
  fail "message timestamps are not the produce time"

echo "ok: kafka windows equal the file run (json, changes, debezium, upsert," \
  "sessions with tombstones)"
