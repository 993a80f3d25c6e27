#!/usr/bin/env bash
# Measures `comptrace import` on generated findings: wall time, peak memory, and that a second
# import of the same file changes no count and leaves the catalogue consistent.
# usage: benches/import.sh [ROWS ...]      (default: 100000 1000000; after cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/comptrace
gen=../shared/bench/gen_findings.py
work=${BENCH_DIR:-$(mktemp -d)}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
counts() {
  for t in observation part organisation weapon weapon_unit source; do
    printf '%s=%s ' "$t" "$(sqlite3 "$1" "SELECT count(*) FROM $t")"
  done
}
for rows in "${@:-100000 1000000}"; do
  csv="$work/findings-$rows.csv"; db="$work/catalogue-$rows.db"
  [ -f "$csv" ] || python3 "$gen" "$rows" "$csv" --seed 1
  rm -f "$db" "$db-wal" "$db-shm"
  "$bin" --db "$db" --quiet init
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --db "$db" --quiet import "$csv"
  read -r secs kb < "$work/time"
  first=$(counts "$db")
  /usr/bin/time -f "%e %M" -o "$work/time2" "$bin" --db "$db" --quiet import "$csv"
  read -r secs2 kb2 < "$work/time2"
  second=$(counts "$db")
  check=$(sqlite3 "$db" "PRAGMA integrity_check; PRAGMA foreign_key_check;" | tr '\n' ' ')
  echo "rows=$rows import_s=$secs peak_mb=$((kb / 1024)) reimport_s=$secs2 reimport_peak_mb=$((kb2 / 1024)) same_counts=$([ "$first" = "$second" ] && echo yes || echo NO) integrity='$check'"
  echo "  counts: $first"
done
