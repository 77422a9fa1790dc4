#!/bin/bash
# tests/kafka/bounded_down.sh — an unreachable broker ends bounded work
# with an error instead of hanging or losing data:
#  1. a bounded read ('bounded.mode' = 'latest') fails after
#     'bounded.timeout' with "cannot reach ... latest offsets";
#  2. a kafka sink whose messages are never delivered fails its query when
#     the script ends (the stop's flush), and `weir -f` exits non-zero;
#  3. with a short message.timeout.ms the failure is reported while the
#     query runs (delivery reports polled by a timer), before the script
#     ends;
#  4. kafka-dev's --partitions applies to the --topic before it.
. "$(dirname "$0")/lib.sh" "$@"

PORT=$(free_port)   # nothing listens there any more
DEAD="127.0.0.1:$PORT"

# 1. Bounded read of an unreachable broker.
cat >"$TMP/b.sql" <<SQL
CREATE SOURCE x (v BIGINT) WITH (connector = 'kafka', topic = 'zz',
  'bootstrap.servers' = '$DEAD', 'bounded.mode' = 'latest',
  'bounded.timeout' = '2 s');
SELECT COUNT(*) FROM x;
SQL
t0=$(date +%s)
timeout 20 "$WEIR" -f "$TMP/b.sql" >"$TMP/b.out" 2>"$TMP/b.err"
rc=$?
t1=$(date +%s)
[ $rc -ne 124 ] || fail "bounded read of an unreachable broker did not end"
[ $rc -ne 0 ] || fail "bounded read of an unreachable broker exited 0"
grep -q "cannot reach $DEAD to find the latest offsets of zz within 2 s" \
  "$TMP/b.err" || fail "no 'cannot reach' error: $(cat "$TMP/b.err")"
[ $((t1 - t0)) -le 8 ] || fail "bounded read took $((t1 - t0)) s (2 s timeout)"

# 2. Undelivered sink messages at the end of the script.
cat >"$TMP/s.sql" <<SQL
CREATE SOURCE m (v BIGINT) WITH (connector = 'memory');
CREATE SINK out WITH (connector = 'kafka', topic = 'x',
  'bootstrap.servers' = '$DEAD', 'sink.flush.timeout.ms' = '1000');
INSERT INTO out SELECT v FROM m;
INSERT INTO m VALUES (1), (2), (3);
SQL
timeout 20 "$WEIR" -f "$TMP/s.sql" >"$TMP/s.out" 2>"$TMP/s.err"
rc=$?
[ $rc -ne 124 ] || fail "script with an undeliverable sink did not end"
[ $rc -ne 0 ] || fail "undelivered sink messages: weir -f exited 0"
grep -q "kafka sink (topic x): 3 messages not delivered" "$TMP/s.err" ||
  fail "no 'not delivered' error: $(cat "$TMP/s.err")"

# 3. The failure surfaces while the query runs: a second, bounded query keeps
# the loop busy for 3 s; the sink's messages time out after 500 ms, so its
# failure is reported before that query's own error.
cat >"$TMP/r.sql" <<SQL
CREATE SOURCE m (v BIGINT) WITH (connector = 'memory');
CREATE SINK out WITH (connector = 'kafka', topic = 'x',
  'bootstrap.servers' = '$DEAD', 'sink.flush.timeout.ms' = '10000',
  'properties.message.timeout.ms' = '500');
INSERT INTO out SELECT v FROM m;
INSERT INTO m VALUES (1), (2), (3);
CREATE SOURCE w (v BIGINT) WITH (connector = 'kafka', topic = 'zz',
  'bootstrap.servers' = '$DEAD', 'bounded.mode' = 'latest',
  'bounded.timeout' = '3 s');
SELECT COUNT(*) FROM w;
SQL
t0=$(date +%s)
timeout 30 "$WEIR" -f "$TMP/r.sql" >"$TMP/r.out" 2>"$TMP/r.err"
rc=$?
t1=$(date +%s)
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "running-sink script: exit $rc"
grep -n "not delivered\|latest offsets" "$TMP/r.err" >"$TMP/r.order"
head -1 "$TMP/r.order" | grep -q "kafka sink (topic x): 3 messages not delivered" ||
  fail "sink failure not reported while running: $(cat "$TMP/r.err")"
grep -q "timed out" "$TMP/r.err" || fail "no delivery reason: $(cat "$TMP/r.err")"
# It did not wait for sink.flush.timeout.ms (10 s) at the end.
[ $((t1 - t0)) -le 8 ] || fail "running-sink script took $((t1 - t0)) s"

# 4. --partitions per topic.
start_broker --topic idl --partitions 2 --topic scores --partitions 3 \
  --topic one
kcat -b "$BROKER" -L >"$TMP/meta" 2>&1 || fail "kcat -L failed"
grep -q 'topic "idl" with 2 partitions' "$TMP/meta" || fail "idl: $(cat "$TMP/meta")"
grep -q 'topic "scores" with 3 partitions' "$TMP/meta" || fail "scores: $(cat "$TMP/meta")"
grep -q 'topic "one" with 1 partitions' "$TMP/meta" || fail "one: $(cat "$TMP/meta")"
echo "ok: bounded read and undelivered sink messages fail; --partitions per topic"
