"""The benchmark's DuckDB side (SPEC 8): the same weekly numbers as slareport, from the same
gzip files, with read_csv straight on the .gz files and the SQL of metrics.py (default threads).
Writes {as_of, weeks} as JSON. The bench data is clean UTF-8 with English headers and values,
so no decoding or reject handling is needed here (that is crosscheck's job).

  python -m slacheck.duckbench --data DIR --config FILE --json OUT
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import duckdb

from . import ingest, metrics


def table_sql(con, table: str, files: list[str], tz: str) -> str:
    """SELECT producing `<table>_in` from the table's files, each file its own read_csv so its
    rank in the read order (SPEC 2.5) becomes the high bits of `seq`. Within a file, rows that
    tie on updated_at keep DuckDB's order (read_csv has no row-number column)."""
    parts = []
    for rank, path in enumerate(files):
        src = f"read_csv({metrics.lit(path)}, header = true, all_varchar = true)"
        have = {c for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE SELECT * FROM {src})").fetchall()}
        cols = []
        for c in ingest.OUT_COLUMNS[table]:
            ty = ingest.COLUMNS[table].get(c, ("", False, []))[0]
            if c == "seq":
                e = f"CAST({rank} AS BIGINT) << 32"
            elif c == "score_invalid":
                e = ("CAST(satisfaction IS NOT NULL AND satisfaction NOT IN ('1','2','3','4','5') AS INTEGER)"
                     if "satisfaction" in have else "0")
            elif c not in have:
                e = "NULL"
            elif ty == "ts":
                e = f"CAST(epoch(timezone({metrics.lit(tz)}, CAST({c} AS TIMESTAMP))) AS BIGINT)"
            elif ty == "score":
                e = f"CASE WHEN {c} IN ('1','2','3','4','5') THEN CAST({c} AS INTEGER) END"
            elif ty == "priority":
                e = f"coalesce(lower({c}), 'normal')"
            elif ty in ingest.ENUM_LOOKUP:
                e = f"lower({c})"
            else:
                e = c
            cols.append(f"{e} AS {c}")
        parts.append(f"SELECT {', '.join(cols)} FROM {src}")
    if not parts:  # an absent table: no rows, same columns
        return "SELECT " + ", ".join(f"CAST(NULL AS {'BIGINT' if c in ingest.TS_COLUMNS[table] or c == 'seq' else 'VARCHAR'}) AS {c}"
                                     for c in ingest.OUT_COLUMNS[table]) + " WHERE false"
    return " UNION ALL ".join(parts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="slacheck.duckbench")
    ap.add_argument("--data", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--json", required=True, help="write {as_of, weeks} here")
    ap.add_argument("--as-of", type=int, help="epoch seconds (default: SPEC 3's)")
    args = ap.parse_args(argv)
    settings = ingest.Settings.load(args.config)
    t0 = time.monotonic()
    con = duckdb.connect()
    files = ingest.discover(args.data)
    for table in ingest.TABLES:
        con.execute(f"CREATE TEMP TABLE {table}_in AS {table_sql(con, table, files[table], settings.timezone)}")
    t1 = time.monotonic()
    as_of, weeks = metrics.weekly(con, settings, args.as_of)
    t2 = time.monotonic()
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump({"as_of": as_of, "weeks": weeks, "seconds": {"load": t1 - t0, "metrics": t2 - t1}},
                  f, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
