#!/usr/bin/env bash
# tests/run_sql_test.sh WEIR FILE.sql — a golden SQL test. Runs the script
# with `weir -f FILE.sql --keep-going` in FILE's folder, appends the exit
# code, and compares stdout+stderr with FILE.out. With UPDATE=1 it writes
# FILE.out instead (check a new golden file by hand before committing it).
set -u
weir=$1; sql=$2
out=${sql%.sql}.out
cd "$(dirname "$sql")"
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
flags="--keep-going"
head -1 "$sql" | grep -q -- '-- stop-on-error' && flags=""
"$weir" -f "$(basename "$sql")" $flags >"$actual" 2>&1
echo "exit: $?" >>"$actual"
if [ "${UPDATE:-0}" = 1 ]; then cp "$actual" "$out"; exit 0; fi
if ! diff -u "$out" "$actual"; then
  echo "golden mismatch: $out"
  exit 1
fi
