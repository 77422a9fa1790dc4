#!/bin/bash
# tests/kafka/broker_down.sh — an unreachable broker gives a clear error
# within seconds, and the query recovers when the broker comes back; the
# topic's partitions, which do not exist when the query starts, are
# discovered at run time. Then the broker goes away and comes back again
# (an empty mock broker on the same address) and new events still arrive.
. "$(dirname "$0")/lib.sh" "$@"

PORT=$(free_port)
cat >"$TMP/q.sql" <<SQL
CREATE SOURCE ev (user_id VARCHAR, team VARCHAR, score BIGINT, ts TIMESTAMP)
  WITH (connector = 'kafka', topic = 'later',
  'bootstrap.servers' = '127.0.0.1:$PORT', format = 'json',
  'partition.discovery.ms' = '500');
.mode csv
SELECT user_id, score FROM ev;
SQL
"$WEIR" -f "$TMP/q.sql" >"$TMP/q.out" 2>"$TMP/q.err" &
WPID=$!
PIDS="$PIDS $WPID"
wait_for 8 grep -qs "cannot reach bootstrap.servers 127.0.0.1:$PORT" \
  "$TMP/q.err" || fail "no clear error for an unreachable broker"
kill -0 $WPID 2>/dev/null || fail "the query died while the broker was down"

# The broker comes up; the topic appears with 3 partitions.
start_broker --port "$PORT" --topic later --partitions 3
gen_events 30 >"$TMP/a.keyed"
kcat -b "$BROKER" -t later -P -K'|' -l "$TMP/a.keyed" || fail "kcat failed"
wait_for 20 count_at_least 30 '^+I,u' "$TMP/q.out" ||
  fail "query did not recover: $(grep -c '^+I' "$TMP/q.out") of 30 rows"
grep -q "connected again" "$TMP/q.err" || fail "recovery not reported"
# Rows from every partition arrived (keys spread over the 3).
for p in 0 1 2; do
  kcat -b "$BROKER" -t later -C -e -q -p $p -o beginning -f '%s\n' |
    head -1 | grep -q user_id || fail "partition $p is empty"
done

# The broker goes away, then a new (empty) one comes back on the address.
stop_broker
sleep 1
start_broker --port "$PORT" --topic later --partitions 3
printf 'n|{"user_id":"again","team":"red","score":42,"ts":"2026-01-01 13:00:00"}\n' |
  kcat -b "$BROKER" -t later -P -K'|' || fail "kcat failed"
wait_for 30 grep -q '^+I,again,42' "$TMP/q.out" ||
  fail "no rows after the broker came back a second time"
kill -0 $WPID 2>/dev/null || fail "the query died"
echo "ok: unreachable broker reported; query recovered twice"
