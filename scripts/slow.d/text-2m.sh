#!/usr/bin/env bash
# Slow case: 2 M distinct text values across the ticket columns (500 k complaint tickets in one
# week, each with its own category, channel, merchant and product). Memory per distinct value
# must stay within a few hundred bytes: passes when the run succeeds and its peak RSS stays under
# MAX_RSS_MB (default 1024). Prints the peak RSS and wall time measured by /usr/bin/time -v.
#   SLAREPORT_BIN=path N=500000 MAX_RSS_MB=1024 scripts/slow.d/text-2m.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${SLAREPORT_BIN:-$root/.build/release/slareport}"
[ -x "$bin" ] || { echo "FAIL: no slareport binary at $bin (swift build -c release, or set SLAREPORT_BIN)"; exit 1; }
n="${N:-500000}"
max_mb="${MAX_RSS_MB:-1024}"
work="$(mktemp -d "${TMPDIR:-/tmp}/slareport-text.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"

awk -v n="$n" 'BEGIN {
    print "ticket_id,created_at,type,category,channel,merchant_id,product_id,first_response_at"
    for (i = 0; i < n; i++) {
        day = sprintf("2026-11-%02d", 9 + i % 7)
        printf "T%07d,%s 08:00,complaint,category-%07d,channel-%07d,M%07d,P%07d,%s 09:00\n", i, day, i, i, i, i, day
    }
}' > "$work/in/tickets.csv"

printf 'timezone = "UTC"\nperiods = ["week", "month"]\n' > "$work/slareport.toml"
. "$(dirname "$0")/lib.bash"
peak_kb "$bin" run --quiet --config "$work/slareport.toml" --input "$work/in" --out "$work/out" \
    --as-of 2026-12-31T00:00:00Z || { echo "FAIL: run exited non-zero"; exit 1; }
rss_kb=$PEAK_KB
wall="$SECONDS_TAKEN s"
created=$(grep -o '"created": [0-9]*' "$work/out/2026-W46/summary.json" | head -1 | grep -o '[0-9]*$')
echo "text-2m (N=$n tickets, $((4 * n)) distinct values): peak RSS $((rss_kb / 1024)) MB, wall $wall"
status=0
if [ "$created" != "$n" ]; then echo "FAIL: expected $n tickets created in 2026-W46, summary.json says $created"; status=1; fi
if [ $((rss_kb / 1024)) -ge "$max_mb" ]; then echo "FAIL: peak RSS over $max_mb MB"; status=1; fi
exit "$status"
