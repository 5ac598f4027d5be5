# kill -9 at random instants of a run over a copy of published reports, KILLS times (default 80).
# Right after each kill — before any other run — a reader of the folder must see the old set or
# the new one, file for file; the next run must succeed and leave no temporary files and at most
# two generations.
set -euo pipefail
cd "$WORK"
kills=${KILLS:-80}
"$SLAGEN" --seed 1 --orders 40000 --tickets 8000 --weeks 16 --out a >/dev/null
"$SLAGEN" --seed 2 --orders 40000 --tickets 8000 --weeks 20 --out b >/dev/null
# What a reader sees: every file reachable by the public names (links followed), with its hash;
# run.json aside (its timings differ from run to run).
view() {
    (cd "$1" && find -L . \( -name '.*' ! -name . \) -prune -o -type f ! -name run.json -print0 2>/dev/null |
        sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}
"$SLAREPORT" run --quiet --input a --out base
cp -a base ref
start=$(date +%s.%N)
"$SLAREPORT" run --quiet --input b --out ref
took=$(echo "$(date +%s.%N) - $start" | bc)
old=$(view base)
new=$(view ref)
[ "$old" != "$new" ] || { echo "the two inputs give the same reports"; exit 1; }
echo "a run takes ${took} s; killing $kills times at random instants from 0.3x to 1.1x that (most in the writing phase)"
seen_old=0 seen_new=0 mixed=0 bad_next=0
for i in $(seq 1 "$kills"); do
    rm -rf victim
    cp -a base victim
    delay=$(awk -v s="$RANDOM" -v t="$took" 'BEGIN { srand(s); printf "%.3f", (0.3 + rand() * 0.8) * t }')
    "$SLAREPORT" run --quiet --input b --out victim &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    v=$(view victim)
    if [ "$v" = "$old" ]; then seen_old=$((seen_old + 1))
    elif [ "$v" = "$new" ]; then seen_new=$((seen_new + 1))
    else mixed=$((mixed + 1)); echo "kill $i after ${delay}s: a mix"; fi
    if ! "$SLAREPORT" run --quiet --input b --out victim; then bad_next=$((bad_next + 1)); echo "kill $i: the next run failed"; fi
    leftovers=$(find victim -maxdepth 1 -name '.tmp-*' | wc -l)
    gens=$(find victim/.gen -mindepth 1 -maxdepth 1 | wc -l)
    if [ "$leftovers" -ne 0 ] || [ "$gens" -gt 2 ] || [ "$(view victim)" != "$new" ]; then
        bad_next=$((bad_next + 1)); echo "kill $i: after the next run: $leftovers temporary files, $gens generations"
    fi
done
echo "$kills kills: $seen_old old, $seen_new new, $mixed mixed; next run wrong $bad_next times"
[ "$mixed" -eq 0 ] && [ "$bad_next" -eq 0 ]
