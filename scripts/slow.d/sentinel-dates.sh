# Sentinel dates (1900-01-01, 2199-12-31) are rejected as out of range: no thousands of empty
# week folders, and as_of is not moved to 2199.
set -euo pipefail
. "$(dirname "$0")/lib.bash"
cd "$WORK"
"$SLAGEN" --seed 3 --orders 20000 --tickets 4000 --weeks 8 --out in >/dev/null
printf 'ticket_id,created_at,type\nT-S1,1900-01-01 00:00:00,inquiry\nT-S2,2199-12-31 23:59:59,inquiry\n' > in/tickets-sentinel.csv
peak_kb "$SLAREPORT" run --quiet --input in --out out --max-reject-rate 1
weeks=$(find -L out -maxdepth 1 -name '*-W*' | wc -l)
rej=$(grep -c 'timestamp_out_of_range' out/rejects.csv || true)
asof=$(grep -o '"as_of": "[^"]*"' out/run.json)
echo "sentinel dates: $weeks week folders, $rej rejected as out of range, $asof, $SECONDS_TAKEN s"
[ "$weeks" -le 9 ] && [ "$rej" -ge 2 ] && ! grep -q '2199' <<<"$asof"
