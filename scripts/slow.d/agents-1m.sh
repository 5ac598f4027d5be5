#!/usr/bin/env bash
# Slow case: 1 M tickets in one week, each with its own agent (issue: bounded memory for many
# distinct agents). Passes when the run succeeds, lists every agent, and its peak RSS stays under
# MAX_RSS_MB (default 1024). Prints the peak RSS and wall time measured by /usr/bin/time -v.
#   scripts/slow.d/agents-1m.sh                 # uses .build/release/slareport
#   SLAREPORT_BIN=path N=1000000 SPREAD=year MAX_RSS_MB=1024 scripts/slow.d/agents-1m.sh
# SPREAD=week (default) puts every ticket in 2026-W46; SPREAD=year spreads them over 2025 (a
# past year, whatever the day the case runs: later timestamps are rejected).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${SLAREPORT_BIN:-$root/.build/release/slareport}"
[ -x "$bin" ] || { echo "FAIL: no slareport binary at $bin (swift build -c release, or set SLAREPORT_BIN)"; exit 1; }
n="${N:-1000000}"
spread="${SPREAD:-week}"
max_mb="${MAX_RSS_MB:-1024}"
work="$(mktemp -d "${TMPDIR:-/tmp}/slareport-agents.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"

# Ticket i: agent AG<i>, created in 2026-W46 (or on day i mod 364 of 2025), answered after
# (i mod 30) hours, so first_response is met for some agents and breached for others.
awk -v n="$n" -v spread="$spread" 'BEGIN {
    print "ticket_id,created_at,type,agent,priority,first_response_at,resolved_at"
    for (i = 0; i < n; i++) {
        if (spread == "year") { doy = i % 364; m = 1; d = doy + 1
            split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ")
            while (d > ml[m]) { d -= ml[m]; m++ } day = sprintf("2025-%02d-%02d", m, d) }
        else day = sprintf("2026-11-%02d", 9 + i % 7)
        h = i % 30
        printf "T%07d,%s 08:00,inquiry,AG%07d,normal,%s %02d:00,\n", i, day, i, day, (h < 16 ? 8 + h : 23)
    }
}' > "$work/in/tickets.csv"

printf 'timezone = "UTC"\nperiods = ["week", "month"]\n' > "$work/slareport.toml"
. "$(dirname "$0")/lib.bash"
peak_kb "$bin" run --quiet --config "$work/slareport.toml" --input "$work/in" --out "$work/out" \
    --as-of 2026-12-31T00:00:00Z || { echo "FAIL: run exited non-zero"; exit 1; }
rss_kb=$PEAK_KB
wall="$SECONDS_TAKEN s"
listed=$(cat "$work"/out/20??-W??/agents.csv | grep -c '^AG' || true)
echo "agents-1m (N=$n, SPREAD=$spread): peak RSS $((rss_kb / 1024)) MB, wall $wall, agents listed in weeks' agents.csv $listed"
status=0
if [ "$listed" -ne "$n" ]; then echo "FAIL: expected $n agent rows in the weeks' agents.csv, got $listed"; status=1; fi
if [ $((rss_kb / 1024)) -ge "$max_mb" ]; then echo "FAIL: peak RSS over $max_mb MB"; status=1; fi
exit "$status"
