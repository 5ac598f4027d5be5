"""The benchmark's DuckDB side (SPEC 8): the same weekly and monthly numbers as slareport (v2:
with the order policy ship_24h, due policies, surveys), from the same gzip files, with read_csv
straight on the .gz files and the SQL of metrics.py (default threads). Writes {as_of, periods}
as JSON. The bench data is clean UTF-8 with English headers and values,
so no decoding or reject handling is needed here (that is crosscheck's job).

  python -m slacheck.duckbench --data DIR --config FILE --json OUT
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import duckdb

from . import config, ingest, metrics


def table_sql(con, settings, table: str, files: list[str]) -> tuple[str, set | None]:
    """(SELECT producing `<table>_in`, columns present in the files' headers or None without
    files) from the table's files, each file its own read_csv so its rank in the read order
    (SPEC 2.5) becomes the high bits of `seq`. Headers map through the same names as crosscheck
    (aliases, `[tables.X.columns]`). Within a file, rows that tie on updated_at keep DuckDB's
    order (read_csv has no row-number column)."""
    schema, tz = settings.schema, settings.timezone
    cols = {c.name: c for c in schema.columns[table]}
    score = next((c.name for c in cols.values() if c.type == "score"), None)
    parts, present = [], set()
    for rank, path in enumerate(files):
        src = f"read_csv({metrics.lit(path)}, header = true, all_varchar = true)"
        have = {}
        for (h,) in con.execute(f"SELECT column_name FROM (DESCRIBE SELECT * FROM {src})").fetchall():
            c = schema.names[table].get(config.normalise_header(h))
            if c:
                have[c] = metrics.q(h)
        present |= set(have)
        exprs = []
        for c in schema.out_columns(table):
            col, v = cols.get(c), have.get(c)
            if c == "seq":
                e = f"CAST({rank} AS BIGINT) << 32"
            elif c == "score_invalid":
                e = (f"CAST({have[score]} IS NOT NULL AND {have[score]} NOT IN ('1','2','3','4','5') AS INTEGER)"
                     if score in have else "0")
            elif v is None:
                e = "'normal'" if c == "priority" else f"CAST(NULL AS {col.sql_type})"
            elif col.type == "ts":
                cast = "TRY_CAST" if c in schema.deadlines[table] else "CAST"
                e = f"CAST(epoch(timezone({metrics.lit(tz)}, {cast}({v} AS TIMESTAMP))) AS BIGINT)"
            elif col.type == "score":
                e = f"CASE WHEN {v} IN ('1','2','3','4','5') THEN CAST({v} AS INTEGER) END"
            elif col.type == "priority":
                e = f"coalesce(lower({v}), 'normal')"
            elif col.type in config.ENUM_LOOKUP:
                e = f"lower({v})"
            elif col.type in ("int", "decimal"):
                e = f"TRY_CAST({v} AS {col.sql_type})"
            else:
                e = v
            exprs.append(f"{e} AS {metrics.q(c)}")
        parts.append(f"SELECT {', '.join(exprs)} FROM {src}")
    if not parts:  # an absent table: no rows, same columns
        return ("SELECT " + ", ".join(f"CAST(NULL AS {ty}) AS {metrics.q(c)}"
                                      for c, ty in schema.sql_types(table).items()) + " WHERE false"), None
    return " UNION ALL ".join(parts), present


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="slacheck.duckbench")
    ap.add_argument("--data", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--json", required=True, help="write {as_of, periods} here")
    ap.add_argument("--as-of", type=int, help="epoch seconds (default: SPEC 3's)")
    args = ap.parse_args(argv)
    settings = config.Settings.load(args.config)
    t0 = time.monotonic()
    con = duckdb.connect()
    files = ingest.discover(args.data, settings)
    present = {}
    for table in config.TABLES:
        sql, present[table] = table_sql(con, settings, table, files[table])
        con.execute(f"CREATE TEMP TABLE {table}_in AS {sql}")
    t1 = time.monotonic()
    as_of, periods = metrics.periods(con, settings, present, args.as_of)
    t2 = time.monotonic()
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump({"as_of": as_of, "periods": periods, "seconds": {"load": t1 - t0, "metrics": t2 - t1}},
                  f, ensure_ascii=False, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
