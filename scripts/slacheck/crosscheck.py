"""Recomputes slareport's weekly and monthly numbers from its inputs without slareport and
compares them with a folder of reports (SPEC 2, 3, 5, 6). Run through scripts/crosscheck."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import duckdb

from . import compare, ingest, metrics, openitems

CUTOFF_KEY = "timestamp_cutoff"  # where --record writes the cutoff it used


def load_normalised(con, schema, paths: dict[str, str]) -> None:
    """The normalised CSVs as the relations metrics.py reads."""
    for table, path in paths.items():
        spec = ", ".join(f"{metrics.lit(c)}: {metrics.lit(ty)}" for c, ty in schema.sql_types(table).items())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table}_in AS SELECT * FROM "
                    f"read_csv({metrics.lit(path)}, header = true, columns = {{{spec}}}, "
                    f"quote = '\"', escape = '\"', nullstr = '', strict_mode = true)")


def run_slareport(binary: str, data: str, config: str | None, out: str, as_of: str | None) -> None:
    # The fixtures reject far more than 5 % of their rows on purpose; v2 would not publish.
    cmd = [binary, "run", "--input", data, "--out", out, "--quiet", "--max-reject-rate", "1"]
    if config:
        cmd += ["--config", config]
    if as_of:
        cmd += ["--as-of", as_of]
    print("running: " + " ".join(cmd), file=sys.stderr)
    rc = subprocess.run(cmd).returncode
    if rc == 65 and compare.load_reports(out):
        print("slareport exited 65 (over the reject rate) after writing its reports; comparing them",
              file=sys.stderr)
    elif rc != 0:
        raise SystemExit(f"slareport run exited {rc}")


def find_cutoff(run_json: str, zone) -> int | None:
    """SPEC 2.6: the wall-clock cutoff a run used, from its run.json: the first key (at any
    depth) whose name holds "cutoff" and whose value is a timestamp. None when there is none."""
    if not os.path.exists(run_json):
        return None
    with open(run_json, encoding="utf-8") as f:
        doc = json.load(f)
    todo = [doc]
    while todo:
        d = todo.pop(0)
        if isinstance(d, dict):
            for k, v in d.items():
                if "cutoff" in k.lower() and isinstance(v, str) and ingest.parse_ts(v.strip(), zone) is not None:
                    return ingest.parse_ts(v.strip(), zone)
                if "cutoff" in k.lower() and isinstance(v, int) and not isinstance(v, bool):
                    return v
                todo.append(v)
        elif isinstance(d, list):
            todo.extend(d)
    return None


def table_counts(con, norm: ingest.Normaliser) -> dict[str, dict]:
    """run.json's per-table row counts as this side sees them (call after metrics.dedup)."""
    counts = {}
    for t in ingest.TABLES:
        unique = con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        kinds = {k: n for (tt, k), n in sorted(norm.rejects.items()) if tt == t}
        counts[t] = {"rows_read": norm.read[t], "rejected": sum(kinds.values()), "rejected_by_kind": kinds,
                     "duplicates_merged": len(norm.rows[t]) - unique, "unique": unique}
    return counts


def compare_run_json(counts: dict[str, dict], skipped: dict[str, str], reports: str, tally: compare.Tally) -> None:
    """run.json's per-table row counts (read, rejected by kind, merged duplicates, unique) and
    skipped_policies."""
    path = os.path.join(reports, "run.json")
    if not os.path.exists(path):
        tally.check("run.json", "run.json", "present", "<absent>")
        return
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    tables = doc.get("tables", {})
    want_skipped = [{"policy": p, "column": c} for p, c in skipped.items()]
    got_skipped = doc.get("skipped_policies", [] if not want_skipped else "<absent>")
    tally.check("run.json", "skipped_policies", want_skipped, got_skipped)
    for t, want in counts.items():
        if t not in tables and not want["rows_read"]:
            continue  # a table without rows may be left out
        got = tables.get(t, {})
        for key in ("rows_read", "rejected", "duplicates_merged", "unique"):
            tally.check("run.json", f"tables.{t}.{key}", want[key], got.get(key, "<absent>"),
                        generic=f"run.json tables.*.{key}")
        kinds, by_kind = want["rejected_by_kind"], got.get("rejected_by_kind", {})
        for k in sorted(set(kinds) | set(by_kind)):
            tally.check("run.json", f"tables.{t}.rejected_by_kind.{k}", kinds.get(k, 0), by_kind.get(k, 0),
                        generic="run.json tables.*.rejected_by_kind{}")


def record(out: str, norm: ingest.Normaliser, con, settings, as_of: int, weeks: dict, skipped: dict) -> None:
    """Expectations in slareport's layout: summary.json per week and month (numbers rounded to
    4 places as SPEC 6 says; business-clock states null: not computed here) and run.json's
    table counts, skipped policies and the timestamp cutoff the expectations assume."""
    def rounded(x):
        if isinstance(x, float):
            return round(x, 4)
        if isinstance(x, dict):
            return {k: rounded(v) for k, v in x.items()}
        return [rounded(v) for v in x] if isinstance(x, list) else x
    stamp = iso(as_of, settings.timezone)
    for name, w in weeks.items():
        # Agents are not part of the hand-checked expectations (compared against slareport only).
        w = {**rounded({k: v for k, v in w.items() if k != "agents"}), "timezone": settings.timezone, "as_of": stamp}
        for s in w["sla"]:
            if s["clock"] == "business":
                s.update(met=None, breached=None, pending=None)
        os.makedirs(os.path.join(out, name), exist_ok=True)
        with open(os.path.join(out, name, "summary.json"), "w", encoding="utf-8") as f:
            json.dump(w, f, ensure_ascii=False, indent=1)
            f.write("\n")
    doc = {"tool": "scripts/crosscheck --record (expectation; tables, skipped policies and cutoff only)",
           CUTOFF_KEY: iso(norm.cutoff, settings.timezone) if norm.cutoff is not None else None,
           "tables": table_counts(con, norm),
           "skipped_policies": [{"policy": p, "column": c} for p, c in skipped.items()]}
    with open(os.path.join(out, "run.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


def iso(t: int, tz: str) -> str:
    return dt.datetime.fromtimestamp(t, ingest.ZoneInfo(tz)).isoformat()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/crosscheck", description=__doc__,
                                 epilog="Compared: " + compare.COMPARED,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="input folder (scanned as slareport --input does)")
    ap.add_argument("--config", help="slareport.toml (timezone, encoding, aliases, policies, top_n, …)")
    ap.add_argument("--reports", help="compare this existing report folder instead of running slareport")
    ap.add_argument("--slareport", help="the slareport binary to run (with --out in a temporary folder)")
    ap.add_argument("--as-of", help="as_of for both sides (default: slareport's, checked against SPEC 3's)")
    ap.add_argument("--work", help="keep the normalised CSVs here")
    ap.add_argument("--print", action="store_true", help="print the computed weeks as JSON and stop")
    ap.add_argument("--record", metavar="DIR", help="write the computed weeks as <week>/summary.json and the row "
                    "counts as run.json under DIR (expectations for fixtures, checked by hand) and stop")
    ap.add_argument("--cutoff", help="the latest accepted event timestamp (SPEC 2.6: a run's wall clock + 2 days); "
                    "default: the one in the compared run.json, else now + 2 days")
    args = ap.parse_args(argv)

    settings = ingest.Settings.load(args.config)
    zone = ingest.ZoneInfo(settings.timezone)
    reports = args.reports
    compare_mode = not (args.print or args.record)
    if compare_mode and reports is None:
        if not args.slareport:
            raise SystemExit("give --reports DIR or --slareport BIN")
        reports = os.path.join(tempfile.mkdtemp(prefix="slacheck-reports-"), "reports")
        run_slareport(args.slareport, args.data, args.config, reports, args.as_of)
    if args.cutoff:
        cutoff = ingest.parse_as_of(args.cutoff, zone)
    else:
        cutoff = find_cutoff(os.path.join(reports, "run.json"), zone) if reports else None
        if cutoff is None:
            cutoff = int(time.time()) + 2 * 86400
            if compare_mode:
                print(f"no cutoff in {reports}/run.json: using now + 2 days", file=sys.stderr)

    work = args.work or tempfile.mkdtemp(prefix="slacheck-")
    norm = ingest.Normaliser(settings, cutoff)
    norm.load_folder(args.data)
    paths = norm.write(work)
    for table in ingest.TABLES:
        reasons = {r: n for (t, r), n in sorted(norm.rejects.items()) if t == table}
        print(f"{table}: {norm.read[table]} rows read, {sum(reasons.values())} rejected {reasons or ''}",
              file=sys.stderr)

    con = duckdb.connect()
    load_normalised(con, settings.schema, paths)
    own_as_of = metrics.default_as_of(con, settings.schema)
    present = norm.header_info()
    skipped = metrics.skipped_policies(settings, present)

    if not compare_mode:
        as_of = ingest.parse_as_of(args.as_of, zone) if args.as_of else None
        as_of, periods = metrics.periods(con, settings, present, as_of)
        if args.record:
            record(args.record, norm, con, settings, as_of, periods, skipped)
        else:
            json.dump({"as_of": as_of, "periods": periods}, sys.stdout, ensure_ascii=False, indent=1, default=str)
            print()
        return 0

    actual = compare.load_reports(reports)
    if not actual:
        raise SystemExit(f"no <period>/summary.json under {reports}")

    tally = compare.Tally()
    stated = compare.reported_as_of(actual, tally)
    as_of = ingest.parse_as_of(args.as_of or stated, zone)
    if not args.as_of:
        tally.check("*", "as_of (SPEC 3 default)", own_as_of, as_of)
    _, expected = metrics.periods(con, settings, present, as_of)
    compare.compare(expected, actual, tally)
    compare_run_json(table_counts(con, norm), skipped, reports, tally)
    # open_items.csv: required of a slareport run; hand-written expectation folders may lack it.
    openitems.compare(con, settings, skipped, as_of, reports, tally, required=args.reports is None)
    ok = tally.report(sys.stdout)
    weeks = sum(1 for p in actual if "W" in p)
    what = f"{weeks} weeks and {len(actual) - weeks} months of {args.reports or 'slareport run'}"
    if ok:
        # Temporary folders go; on a mismatch they stay for a look (their paths are printed).
        for temp in ([] if args.work else [work]) + ([] if args.reports else [os.path.dirname(reports)]):
            shutil.rmtree(temp, ignore_errors=True)
        print(f"OK: every compared field agrees, {what}")
    else:
        print(f"FAILED: mismatches in {what} (reports: {reports}; normalised inputs: {work})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
