#!/usr/bin/env bash
# tests/repl_script.sh WEIR — the non-interactive `weir`: -f, -c and piped
# stdin; error positions relative to the whole script; stop at the first
# error or --keep-going; exit codes; output modes (auto table, changelog
# with background tags, table upsert, json, csv); dot commands in scripts.
# Checks only what repl/ formats, over statements whose results do not
# depend on engine details (final tables, appends, SELECT without FROM).
set -u
weir=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
nfail=0

# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -40
    nfail=$((nfail + 1))
  fi
}
# has NAME PATTERN TEXT (grep -E)
has() {
  if ! printf '%s\n' "$3" | grep -Eq -- "$2"; then
    echo "FAIL: $1: no /$2/ in:"
    printf '%s\n' "$3" | head -30
    nfail=$((nfail + 1))
  fi
}
run() { timeout 30 "$weir" "$@" 2>&1; echo "exit: $?"; }

# 1. Auto mode: a bounded query prints a box table; numbers align right.
out=$(run -c "SELECT 'red' AS team, 10 AS total, NULL AS note;")
check "auto table" "┌──────┬───────┬──────┐
│ team │ total │ note │
├──────┼───────┼──────┤
│ red  │    10 │ NULL │
└──────┴───────┴──────┘
(1 row)
exit: 0" "$out"

# 2. Errors name the script's own line and column, with the caret, even
# for a statement that shares a line with an earlier one; the script stops
# at the first error with exit status 1.
printf 'SELECT 1 AS a;\n\n-- comment; with a semicolon\nSELECT 2 AS b; SELEC 3;\nSELECT 4 AS c;\n' >e.sql
out=$(run -f e.sql)
has "error line/col" '^Error: line 4, column 16: syntax error near "SELEC"$' "$out"
has "caret line" '^                 SELEC 3;$' "$out"
has "caret" '^                 \^$' "$out"
has "stops at error" '^exit: 1$' "$out"
printf '%s\n' "$out" | grep -q '│ c │' && { echo "FAIL: ran past the error"; nfail=$((nfail + 1)); }

# 3. --keep-going: reports, continues, exits 1 at the end.
out=$(run -f e.sql --keep-going)
has "keep-going continues" '│ c │' "$out"
has "keep-going exit" '^exit: 1$' "$out"

# 4. Piped stdin, statements spread over lines, a multi-line error.
out=$(printf 'SELECT\n  1 AS x;\nSELECT 5 AS y\n  FROM;\n' | timeout 30 "$weir" 2>&1; echo "exit: $?")
has "stdin result" '│ x │' "$out"
has "stdin error line" '^Error: line 4, column ' "$out"
has "stdin exit" '^exit: 1$' "$out"

# 5. Dot commands in a script; modes json and csv.
out=$(run -c ".mode json
SELECT 'a\"b' AS s, 2 AS n, NULL AS z, TRUE AS t;
.mode csv
SELECT 'x,y' AS s, 2 AS n, NULL AS z;
.mode changelog
SELECT 7 AS n;")
check "json/csv/changelog" '{"op":"+I","s":"a\"b","n":2,"z":null,"t":true}
op,s,n,z
+I,"x,y",2,
op | n
+I | 7
exit: 0' "$out"

# 6. Under the manual clock a continuous query goes to the background: its
# header prints at once, its rows later, tagged with its name.
cat >m.sql <<'EOF'
SET clock = 'manual';
CREATE SOURCE s (team VARCHAR, score BIGINT, ts TIMESTAMP)
  WITH (connector = 'memory');
SELECT team, score FROM s;
INSERT INTO s VALUES ('red', 5, TIMESTAMP '2026-01-01 12:00:00');
INSERT INTO s VALUES ('blue', 1, TIMESTAMP '2026-01-01 12:00:01');
EOF
out=$(run -f m.sql)
has "bg header" '^op \| team \| score$' "$out"
has "bg row 1" '^\[q1\] \+I \| red \| 5$' "$out"
has "bg row 2" '^\[q1\] \+I \| blue \| 1$' "$out"
has "bg exit" '^exit: 0$' "$out"

# 7. Table mode applies the changelog: the final table of an updating
# aggregate holds one row per team with its latest total.
cat >t.sql <<'EOF'
SET clock = 'manual';
CREATE SOURCE s (team VARCHAR, score BIGINT, ts TIMESTAMP)
  WITH (connector = 'memory');
.mode table
SELECT team, SUM(score) AS total FROM s GROUP BY team;
INSERT INTO s VALUES ('red', 5, TIMESTAMP '2026-01-01 12:00:00');
INSERT INTO s VALUES ('red', 7, TIMESTAMP '2026-01-01 12:00:01'),
                     ('blue', 1, TIMESTAMP '2026-01-01 12:00:02');
INSERT INTO s VALUES ('blue', 10, TIMESTAMP '2026-01-01 12:00:03');
EOF
out=$(run -f t.sql)
last=$(printf '%s\n' "$out" | awk '/^\[q1\]$/ {buf=""; keep=1; next} keep {buf=buf $0 "\n"} END {printf "%s", buf}')
check "upsert table" "┌──────┬───────┐
│ team │ total │
├──────┼───────┤
│ red  │    12 │
│ blue │    11 │
└──────┴───────┘
(2 rows)
exit: 0" "$last"

# 8. .read runs a file; its errors name that file's lines; flags.
printf '\n\nSELECT 2 AS b;\n  SELECT\n  nope FROM;\n' >r1.sql
out=$(run -c ".read r1.sql")
has ".read result" '│ b │' "$out"
has ".read error line" '^Error: line 5, column 12: ' "$out"
out=$(run --mode nope)
has "bad mode exit" '^exit: 2$' "$out"
out=$(run --version)
has "version" '^weir [0-9]+\.[0-9]+' "$out"
out=$(run -c ".frobnicate")
has "unknown dot command" '^Error: unknown command' "$out"
has "unknown dot exit" '^exit: 1$' "$out"

# 9. .view prints a materialized view's current contents as a table.
out=$(run -c "CREATE SOURCE s (k VARCHAR, v BIGINT) WITH (connector = 'memory');
CREATE MATERIALIZED VIEW mv AS SELECT k, SUM(v) AS t FROM s GROUP BY k;
INSERT INTO s VALUES ('a', 1), ('b', 2), ('a', 3);
.view mv
.view nope")
has ".view a" '^│ a │ 4 │$' "$out"
has ".view b" '^│ b │ 2 │$' "$out"
has ".view rows" '^\(2 rows\)$' "$out"
has ".view unknown" '^Error: no materialized view named nope$' "$out"
has ".view exit" '^exit: 1$' "$out"

# 10. A query writing to a sink that fails later (a CSV sink given a -U
# row) is reported when it fails, under the manual clock and the real one;
# the script goes on (the failure is not the running statement's) and
# exits 1 at the end.
for clock in manual real; do
  cat >f.sql <<EOF
SET clock = '$clock';
CREATE SOURCE b (t TIMESTAMP, p BIGINT, k VARCHAR) WITH (connector = 'memory');
CREATE SINK o5 WITH (connector = 'file', path = 'o5-$clock.csv', format = 'csv');
INSERT INTO o5 SELECT k, SUM(p) AS s FROM b GROUP BY k;
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:07:00', 1, 'x');
INSERT INTO b VALUES (TIMESTAMP '2026-01-01 08:07:00', 1, 'x');
SELECT 'after' AS a;
EOF
  err=$(timeout 30 "$weir" -f f.sql 2>&1 >/dev/null)
  out=$(timeout 30 "$weir" -f f.sql 2>/dev/null; echo "exit: $?")
  has "sink query failure reported ($clock)" '^Error: query q1 failed: ' "$err"
  has "script goes on after it ($clock)" '^│ after │$' "$out"
  has "sink query failure exit ($clock)" '^exit: 1$' "$out"
done

# 10b. A bounded query into a failing sink fails its own statement:
# reported once, and the script stops there.
if [ -w /dev/full ]; then
  printf '%s\n' "CREATE SOURCE f (k VARCHAR) WITH (connector = 'file', path = 'in.csv', format = 'csv');" \
    "CREATE SINK dfull WITH (connector = 'file', path = '/dev/full', format = 'csv');" \
    "INSERT INTO dfull SELECT k FROM f;" "SELECT 'after' AS a;" >g.sql
  printf 'k\nx\ny\n' >in.csv
  out=$(run -f g.sql)
  check "bounded sink failure once" 1 "$(printf '%s\n' "$out" | grep -c '^Error: query q1 failed: ')"
  has "bounded sink failure stops" '^exit: 1$' "$out"
  printf '%s\n' "$out" | grep -q '│ after │' &&
    { echo "FAIL: ran past a failed statement"; nfail=$((nfail + 1)); }
fi

# 11. A NUL byte in a script or piped input is reported where it is and
# read as a space: nothing around it is lost, later positions stay right.
printf "SELECT 'a' AS x;\000 SELECT 'b' AS y;\nSELECT;\n" >nul.sql
out=$(run -f nul.sql --keep-going)
has "NUL in script reported" '^Error: line 1, column 17: NUL byte in the input, read as a space$' "$out"
has "text after the NUL runs" '^│ b │$' "$out"
has "positions after the NUL" '^Error: line 2, column 7: syntax error' "$out"
out=$(printf "SELECT 'a' AS x;\000 SELECT 'b' AS y;\n" | timeout 30 "$weir" 2>&1)
has "NUL in piped input reported" '^Error: line 1, column 17: NUL byte in the input, read as a space$' "$out"
has "piped text after the NUL runs" '^│ b │$' "$out"

[ "$nfail" -eq 0 ] && echo "ok: repl.script"
[ "$nfail" -eq 0 ]
