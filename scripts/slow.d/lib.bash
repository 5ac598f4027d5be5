# Helpers for the slow cases (sourced).
# peak_kb CMD...: runs CMD under /usr/bin/time, prints its output, sets PEAK_KB and SECONDS_TAKEN,
# returns CMD's exit status.
peak_kb() {
    local t status
    t=$(mktemp)
    set +e
    /usr/bin/time -f "%M %e" -o "$t" "$@"
    status=$?
    set -e
    read -r PEAK_KB SECONDS_TAKEN < <(tail -1 "$t")
    rm -f "$t"
    return $status
}
