# Sourced by scripts/crosscheck and scripts/bench: a Python 3.11+ venv with DuckDB, made once in
# <repo>/.venv-bench (git-ignored) and reused. Sets SLACHECK_PY and PYTHONPATH for `-m slacheck.*`.
slacheck_python() {
    local root="$1" venv="$1/.venv-bench" req="$1/scripts/slacheck/requirements.txt"
    if [ ! -x "$venv/bin/python" ] || ! cmp -s "$req" "$venv/requirements.txt"; then
        echo "setting up $venv (duckdb from PyPI)…" >&2
        python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
            { echo "python3 >= 3.11 is needed (tomllib, zoneinfo)" >&2; return 1; }
        python3 -m venv "$venv" >&2
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" >&2
        cp "$req" "$venv/requirements.txt"
    fi
    SLACHECK_PY="$venv/bin/python"
    export PYTHONPATH="$root/scripts${PYTHONPATH:+:$PYTHONPATH}"
}
