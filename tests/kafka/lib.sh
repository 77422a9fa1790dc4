# tests/kafka/lib.sh — shared by the Kafka integration tests: starts
# `weir kafka-dev` on a free loopback port, cleans up every process the test
# started (trap), bounded waits, and a deterministic game-event generator.
#
# A test does:  . "$(dirname "$0")/lib.sh" "$@"   (argument: path to weir)

set -u
WEIR=${1:?usage: $0 path/to/weir}
command -v kcat >/dev/null 2>&1 || { echo "SKIP: kcat not installed"; exit 77; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/weir-kafka.XXXXXX")
PIDS=""

cleanup() {
  [ "$BASHPID" = "$$" ] || return 0   # not in subshells
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  for p in $PIDS; do wait "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
  echo "FAIL: $*" >&2
  for f in "$TMP"/*.err; do
    [ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
  done
  exit 1
}

# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds; 1 on timeout.
wait_for() {
  local n=$(($1 * 10))
  shift
  while [ "$n" -gt 0 ]; do
    "$@" && return 0
    sleep 0.1
    n=$((n - 1))
  done
  return 1
}

# start_broker [kafka-dev args...]: sets BROKER (host:port) and BROKER_PID.
start_broker() {
  local out="$TMP/kafka-dev.$$.$RANDOM"
  "$WEIR" kafka-dev "$@" >"$out" 2>"$TMP/kafka-dev.err" &
  BROKER_PID=$!
  PIDS="$PIDS $BROKER_PID"
  wait_for 10 grep -q '^bootstrap.servers=' "$out" 2>/dev/null ||
    fail "kafka-dev did not print its address"
  BROKER=$(sed -n 's/^bootstrap.servers=//p' "$out")
}

stop_broker() {
  kill "$BROKER_PID" 2>/dev/null
  wait "$BROKER_PID" 2>/dev/null
}

# A free loopback port (kafka-dev binds port 0, prints it, and is stopped).
free_port() {
  local out="$TMP/free_port.out" pid
  "$WEIR" kafka-dev --port 0 >"$out" 2>/dev/null &
  pid=$!
  wait_for 10 grep -q '^bootstrap.servers=' "$out" 2>/dev/null ||
    fail "kafka-dev did not start"
  kill $pid
  wait $pid 2>/dev/null
  sed -n 's/^bootstrap.servers=.*://p' "$out"
}

# count_at_least N PATTERN FILE: FILE has at least N lines matching.
count_at_least() {
  [ "$(grep -c "$2" "$3" 2>/dev/null)" -ge "$1" ]
}

# gen_events N: N game events as "user|{json}" lines (kcat -K'|'), ts one
# second apart from 2026-01-01 12:00:00 plus 0..4 s of disorder (always
# less than the 5 s watermark delay, so no event is late in any run).
gen_events() {
  awk -v n="$1" 'BEGIN {
    split("red blue green yellow", team, " ");
    for (i = 0; i < n; i++) {
      t = i + (i * 7919) % 5;
      printf "u%d|{\"user_id\":\"u%d\",\"team\":\"%s\",\"score\":%d,", \
        i % 17, i % 17, team[(i * 13) % 4 + 1], (i * 31) % 100;
      printf "\"ts\":\"2026-01-01 %02d:%02d:%02d\"}\n", \
        12 + int(t / 3600), int(t / 60) % 60, t % 60;
    }
  }'
}

# topic_values TOPIC: every message value of TOPIC, one per line.
topic_values() {
  kcat -b "$BROKER" -t "$1" -C -e -q -o beginning -f '%s\n' 2>/dev/null
}
