#!/usr/bin/env bash
# bench/kafka.sh [N] — consuming N (default 5M) JSON game events from a
# local Kafka topic through the tumbling-window query, side by side with
# `kcat -C -e -o beginning` reading the same topic to /dev/null (the
# client-side ceiling), both pinned to one core (taskset -c 0) in the same
# run. The broker is `weir kafka-dev` (librdkafka's mock cluster) pinned to
# another core.
#
#   bench/kafka.sh              5M events, Release build in build/
#   BUILD=build-x bench/kafka.sh 1000000
#
# The mock broker keeps at most ~5 MB / 100k messages per partition (older
# ones are deleted), so the topic has PARTS (default 128) partitions and the
# events are spread over them at random (sticky partitioning off) — every
# event is retained; the script checks the count.
#
# Prints, for each reader (best of RUNS=3 alternating runs): wall seconds, CPU seconds (user+sys, all of the
# process's threads), events/s by wall and by CPU, and the ratio weir/kcat.
# CPU is the steadier figure on a shared machine. It also checks that the
# query's result equals the same query over the JSON file (file source).
set -e
cd "$(dirname "$0")/.."
N=${1:-5000000}
BUILD=${BUILD:-build}
PARTS=${PARTS:-128}
command -v kcat >/dev/null || { echo "kcat is needed (apt install kcat)"; exit 1; }
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2 --target weir bench_gen_scores >/dev/null
mkdir -p bench/data
csv=bench/data/scores_$N.csv; json=bench/data/scores_$N.jsonl
if [ ! -s "$csv" ] || [ ! -s "$json" ]; then
  "./$BUILD/bench_gen_scores" "$N" "$csv" "$json"
fi
tmp=$(mktemp -d)
broker=""
cleanup() { [ -n "$broker" ] && kill "$broker" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

taskset -c 1 "./$BUILD/weir" kafka-dev --topic scores --partitions "$PARTS" \
  >"$tmp/kd.out" 2>"$tmp/kd.err" &
broker=$!
for _ in $(seq 100); do
  grep -q '^bootstrap.servers=' "$tmp/kd.out" && break
  sleep 0.1
done
B=$(sed -n 's/^bootstrap.servers=//p' "$tmp/kd.out")
[ -n "$B" ] || { echo "kafka-dev did not start"; exit 1; }

echo "producing $N events into topic scores ($PARTS partitions) at $B ..."
kcat -b "$B" -t scores -P -l "$json" -X linger.ms=50 \
  -X batch.num.messages=10000 -X queue.buffering.max.messages=2000000 \
  -X sticky.partitioning.linger.ms=0
have=$(kcat -b "$B" -t scores -C -e -q -o beginning -f 'x\n' | wc -l)
[ "$have" -eq "$N" ] || { echo "topic holds $have of $N events"; exit 1; }

query="SELECT team, window_start, SUM(score) FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE) GROUP BY team, window_start, window_end"
cols="user_id VARCHAR, team VARCHAR, score BIGINT, ts TIMESTAMP,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND"
cat >"$tmp/kafka.sql" <<SQL
CREATE SOURCE scores ($cols) WITH (connector = 'kafka', topic = 'scores',
  'bootstrap.servers' = '$B', format = 'json', 'bounded.mode' = 'latest');
CREATE SINK out WITH (connector = 'file', path = '$tmp/kafka.csv', format = 'csv');
INSERT INTO out $query;
SQL
cat >"$tmp/file.sql" <<SQL
CREATE SOURCE scores ($cols) WITH (connector = 'file', path = '$PWD/$json',
  format = 'json');
CREATE SINK out WITH (connector = 'file', path = '$tmp/file.csv', format = 'csv');
INSERT INTO out $query;
SQL

# measure NAME CMD...: run CMD on core 0; keeps the best (lowest) wall and
# CPU seconds over the runs in W_NAME and C_NAME.
W_kcat=1e9; C_kcat=1e9; W_weir=1e9; C_weir=1e9
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/time" taskset -c 0 "$@" >/dev/null
  read -r w u s <"$tmp/time"
  eval "W_$name=$(awk -v a="$w" -v b="$(eval echo \$W_$name)" \
    'BEGIN { print (a < b) ? a : b }')"
  eval "C_$name=$(awk -v a="$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')" \
    -v b="$(eval echo \$C_$name)" 'BEGIN { print (a < b) ? a : b }')"
}
# Alternate the two readers RUNS times (default 3): the machine may be
# shared, so the best of each is reported.
for _ in $(seq "${RUNS:-3}"); do
  measure kcat kcat -b "$B" -t scores -C -e -q -o beginning
  measure weir "./$BUILD/weir" -f "$tmp/kafka.sql"
done
"./$BUILD/weir" -f "$tmp/file.sql" >/dev/null
if [ "$(sort "$tmp/kafka.csv" | md5sum)" = "$(sort "$tmp/file.csv" | md5sum)" ]; then
  same="equal to the file run ($(($(wc -l <"$tmp/file.csv") - 1)) rows)"
else
  same="DIFFERENT from the file run"
fi

echo "Kafka consume, $N JSON events, one core (taskset -c 0), broker on core 1," \
  "best of ${RUNS:-3}"
awk -v n="$N" -v wk="$W_kcat" -v ck="$C_kcat" -v ww="$W_weir" -v cw="$C_weir" 'BEGIN {
  printf "%-34s %6.2f s wall %6.2f s cpu %10.0f ev/s wall %10.0f ev/s cpu\n",
    "kcat -C -e -o beginning >/dev/null", wk, ck, n / wk, n / ck;
  printf "%-34s %6.2f s wall %6.2f s cpu %10.0f ev/s wall %10.0f ev/s cpu\n",
    "weir tumble 2 min (kafka source)", ww, cw, n / ww, n / cw;
  printf "weir / kcat: %.2fx wall, %.2fx cpu (target: within 1.5x)\n",
    ww / wk, cw / ck }'
echo "weir's result: $same"
