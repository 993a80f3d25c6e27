#!/usr/bin/env bash
# Measures `comptrace shipments import` against `comptrace import` on the same number of rows,
# and `report route` on the catalogue the shipments leave: wall time and peak memory.
# usage: benches/shipments.sh [ROWS ...]   (default: 100000 1000000; after cargo build --release)
# Each size: ROWS generated findings imported into a fresh catalogue (the baseline), then ROWS
# generated shipments whose part numbers come from those findings imported into it, then
# `report route` for the part with the most links and for its maker.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/comptrace
gen=../shared/bench/gen_findings.py
work=${BENCH_DIR:-$(mktemp -d)}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
timed() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null; read -r secs kb < "$work/time"; echo "$secs $((kb / 1024))"; }
for rows in "${@:-100000 1000000}"; do
  findings="$work/findings-$rows.csv"; shipments="$work/shipments-$rows.csv"; db="$work/supply-$rows.db"
  [ -f "$findings" ] || python3 "$gen" "$rows" "$findings" --seed 1
  [ -f "$shipments" ] || python3 benches/gen_shipments.py "$rows" "$shipments" --seed 1 --parts-from "$findings"
  rm -f "$db" "$db-wal" "$db-shm"
  "$bin" --db "$db" --quiet init
  read -r f_s f_mb <<< "$(timed "$bin" --db "$db" --quiet import "$findings")"
  read -r s_s s_mb <<< "$(timed "$bin" --db "$db" --quiet shipments import "$shipments")"
  links=$(sqlite3 "$db" "SELECT count(*) FROM supply_link")
  part=$(sqlite3 "$db" "SELECT p.part_number FROM supply_link l JOIN part p ON p.id = l.part_id GROUP BY l.part_id ORDER BY count(*) DESC LIMIT 1")
  maker=$(sqlite3 "$db" "SELECT m.name FROM part p JOIN organisation m ON m.id = p.manufacturer_id WHERE p.part_number = '$part' LIMIT 1")
  read -r r_s r_mb <<< "$(timed "$bin" --db "$db" --quiet report route --part "$part" --format json)"
  read -r m_s m_mb <<< "$(timed "$bin" --db "$db" --quiet report route --manufacturer "$maker" --format json)"
  ratio=$(python3 -c "print(round($s_s / max($f_s, 0.001), 2))")
  echo "rows=$rows findings_import_s=$f_s peak_mb=$f_mb shipments_import_s=$s_s peak_mb=$s_mb ratio=$ratio links=$links"
  echo "  route --part $part: ${r_s}s ${r_mb}MB; route --manufacturer '$maker': ${m_s}s ${m_mb}MB"
done
