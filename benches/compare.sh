#!/usr/bin/env bash
# Benchmarks side by side with the tools investigators would otherwise use. Every figure is a
# ratio against a peer run in this script, on the same input, on the same machine, alternating
# runs; absolute times on shared machines drift, ratios measured together do not.
#
# usage: benches/compare.sh [--smoke] [--runs K] [--write-docs]
#   default: 100,000 and 1,000,000 generated findings (seed 1), 30,000 and 1,000,000 names, 3 runs
#   --smoke: 2,000 and 10,000 findings, 2,000 names, 1 run (CI runs this so the script cannot rot)
#   --write-docs: replace the generated table in docs/benchmarks.md
# needs: python3; installs its peers itself where it can (sqlite3 from Debian, sqlite-utils and
# rapidfuzz in a virtual environment); a peer that cannot be installed is skipped, said so.
set -euo pipefail
cd "$(dirname "$0")/.."
small=100000 large=1000000 names_small=30000 runs=3 write_docs=0 smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 small=2000 large=10000 names_small=2000 runs=1 ;;
    --runs) runs=$2; shift ;;
    --write-docs) write_docs=1 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ ! -f ../shared/bench/gen_findings.py ]; then
  echo "skipped: ../shared/bench/gen_findings.py is absent (the generator the benchmarks use)" >&2
  exit 0
fi
work=${BENCH_DIR:-$(mktemp -d)}
bin="$PWD/target/release/comptrace"
gen=../shared/bench/gen_findings.py
[ -x "$bin" ] || cargo build --release --quiet
log() { echo "$*" >&2; }

# --- peers -------------------------------------------------------------------------------
if ! command -v sqlite3 >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq sqlite3) >/dev/null 2>&1 || true
fi
have_sqlite3=0; command -v sqlite3 >/dev/null 2>&1 && have_sqlite3=1
venv="$work/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install -q sqlite-utils rapidfuzz numpy scipy >/dev/null 2>&1 || true
fi
have_su=0; [ -x "$venv/bin/sqlite-utils" ] && have_su=1
have_rf=0; "$venv/bin/python" -c "import rapidfuzz, scipy" >/dev/null 2>&1 && have_rf=1
[ $have_sqlite3 = 1 ] || log "skipping sqlite3 pairs: the sqlite3 shell is not installed and cannot be"
[ $have_su = 1 ] || log "skipping the sqlite-utils pair: it could not be installed"
[ $have_rf = 1 ] || log "skipping the RapidFuzz pair: it could not be installed"

# --- inputs ------------------------------------------------------------------------------
for n in $small $large; do
  [ -f "$work/findings-$n.csv" ] || python3 "$gen" "$n" "$work/findings-$n.csv" --seed 1
done
python3 - "$work" "$large" "$names_small" <<'PY'
import csv, sys
work, large, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen, first = set(), []
with open(f"{work}/findings-{large}.csv", newline="") as f, open(f"{work}/names-large.csv", "w", newline="") as out:
    w = csv.writer(out); w.writerow(["id", "name", "manufacturer"])
    for i, row in enumerate(csv.DictReader(f), 1):
        name = row["part_number"] or row["component"]
        w.writerow([f"n{i}", name, row["manufacturer"]])
        if name not in seen and len(first) < want:
            seen.add(name); first.append([f"n{i}", name, row["manufacturer"]])
with open(f"{work}/names-small.csv", "w", newline="") as out:
    w = csv.writer(out); w.writerow(["id", "name", "manufacturer"]); w.writerows(first)
PY

# --- measuring ---------------------------------------------------------------------------
# time_of CMD...: runs CMD once, prints "seconds peak_kb"
time_of() { /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }; cat "$work/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
rows=()
# pair NAME FLOOR PREP_OURS OURS PREP_PEER PEER: alternate runs, record medians and the ratio
pair() {
  local name=$1 floor=$2 prep_ours=$3 ours=$4 prep_peer=$5 peer=$6 i o p
  : >"$work/ours" ; : >"$work/peer"
  for ((i = 0; i < runs; i++)); do
    eval "$prep_ours"; o=$(time_of bash -c "$ours"); echo "$o" >>"$work/ours"
    if [ -n "$peer" ]; then eval "$prep_peer"; p=$(time_of bash -c "$peer"); echo "$p" >>"$work/peer"; fi
  done
  local os om ps pm ratio
  os=$(cut -d' ' -f1 "$work/ours" | median); om=$(( $(cut -d' ' -f2 "$work/ours" | sort -n | tail -1) / 1024 ))
  if [ -n "$peer" ]; then
    ps=$(cut -d' ' -f1 "$work/peer" | median); pm=$(( $(cut -d' ' -f2 "$work/peer" | sort -n | tail -1) / 1024 ))
    ratio=$(python3 -c "print(f'{$os / max($ps, 0.001):.3g}')")
    rows+=("| $name | ${os} s, ${om} MB | ${ps} s, ${pm} MB | $ratio | $floor |")
  else
    ps="—"; pm="—"; ratio="—"
    rows+=("| $name | ${os} s, ${om} MB | — | — | $floor |")
  fi
  log "$name: ours ${os}s ${om}MB; peer ${ps}s ${pm}MB; ours/peer $ratio (target $floor)"
}

L="$work/findings-$large.csv"; S="$work/findings-$small.csv"; DB="$work/catalogue.db"; RAW="$work/raw.db"
fresh_ours="rm -f $DB $DB-wal $DB-shm; $bin --db $DB --quiet init"
fresh_raw="rm -f $RAW"
if [ $have_sqlite3 = 1 ]; then
  pair "bulk import, $large findings" "ours/peer ≤ 2.0 (peer: sqlite3 .import into one flat table)" \
    "$fresh_ours" "$bin --db $DB --quiet import $L" "$fresh_raw" "sqlite3 $RAW '.import --csv $L raw'"
else
  pair "bulk import, $large findings" "(no peer)" "$fresh_ours" "$bin --db $DB --quiet import $L" "" ""
fi
if [ $have_su = 1 ]; then
  pair "bulk import, $small findings" "ours/peer ≤ 0.1 (peer: sqlite-utils insert --csv)" \
    "$fresh_ours" "$bin --db $DB --quiet import $S" "$fresh_raw" "$venv/bin/sqlite-utils insert $RAW findings $S --csv"
fi
# the large catalogue for the queries
eval "$fresh_ours"; $bin --db $DB --quiet import $L
if [ $have_sqlite3 = 1 ]; then
  # what the schema alone costs: SQLite copying the rows just imported into an empty catalogue
  COPY="$work/copy.db"
  pair "SQLite alone writing the same $large-finding catalogue (lower bound)" "(informational: the least any import into this schema costs; peer: sqlite3 .import)" \
    "rm -f $COPY $COPY-wal $COPY-shm; $bin --db $COPY --quiet init" "sqlite3 -cmd \"ATTACH '$DB' AS src\" $COPY < benches/schema_floor.sql" \
    "$fresh_raw" "sqlite3 $RAW '.import --csv $L raw'"
fi
maker=$(sqlite3 "$DB" "SELECT o.name FROM organisation o JOIN part p ON p.manufacturer_id = o.id GROUP BY o.id ORDER BY count(*) DESC LIMIT 1 OFFSET 3" 2>/dev/null || echo "")
if [ $have_sqlite3 = 1 ] && [ -n "$maker" ]; then
  q_maker="SELECT p.uid, p.part_number, p.name, p.category, m.name, m.country, count(*), count(DISTINCT w.id), group_concat(DISTINCT w.name), min(o.observed_on), max(o.observed_on) FROM part p LEFT JOIN organisation m ON m.id = p.manufacturer_id JOIN part_spelling ps ON ps.part_id = p.id JOIN observation o ON o.part_spelling_id = ps.id JOIN weapon_spelling ws ON ws.id = o.weapon_spelling_id JOIN weapon w ON w.id = ws.weapon_id WHERE p.manufacturer_id IN (SELECT organisation_id FROM organisation_spelling WHERE text = '${maker//\'/\'\'}') GROUP BY p.id ORDER BY m.name, p.part_number"
  pair "query by maker, $large-finding catalogue" "ours/peer ≤ 1.5 (peer: the same SQL in sqlite3)" \
    ":" "$bin --db $DB parts --manufacturer \"$maker\" --format csv" ":" "sqlite3 -csv $DB \"$q_maker\""
  q_origin="SELECT coalesce(o.manufacturer_country, m.country), count(*), count(DISTINCT p.id) FROM observation o JOIN part_spelling ps ON ps.id = o.part_spelling_id JOIN part p ON p.id = ps.part_id LEFT JOIN organisation m ON m.id = p.manufacturer_id GROUP BY 1 ORDER BY 2 DESC"
  pair "origin report, $large-finding catalogue" "ours/peer ≤ 2.0 (peer: the GROUP BY in sqlite3)" \
    ":" "$bin --db $DB report origin --format csv" ":" "sqlite3 -csv $DB \"$q_origin\""
fi
if [ $have_rf = 1 ]; then
  pair "cluster $names_small distinct part names" "ours/peer ≤ 0.02 (peer: RapidFuzz cdist WRatio + components)" \
    ":" "$bin --quiet cluster --kind parts $work/names-small.csv --out $work/ours-clusters.csv" \
    ":" "$venv/bin/python benches/rapidfuzz_cluster.py $work/names-small.csv $work/peer-clusters.csv"
fi
pair "cluster $large part names" "under 30 s and 1 GB (no peer)" ":" "$bin --quiet cluster --kind parts $work/names-large.csv --out $work/ours-large.csv" "" ""

# --- report ------------------------------------------------------------------------------
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
table="Measured $(date -u +%Y-%m-%d) on ${cpu:-unknown CPU}, $(nproc) cores; median of $runs alternating runs; \`benches/compare.sh\`.

| work | comptrace | peer | ours/peer | target |
| --- | ---: | ---: | ---: | --- |"
for r in "${rows[@]}"; do table+=$'\n'"$r"; done
echo "$table"
if [ $write_docs = 1 ]; then
  python3 - "$table" <<'PY'
import sys, re
doc = open("docs/benchmarks.md").read()
start, end = "<!-- compare.sh: begin -->", "<!-- compare.sh: end -->"
block = f"{start}\n{sys.argv[1]}\n{end}"
doc = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: block, doc, flags=re.S) if start in doc else doc + "\n## Side by side (benches/compare.sh)\n\n" + block + "\n"
open("docs/benchmarks.md", "w").write(doc)
PY
fi
