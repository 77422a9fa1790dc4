#!/usr/bin/env bash
# bench/run.sh [N] [QUERY...] — weir's benchmarks, each on one core
# (taskset -c 0). Builds Release into build/, generates N (default 5M)
# score events as CSV and JSON lines under bench/data/, then times queries
# through `weir -f` into a file sink and prints events per second.
#   bench/run.sh                 all benchmarks, 5M events
#   bench/run.sh 5000000 csv     only the stateless CSV one
#   RUNS=5 bench/run.sh          best of 5 runs (default 3) per query
# Names: csv json tumble hop session.
# The files are bounded, so by default they are batch inputs (DESIGN 2.1:
# no row is late, windows close at the end). MODE=streaming bench/run.sh
# reads them as streams instead (SET 'execution.runtime-mode' =
# 'streaming': the watermark follows the data, windows close as it goes).
set -e
cd "$(dirname "$0")/.."
N=${1:-5000000}; shift || true
only=" $* "
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target weir bench_gen_scores >/dev/null
mkdir -p bench/data
csv=bench/data/scores_$N.csv; json=bench/data/scores_$N.jsonl
if [ ! -s "$csv" ] || [ ! -s "$json" ]; then
  ./build/bench_gen_scores "$N" "$csv" "$json"
fi
cols="user_id VARCHAR, team VARCHAR, score BIGINT, ts TIMESTAMP"
wm="WATERMARK FOR ts AS ts - INTERVAL '5' SECOND"

run() {  # name, format, file, source-extra, query
  local name=$1 fmt=$2 file=$3 extra=$4 query=$5
  [ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || return 0
  local out=bench/data/out_$name.$fmt sql=bench/data/$name.sql
  cat >"$sql" <<SQL
CREATE SOURCE scores ($cols$extra) WITH (connector = 'file',
  path = '$PWD/$file', format = '$fmt');
${MODE:+SET 'execution.runtime-mode' = '$MODE';}
CREATE SINK out WITH (connector = 'file', path = '$PWD/$out', format = 'csv');
INSERT INTO out $query;
SQL
  local tf; tf=$(mktemp)
  local wall="" user="" sys="" w u s r
  for r in $(seq "${RUNS:-3}"); do   # best of RUNS (CPU time)
    /usr/bin/time -f "%e %U %S" -o "$tf" taskset -c 0 ./build/weir -f "$sql" \
      >/dev/null || { echo "$name: weir failed"; exit 1; }
    read -r w u s <"$tf"
    if [ -z "$user" ] || awk -v a="$u" -v b="$s" -v c="$user" -v d="$sys" \
         'BEGIN { exit !(a + b < c + d) }'; then
      wall=$w; user=$u; sys=$s
    fi
  done
  rm -f "$tf"
  awk -v n="$N" -v w="$wall" -v u="$user" -v s="$sys" -v name="$name" -v q="$query" \
    'BEGIN { c = u + s; if (c <= 0) c = 0.001; if (w <= 0) w = 0.001;
             printf "%-8s %10.0f events/s cpu  %10.0f events/s wall  (%.2f s cpu, %.2f s wall)  %s\n", name, n / c, n / w, c, w, q }'
}

echo "weir benchmarks, one core (taskset -c 0), $N events  (reproduce: bench/run.sh $N)"
echo "cpu = events / (user+sys seconds): the one-core rate even on a busy machine"
run csv csv "$csv" "" "SELECT team, score*2 FROM scores WHERE score > 10"
run json json "$json" "" "SELECT team, score*2 FROM scores WHERE score > 10"
run tumble csv "$csv" ", $wm" "SELECT team, window_start, SUM(score) FROM TUMBLE(scores, ts, INTERVAL '2' MINUTE) GROUP BY team, window_start, window_end"
run hop csv "$csv" ", $wm" "SELECT team, window_start, SUM(score) FROM HOP(scores, ts, INTERVAL '1' MINUTE, INTERVAL '1' HOUR) GROUP BY team, window_start, window_end"
run session csv "$csv" ", $wm" "SELECT user_id, window_start, window_end, COUNT(*) FROM SESSION(scores, ts, INTERVAL '30' SECOND) GROUP BY user_id, window_start, window_end"
