#!/bin/bash
# tests/kafka/idle.sh — one idle partition does not stall every window.
#
# Topic of 2 partitions; events go only to partition 0 (a burst, then a
# trickle that keeps it active). Partition 1 never receives anything.
# With 'idle.timeout' = '1 s' partition 1 stops holding the watermark back
# and the early windows close; without it (the control run) the watermark
# is the minimum over partitions, partition 1 has none, and no window may
# close.
. "$(dirname "$0")/lib.sh" "$@"

start_broker --topic quiet --partitions 2
gen_events 400 | cut -d'|' -f2- >"$TMP/burst.jsonl"
kcat -b "$BROKER" -t quiet -P -p 0 -l "$TMP/burst.jsonl" ||
  fail "kcat could not produce"

COLS="user_id VARCHAR, team VARCHAR, score BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND"
# run NAME EXTRA_OPTIONS: an unbounded windowed query printing CSV rows.
run() {
  cat >"$TMP/$1.sql" <<SQL
CREATE SOURCE scores ($COLS) WITH (connector = 'kafka', topic = 'quiet',
  'bootstrap.servers' = '$BROKER', format = 'json'$2);
.mode csv
SELECT team, window_start, SUM(score) AS total
FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE) GROUP BY team, window_start, window_end;
SQL
  "$WEIR" -f "$TMP/$1.sql" >"$TMP/$1.out" 2>"$TMP/$1.err" &
  PIDS="$PIDS $!"
  eval "PID_$1=$!"
}

# trickle SECONDS: one event every 0.25 s into partition 0, later in time.
trickle() {
  local i=0
  while [ $i -lt $(($1 * 4)) ]; do
    printf '{"user_id":"z","team":"red","score":1,"ts":"2026-01-01 12:%02d:%02d"}\n' \
      $((7 + i / 60)) $((i % 60)) |
      kcat -b "$BROKER" -t quiet -P -p 0 2>/dev/null
    sleep 0.25
    i=$((i + 1))
  done
}

run idle ", 'idle.timeout' = '1 s'"
run control ""
trickle 4 &
PIDS="$PIDS $!"
# The first window [12:00, 12:02) closes once partition 1 counts as idle.
wait_for 15 grep -q '2026-01-01 12:00:00' "$TMP/idle.out" ||
  fail "no window closed with one idle partition and 'idle.timeout'"
grep -q '2026-01-01 12:02:00' "$TMP/idle.out" ||
  wait_for 5 grep -q '2026-01-01 12:02:00' "$TMP/idle.out" ||
  fail "second window did not close"
# Meanwhile the control query (no idle timeout) must not have closed any.
sleep 1
grep -q '2026-01-01' "$TMP/control.out" &&
  fail "a window closed without idle.timeout although partition 1 is empty"
# Totals of a closed window are those of the events in it.
want=$(awk -F'[,:"]+' '/"ts":"2026-01-01 12:00:/ || /"ts":"2026-01-01 12:01:/ {
  for (i = 1; i < NF; i++) { if ($i == "team") t = $(i + 1);
                             if ($i == "score") s = $(i + 1) }
  sum[t] += s } END { for (t in sum) print t "," sum[t] }' "$TMP/burst.jsonl" |
  sort)
got=$(grep '2026-01-01 12:00:00' "$TMP/idle.out" |
  awk -F, '{ print $2 "," $4 }' | sort)
[ "$want" = "$got" ] || fail "window totals: want [$want] got [$got]"
echo "ok: windows close with an idle partition after the idle timeout"
