# One million rejected rows (an unreadable created_at on every row): rejects stream to disk, so
# peak memory stays under 300 MB; rejects.csv lists every one.
set -euo pipefail
. "$(dirname "$0")/lib.bash"
cd "$WORK"
mkdir in
awk 'BEGIN { print "ticket_id,created_at,type"; for (i = 1; i <= 1000000; i++) printf "T%d,not a time %d,inquiry\n", i, i }' > in/tickets.csv
peak_kb "$SLAREPORT" run --quiet --input in --out out --max-reject-rate 1 || true
rows=$(($(wc -l < out/rejects.csv) - 1))
echo "1 M rejected rows: peak RSS $((PEAK_KB / 1024)) MB, $SECONDS_TAKEN s; rejects.csv rows: $rows"
[ "$rows" -eq 1000000 ] && [ "$PEAK_KB" -lt $((300 * 1024)) ] || exit 1
# validate counts them without keeping them.
peak_kb "$SLAREPORT" validate --input in > validate.txt || true
grep -q "1000000 rows, 1000000 rejected" validate.txt
echo "validate, 1 M rejected rows: peak RSS $((PEAK_KB / 1024)) MB, $SECONDS_TAKEN s"
[ "$PEAK_KB" -lt $((300 * 1024)) ]
