#!/usr/bin/env python3
"""Checks the Spark map stage's outputs against `slareport run` on the same inputs (scripts/test-spark).

    spark-check-map.py MAP_DIR RUN_DIR LABEL

MAP_DIR is the driver's OUT/map (one folder per input file), RUN_DIR run's output folder. Checks
(a) each file's stats.json equals its entry of run.json "inputs" (and no file is missing or extra),
(b) the map rejects, concatenated in run's order (table, then path in byte order: CSVReports.
partOrder), equal the body of run's rejects.csv byte for byte, (c) the accepted rows per table
(rows.csv lines, or a bucketed file's rows-K-of-N.csv, read as CSV) equal run.json's "tables"
accepted counts, and each file's rows add up to what its stats.json says (for the tables whose rows
are on the driver: with --handover spark only the surveys'). Prints each differing item; exits 1 if any.
"""
import csv
import io
import json
import os
import sys

TABLES = ["orders", "logistics", "tickets", "surveys"]


def main(map_dir, run_dir, label):
    bad = []
    run = json.load(open(os.path.join(run_dir, "run.json"), encoding="utf-8"))
    inputs = {e["path"]: e for e in run["inputs"]}
    mapped = {}
    for base in sorted(os.listdir(map_dir)):
        folder = os.path.join(map_dir, base)
        if not os.path.isdir(folder):
            continue
        stats = json.load(open(os.path.join(folder, "stats.json"), encoding="utf-8"))
        mapped[stats["path"]] = (folder, stats)
    # (a) stats.json against run.json "inputs"
    for path in sorted(set(inputs) | set(mapped)):
        if path not in mapped:
            bad.append("(a) %s: in run.json inputs, not mapped" % path)
        elif path not in inputs:
            bad.append("(a) %s: mapped, not in run.json inputs" % path)
        elif mapped[path][1] != inputs[path]:
            for k in sorted(set(inputs[path]) | set(mapped[path][1])):
                if inputs[path].get(k) != mapped[path][1].get(k):
                    bad.append("(a) %s: %s: run %r, map %r" % (path, k, inputs[path].get(k), mapped[path][1].get(k)))
    # (b) rejects in run's order against run's rejects.csv body
    order = sorted(mapped, key=lambda p: (TABLES.index(mapped[p][1]["table"]), p.encode("utf-8")))
    joined = b"".join(open(os.path.join(mapped[p][0], "rejects.csv"), "rb").read() for p in order)
    runs = open(os.path.join(run_dir, "rejects.csv"), "rb").read()
    body = runs[runs.index(b"\r\n") + 2:] if b"\r\n" in runs else b""
    if joined != body:
        a = joined.split(b"\r\n")
        b = body.split(b"\r\n")
        shown = 0
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else b"<none>"
            y = b[i] if i < len(b) else b"<none>"
            if x != y and shown < 10:
                bad.append("(b) rejects line %d: run %r, map %r" % (i + 2, y[:200], x[:200]))
                shown += 1
        if len(a) != len(b):
            bad.append("(b) rejects: run %d lines, map %d" % (len(b) - 1, len(a) - 1))
    # (c) accepted rows per table
    counts = {t: 0 for t in TABLES}
    unchecked = set()
    for path, (folder, stats) in mapped.items():
        # rows.csv, or a bucketed file's rows-K-of-N.csv (each with the header); none on the
        # driver for a table whose rows went through Spark's shuffle (--handover spark).
        names = [f for f in os.listdir(folder) if f == "rows.csv" or (f.startswith("rows-") and f.endswith(".csv"))]
        if not names:
            unchecked.add(stats["table"])
            continue
        n = 0
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8", newline="") as fh:
                n += sum(1 for _ in csv.reader(fh)) - 1
        if n != stats["accepted"]:
            bad.append("(c) %s: %s hold %d rows, stats.json accepted %d" % (path, "+".join(sorted(names)), n,
                                                                            stats["accepted"]))
        counts[stats["table"]] += n
    for t in TABLES:
        if t in unchecked:
            continue
        want = run["tables"][t]["accepted"]
        if counts[t] != want:
            bad.append("(c) %s: run accepted %d, map rows %d" % (t, want, counts[t]))
    for line in bad:
        print("%s: %s" % (label, line))
    print("%s: %s (%d files, %d rejects, accepted %s)" % (
        label, "identical" if not bad else "DIFFERENT", len(mapped), body.count(b"\r\n"),
        ", ".join("%s %s" % (t, "(rows not on the driver)" if t in unchecked else counts[t]) for t in TABLES)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
