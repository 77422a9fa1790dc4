#!/usr/bin/env bash
# tests/repl_interactive.sh WEIR — drives the interactive REPL in a tmux
# pane (a real terminal) and checks the screen with capture-pane:
# a multi-line statement with the continuation prompt, .mode table, a
# continuous query over the --demo source with its status line, Ctrl-C
# stopping the query (not the REPL), a live table, Ctrl-C clearing a
# half-typed line, background rows printing while the prompt waits, a
# failing background sink query reported, the live table consistent and
# drawn even when taller than the screen, history saved to the history
# file, and Ctrl-D exiting.
# Every wait is bounded; the whole test fails rather than hangs.
set -u
weir=$(realpath "$1")
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 1; }

tmp=$(mktemp -d)
sock="weir-test-$$"
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  echo "---- screen ----"
  screen
  echo "----------------"
  exit 1
}

screen() { tmux -L "$sock" capture-pane -p -t weir -S -200 2>/dev/null; }

# wait_for PATTERN [SECONDS]: poll the screen until grep -E matches.
wait_for() {
  local pat=$1 secs=${2:-10} i
  for ((i = 0; i < secs * 10; i++)); do
    screen | grep -Eq -- "$pat" && return 0
    sleep 0.1
  done
  fail "timed out after ${secs}s waiting for /$pat/"
}

# count PATTERN: lines on screen matching it.
count() { screen | grep -Ec -- "$1"; }

# keys ARG...: send keys; a literal ';' goes as hex (tmux would take an
# argument's trailing ';' as a command separator).
keys() {
  local a
  for a in "$@"; do
    case $a in
      Enter|C-c|C-d) tmux -L "$sock" send-keys -t weir "$a" ;;
      *';')
        tmux -L "$sock" send-keys -t weir -l "${a%;}"
        tmux -L "$sock" send-keys -t weir -H 3b ;;
      *) tmux -L "$sock" send-keys -t weir -l "$a" ;;
    esac
  done
}

# ASan builds print leak reports at exit; keep them off the screen checks
# but make them fail the run (exitcode 23 below).
export ASAN_OPTIONS="detect_leaks=1:exitcode=23"
tmux -L "$sock" -f /dev/null new-session -d -s weir -x 160 -y 50 \
  "env HOME=$tmp WEIR_HISTORY=$tmp/hist TERM=xterm $weir --demo; \
   echo \"weir-exit=\$?\"; sleep 30"

wait_for '^weir>' 15
screen | grep -q "Demo source" || fail "no demo banner"

# 1. A statement over two lines: continuation prompt, then its result.
keys "SELECT 1 +" Enter
wait_for '^  \.\.\.>' 5
keys "  2 AS x;" Enter
wait_for '^\+I \| 3$' 10
screen | grep -q '^op | x$' || fail "no changelog header line"

# 2. .mode table draws a box table for a bounded query.
keys ".mode table" Enter
keys "SELECT 40 + 2 AS answer;" Enter
wait_for '^│ +42 │$' 10
wait_for '^\(1 row\)$' 5
keys ".mode" Enter
wait_for '^table$' 5
keys ".mode changelog" Enter

# 3. A continuous query over the demo source: rows stream in, the status
# line shows counters, Ctrl-C stops it and the prompt returns.
keys "SELECT team, score FROM scores;" Enter
wait_for '^op \| team \| score$' 10
wait_for 'rows in' 10
before=$(count '^\+I \| ')
sleep 1.5
after=$(count '^\+I \| ')
[ "$after" -gt "$before" ] || fail "no rows streamed ($before -> $after)"
keys C-c
wait_for 'q[0-9]+: [0-9]+ rows in, [0-9]+ out' 10
wait_for '^weir> ?$' 10
n1=$(count '^\+I \| ')
sleep 1
n2=$(count '^\+I \| ')
[ "$n1" -eq "$n2" ] || fail "rows still arriving after Ctrl-C ($n1 -> $n2)"

# 3b. A query that outputs nothing still shows live counters (a timer on
# the loop refreshes the status line).
keys "SELECT team FROM scores WHERE score > 1000;" Enter
wait_for '^op \| team$' 10
wait_for 'q[0-9]+: [1-9][0-9]* rows in, 0 out.*Ctrl-C stops' 10
keys C-c
wait_for 'q[0-9]+: [0-9]+ rows in, 0 out, watermark [0-9-]+ [0-9:.]+, lag' 10
wait_for '^weir> ?$' 10

# 4. The REPL is still alive and takes a new statement.
keys "SELECT 6 * 7 AS z;" Enter
wait_for '^\+I \| 42$' 10

# 4b. .mode table on a continuous query: a live table redrawn in place,
# replaced by the final table after Ctrl-C (exactly one table on screen).
keys ".mode table" Enter
keys "SELECT team, COUNT(*) AS n FROM scores GROUP BY team;" Enter
wait_for '^│ team +│ n +│$' 10
wait_for '^\([0-9]+ rows?\)$' 10
sleep 1.2
keys C-c
wait_for 'q[0-9]+: [0-9]+ rows in' 10
wait_for '^weir> ?$' 10
[ "$(count '^│ team +│ n +│$')" -eq 1 ] || fail "live table not redrawn in place"
[ "$(count '^┌─+┬─+┐$')" -eq 1 ] || fail "live table not erased exactly"

# 4c. The live table is drawn only between batches, never between an
# update's -U and its +U: once all teams are on it, no drawing lacks one.
keys "SELECT team, SUM(score) AS tot3 FROM scores GROUP BY team;" Enter
wait_for '^│ team +│ +tot3 +│$' 10
# The count line of the live table (the last one below its header).
live_count() {
  screen | awk '/^│ team +│ +tot3 +│$/ { n = "" }
    /^\([0-9]+ rows?/ { n = $1 } END { print substr(n, 2) }'
}
max=0
for ((i = 0; i < 80; i++)); do
  n=$(live_count)
  if [ -n "$n" ]; then
    [ "$n" -lt "$max" ] && fail "live table lost a row ($max -> $n rows)"
    [ "$n" -gt "$max" ] && max=$n
  fi
  sleep 0.1
done
[ "$max" -gt 1 ] || fail "live table never showed the teams"
keys C-c
wait_for '^weir> ?$' 10

# 4d. EARLY EVERY panes append rows: a table taller than the screen is
# still drawn live, showing its last rows, and replaced by the whole
# table after Ctrl-C.
keys "SELECT window_start, team, SUM(score) AS tot4 FROM TUMBLE(scores, ts, INTERVAL '10' SECOND) GROUP BY window_start, window_end, team EMIT AFTER WATERMARK EARLY EVERY INTERVAL '1' SECOND ACCUMULATING;" Enter
wait_for '^│ window_start +│ team +│ +tot4 +│$' 10
wait_for '^\([0-9]+ rows, the last [0-9]+ shown\)$' 40
keys C-c
wait_for '^weir> ?$' 10
[ "$(count '^│ window_start +│ team +│ +tot4 +│$')" -eq 1 ] ||
  fail "EARLY live table not erased exactly"
screen | grep -Eq '^\([0-9]+ rows\)$' || fail "no final EARLY table"
keys ".mode changelog" Enter

# 5. Ctrl-C at the prompt drops a half-typed line.
keys "SELECT 'never run'"
wait_for "SELECT 'never run'" 5
keys C-c
wait_for "never run'\\^C\$" 5
keys ".sources" Enter
wait_for '^scores +\| memory' 10
screen | grep -q "never run'.*sources" && fail "Ctrl-C did not clear the line"

# 5b. ... and at the continuation prompt, the whole unfinished statement.
keys "SELECT 1 +" Enter
wait_for '^  \.\.\.> ?$' 5
keys C-c
keys "SELECT 5 AS v;" Enter
wait_for '^\+I \| 5$' 10

# 6. An error is shown and the REPL goes on.
keys "SELEC 1;" Enter
wait_for '^Error: line 1, column 1' 10

# 7. Under the manual clock a query runs in the background; the demo keeps
# feeding it, so its tagged rows print while the prompt waits. The line
# being typed is redrawn below them and still runs.
keys "SET clock = 'manual';" Enter
keys "SELECT team, score FROM scores;" Enter
wait_for '^\[q[0-9]+\] \+I \| ' 10
keys "SELECT 'kept"
sleep 1
last=$(screen | grep -v '^$' | tail -1)
[ "$last" = "weir> SELECT 'kept" ] || fail "prompt not redrawn (last line: $last)"
keys "' AS k;" Enter
wait_for '^\+I \| kept$' 10

# 7b. A background query into a sink that fails (a CSV sink given a -U
# row) is reported above the prompt when it fails.
keys "CREATE SINK bad WITH (connector = 'file', path = '$tmp/bad.csv', format = 'csv');" Enter
keys "INSERT INTO bad SELECT team, SUM(score) AS s FROM scores GROUP BY team;" Enter
wait_for '^Error: query q[0-9]+ failed: ' 15
keys "SELECT 'alive' AS k;" Enter
wait_for '^\+I \| alive$' 10

# 8. Ctrl-D exits with status 0 and the history file holds the statements.
keys C-d
wait_for '^weir-exit=' 15
wait_for '^weir-exit=0$' 1
# (libedit stores entries vis(3)-encoded: a space is \040.)
grep -q 'SELECT.*1.*+' "$tmp/hist" || fail "history file lacks the statement"
grep -q 'mode.*table' "$tmp/hist" || fail "history file lacks .mode table"
echo "ok: repl.interactive"
