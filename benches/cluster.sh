#!/usr/bin/env bash
# Times `comptrace cluster` on part names from generated findings, against RapidFuzz all-pairs
# WRatio + connected components on the same 30,000 names, and alone on 1,000,000 names.
# usage: benches/cluster.sh            (after cargo build --release; needs python3)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/comptrace
work=${BENCH_DIR:-$(mktemp -d)}
venv="$work/venv"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
[ -x "$venv/bin/python" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q rapidfuzz numpy scipy; }
[ -f "$work/findings-1000000.csv" ] || python3 ../shared/bench/gen_findings.py 1000000 "$work/findings-1000000.csv" --seed 1
python3 - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
seen, first = set(), []
with open(f"{work}/findings-1000000.csv", newline="") as f, open(f"{work}/names-1m.csv", "w", newline="") as out:
    w = csv.writer(out); w.writerow(["id", "name", "manufacturer"])
    for i, row in enumerate(csv.DictReader(f), 1):
        name = row["part_number"] or row["component"]
        w.writerow([f"n{i}", name, row["manufacturer"]])
        if name not in seen and len(first) < 30000:
            seen.add(name); first.append([f"n{i}", name, row["manufacturer"]])
with open(f"{work}/names-30k.csv", "w", newline="") as out:
    w = csv.writer(out); w.writerow(["id", "name", "manufacturer"]); w.writerows(first)
PY
t() { /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"; }
read -r ours ours_kb < <(t "$bin" cluster --kind parts "$work/names-30k.csv" --out "$work/ours-30k.csv")
read -r peer peer_kb < <(t "$venv/bin/python" benches/rapidfuzz_cluster.py "$work/names-30k.csv" "$work/peer-30k.csv")
read -r big big_kb < <(t "$bin" cluster --kind parts "$work/names-1m.csv" --out "$work/ours-1m.csv")
echo "30k distinct part names: comptrace ${ours}s $((ours_kb / 1024))MB; rapidfuzz ${peer}s $((peer_kb / 1024))MB; ratio peer/ours $(python3 -c "print(round($peer / $ours))")x"
echo "1M part names: comptrace ${big}s $((big_kb / 1024))MB"
for kind in parts manufacturers weapons; do
  "$bin" --quiet cluster --kind $kind ../shared/bench/matching/$kind-input.csv --out "$work/q-$kind.csv"
  echo "$kind quality (comptrace): $(python3 ../shared/bench/score_matching.py ../shared/bench/matching/$kind-truth.csv "$work/q-$kind.csv" | sed -n 2p)"
done
for kind in parts manufacturers weapons; do
  "$bin" --quiet cluster --kind $kind tests/fixtures/heldout/$kind-input.csv --out "$work/h-$kind.csv"
  echo "held-out $kind quality (comptrace): $(python3 ../shared/bench/score_matching.py tests/fixtures/heldout/$kind-truth.csv "$work/h-$kind.csv" | sed -n 2p)"
done
for kind in parts manufacturers weapons; do
  "$bin" --quiet cluster --kind $kind tests/fixtures/heldout2/$kind-input.csv --out "$work/u-$kind.csv"
  echo "untuned $kind quality (comptrace): $(python3 ../shared/bench/score_matching.py tests/fixtures/heldout2/$kind-truth.csv "$work/u-$kind.csv" | sed -n 2p)"
done
"$venv/bin/python" benches/rapidfuzz_cluster.py ../shared/bench/matching/parts-input.csv "$work/rf-parts.csv"
echo "parts quality (rapidfuzz WRatio>=90): $(python3 ../shared/bench/score_matching.py ../shared/bench/matching/parts-truth.csv "$work/rf-parts.csv" | sed -n 2p)"
