#!/usr/bin/env bash
# Times `comptrace serve` pages on a generated catalogue: 20 sequential requests per page with
# curl's time_total (seconds, the server's time plus loopback), median and max. A report page is
# asked for 20 times too: the first builds it, the rest come from the report cache (the
# X-Comptrace-Cache header of each answer is counted), and the same CLI report is timed once.
# usage: benches/web.sh [ROWS]   (default 100000; after cargo build --release; BIN=... to time
# another build; BENCH_DIR=... keeps and reuses the generated catalogue)
# Not measured here yet: 50 concurrent readers and 5 writers (issue 19's concurrency run).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/release/comptrace}
gen=../shared/bench/gen_findings.py
work=${BENCH_DIR:-$(mktemp -d)}
rows=${1:-100000}
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 1; }
csv="$work/findings-$rows.csv"; db="$work/catalogue-$rows.db"
[ -f "$csv" ] || python3 "$gen" "$rows" "$csv" --seed 1
if [ ! -f "$db" ]; then
  "$bin" --db "$db" --quiet init
  "$bin" --db "$db" --quiet import "$csv"
fi
log="$work/serve.log"
"$bin" --db "$db" serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q http "$log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
[ -n "$base" ] || { echo "the server did not start: $(cat "$log")" >&2; exit 1; }
weapon=$("$bin" --db "$db" weapons --format csv | sed -n 2p | cut -d, -f1)
part=$("$bin" --db "$db" parts --format csv | sed -n 2p | cut -d, -f1)
time_page() { # PATH: median and max of 20 requests, and how many were cache hits
  local path=$1 times=() hits=0
  for _ in $(seq 20); do
    out=$(curl -s -o /dev/null -D - -w 'TIME %{time_total} %{http_code}\n' "$base$path")
    code=$(awk '/^TIME/ {print $3}' <<<"$out")
    [ "$code" = 200 ] || { echo "$path answered $code" >&2; exit 1; }
    times+=("$(awk '/^TIME/ {print $2}' <<<"$out")")
    grep -qi '^x-comptrace-cache: hit' <<<"$out" && hits=$((hits + 1))
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v p="$path" -v h="$hits" \
    '{t[NR]=$1} END {printf "%-45s median_ms=%.0f max_ms=%.0f cache_hits=%d/20\n", p, t[int((NR+1)/2)]*1000, t[NR]*1000, h}'
}
echo "rows=$rows catalogue=$db"
for path in / /weapons "/weapons/$weapon" /parts "/parts?page=2" "/parts/$part" /makers \
  "/search?q=camera" /reports/origin "/reports/date-codes?after=2022-02-24" /reports/chpl; do
  time_page "$path"
done
for kind in origin chpl; do
  /usr/bin/time -f "cli report $kind: %e s" "$bin" --db "$db" report "$kind" --format html >/dev/null
done
